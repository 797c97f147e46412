// `npm test`: the typecheck, the lint and the tests side by side, each step timed. The checks'
// output is printed when each ends; if either fails the tests are stopped there (no waiting a
// minute and a half for a result a type error already decided). Started together because on two
// cores the tests' first seconds (building the console, starting workerd) leave the CPU idle.
// Arguments go to vitest (`npm test -- test/unit` runs those files only). `npm run test:quick` is
// the workers project alone, for the inner loop.
import { spawn } from "node:child_process";

interface Outcome {
  name: string;
  ok: boolean;
  ms: number;
  stopped: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const started = performance.now();

/** Runs a command; with `captured`, its output is held and printed in one piece when it ends. */
function run(
  name: string,
  command: string,
  args: string[],
  captured: boolean,
): { done: Promise<Outcome>; stop(): void } {
  const stepStarted = performance.now();
  const color = process.stdout.isTTY ? { FORCE_COLOR: "1" } : {};
  const child = spawn(command, args, {
    stdio: captured ? ["ignore", "pipe", "pipe"] : "inherit",
    env: { ...process.env, ...color },
    // Its own process group, so that stopping it stops what it started (workerd, wrangler).
    detached: !captured,
  });
  let stopped = false;
  const done = new Promise<Outcome>((resolve) => {
    const output: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    const finish = (ok: boolean, note = "") => {
      const outcome = { name, ok: ok && !stopped, ms: performance.now() - stepStarted, stopped };
      if (captured) process.stdout.write(Buffer.concat(output));
      const verdict = stopped ? "stopped (a check failed)" : ok ? "passed" : "FAILED";
      process.stdout.write(`${note}[npm test] ${name}: ${verdict} in ${seconds(outcome.ms)}\n`);
      resolve(outcome);
    };
    child.on("error", (error) => finish(false, `[npm test] ${name} did not start: ${error.message}\n`));
    child.on("close", (code) => finish(code === 0));
  });
  const stop = () => {
    stopped = true;
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
  };
  return { done, stop };
}

function summary(outcomes: Outcome[]): void {
  const steps = outcomes.map((o) => `${o.name} ${seconds(o.ms)}${o.stopped ? " (stopped)" : o.ok ? "" : " (failed)"}`);
  process.stdout.write(`[npm test] ${steps.join(" · ")} · total ${seconds(performance.now() - started)}\n`);
}

const tests = run("vitest", "vitest", ["run", ...process.argv.slice(2)], false);
// Ctrl-C reaches this process's group only: pass it on to the tests' own group.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    tests.stop();
    process.exit(130);
  });
const checks = [
  run("typecheck", "npm", ["run", "--silent", "typecheck"], true),
  run("lint", "npm", ["run", "--silent", "lint"], true),
].map(({ done }) =>
  done.then((outcome) => {
    if (!outcome.ok) tests.stop();
    return outcome;
  }),
);
const outcomes = [...(await Promise.all(checks)), await tests.done];
summary(outcomes);
process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
