// `npm test`: the typecheck, the lint and the tests, in that order, each timed, stopping at the
// first that fails. Arguments go to vitest (`npm test -- test/unit` runs those files only).
// `npm run test:quick` is the workers project alone, for the inner loop.
import { spawnSync } from "node:child_process";

interface Step {
  name: string;
  command: string;
  args: string[];
}

const steps: Step[] = [
  { name: "typecheck", command: "npm", args: ["run", "--silent", "typecheck"] },
  { name: "lint", command: "npm", args: ["run", "--silent", "lint"] },
  { name: "vitest", command: "vitest", args: ["run", ...process.argv.slice(2)] },
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const done: string[] = [];
const started = performance.now();

for (const step of steps) {
  const stepStarted = performance.now();
  const result = spawnSync(step.command, step.args, { stdio: "inherit" });
  const took = performance.now() - stepStarted;
  done.push(`${step.name} ${seconds(took)}`);
  const ok = result.status === 0;
  process.stdout.write(`\n[npm test] ${step.name}: ${ok ? "passed" : "FAILED"} in ${seconds(took)}\n`);
  if (!ok) {
    if (result.error) process.stderr.write(`[npm test] ${step.name} did not start: ${result.error.message}\n`);
    process.stdout.write(`[npm test] ${done.join(" · ")} · total ${seconds(performance.now() - started)}\n`);
    process.exit(result.status ?? 1);
  }
}

process.stdout.write(`[npm test] ${done.join(" · ")} · total ${seconds(performance.now() - started)}\n`);
