// `node bench/calibrate.ts`: how well the profiler's busy time measures CPU when a job
// waits between pieces of work, as the bot's jobs do on every D1 and broker call. The same
// JavaScript work (bench/calibration-worker.ts) runs once straight through, where every sample is
// the isolate at work, and once cut into rounds with a fetch of a local server (3 ms) after each.
// The first gives the work's CPU; the second shows what each way of adding up samples makes of
// the same work with waits in it. Run it on a quiet machine: the profiler's deltas are wall time,
// so on a loaded one the straight run itself grows (29 → 69 ms here beside two busy loops).
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withCpuProfile } from "./cpu-profile.ts";
import { percentile } from "./load.ts";
import { runScript, startDev, stopAll } from "./processes.ts";

const ROUNDS = 40;
const WORK = 2_000_000; // steps in all: about 10 ms of arithmetic on this machine
const REPEATS = 5;
const CAPS_US = [Number.POSITIVE_INFINITY, 1000, 500, 300];

interface RawProfile {
  timeDeltas: number[];
}

/** The profile's busy time with each sample counted for at most `capUs`, in ms. */
function busyMs(profile: RawProfile, capUs: number): number {
  return profile.timeDeltas.reduce((sum, d) => sum + Math.min(d, capUs), 0) / 1000;
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

async function main(): Promise<void> {
  const server = createServer((_request, response) => {
    setTimeout(() => response.end("ok"), 3);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  const waitUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
  try {
    const worker = await startDev("calibration", ["-c", "bench/calibration.wrangler.toml"], "/");
    const file = join(tmpdir(), `spread-desk-calibration-${process.pid}.cpuprofile`);
    const run = async (query: string): Promise<RawProfile> => {
      await withCpuProfile(worker.inspectorPort, async () => (await fetch(`${worker.base}/?${query}`)).text(), file);
      const profile = JSON.parse(readFileSync(file, "utf8")) as RawProfile;
      rmSync(file, { force: true });
      return profile;
    };
    await run(`rounds=1&work=${WORK}`); // warm: compile the loop
    const straight: RawProfile[] = [];
    const cut: RawProfile[] = [];
    for (let i = 0; i < REPEATS; i++) {
      straight.push(await run(`rounds=1&work=${WORK}`));
      cut.push(await run(`rounds=${ROUNDS}&work=${WORK / ROUNDS}&wait=${encodeURIComponent(waitUrl)}`));
    }
    const work = median(straight.map((p) => busyMs(p, Number.POSITIVE_INFINITY)));
    const interval = median(straight.flatMap((p) => p.timeDeltas));
    console.log(
      `the work straight through: ${work.toFixed(1)} ms (median of ${REPEATS}); median sample interval ${interval.toFixed(0)} µs`,
    );
    console.log(`the same work in ${ROUNDS} rounds, a 3 ms wait after each (median of ${REPEATS}):`);
    for (const cap of CAPS_US) {
      const figure = median(cut.map((p) => busyMs(p, cap)));
      const label = Number.isFinite(cap) ? `each sample at most ${cap} µs` : "every sample as it came";
      console.log(
        `  ${label.padEnd(30)} ${figure.toFixed(1).padStart(7)} ms  (${(figure - work >= 0 ? "+" : "") + (figure - work).toFixed(1)} ms, ${((figure - work) / ROUNDS).toFixed(2)} ms a wait)`,
      );
    }
  } finally {
    server.close();
    stopAll();
  }
}

runScript(main);
