// `npm test`: the typecheck and the lint side by side (each one's output printed when it ends),
// then the tests, each step timed; the tests do not start if either check failed. Arguments go to
// vitest (`npm test -- test/unit` runs those files only). `npm run test:quick` is the workers
// project alone, for the inner loop.
import { spawn } from "node:child_process";

interface Outcome {
  name: string;
  ok: boolean;
  ms: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const started = performance.now();
const outcomes: Outcome[] = [];

/** Runs a command; with `captured`, its output is held and printed in one piece when it ends. */
function run(name: string, command: string, args: string[], captured: boolean): Promise<Outcome> {
  const stepStarted = performance.now();
  return new Promise((resolve) => {
    const color = process.stdout.isTTY ? { FORCE_COLOR: "1" } : {};
    const child = spawn(command, args, {
      stdio: captured ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, ...color },
    });
    const output: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    const finish = (ok: boolean, note = "") => {
      const outcome = { name, ok, ms: performance.now() - stepStarted };
      if (captured) process.stdout.write(Buffer.concat(output));
      process.stdout.write(`${note}[npm test] ${name}: ${ok ? "passed" : "FAILED"} in ${seconds(outcome.ms)}\n`);
      resolve(outcome);
    };
    child.on("error", (error) => finish(false, `[npm test] ${name} did not start: ${error.message}\n`));
    child.on("close", (code) => finish(code === 0));
  });
}

function summary(): void {
  const steps = outcomes.map((o) => `${o.name} ${seconds(o.ms)}${o.ok ? "" : " (failed)"}`);
  process.stdout.write(`[npm test] ${steps.join(" · ")} · total ${seconds(performance.now() - started)}\n`);
}

outcomes.push(
  ...(await Promise.all([
    run("typecheck", "npm", ["run", "--silent", "typecheck"], true),
    run("lint", "npm", ["run", "--silent", "lint"], true),
  ])),
);
if (outcomes.some((o) => !o.ok)) {
  summary();
  process.exit(1);
}
const tests = await run("vitest", "vitest", ["run", ...process.argv.slice(2)], false);
outcomes.push(tests);
summary();
process.exit(tests.ok ? 0 : 1);
