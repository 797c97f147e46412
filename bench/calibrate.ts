// `node bench/calibrate.ts`: how well the profiler's busy time measures CPU when a job
// waits between pieces of work, as the bot's jobs do on every D1 and broker call. The same
// JavaScript work (bench/calibration-worker.ts) runs once straight through, where every sample is
// the isolate at work, and once cut into rounds with a fetch of a local server (3 ms) after each.
// The first gives the work's CPU; the second shows what each way of adding up samples makes of
// the same work with waits in it. Run it on a quiet machine: the profiler's deltas are wall time,
// so on a loaded one the straight run itself grows (29 → 69 ms here beside two busy loops).
// `npm run bench` runs it too (calibrate()): what the bench's cap adds for each sample that came
// after a wait, taken off the jobs' own such samples, gives a lower bound beside the capped figure.
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GAP_CAP_US, withCpuProfile } from "./cpu-profile.ts";
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

/** Known work measured straight through and cut by waits: what each cap makes of the waits. */
export interface Calibration {
  rounds: number;
  /** The work straight through, every sample as it came (median of REPEATS). */
  workMs: number;
  /** The same work cut by ROUNDS waits, each sample at most GAP_CAP_US (median of REPEATS). */
  cutCappedMs: number;
  /** Samples of the cut run that came more than GAP_CAP_US after the one before (median). */
  waits: number;
  /**
   * (cutCappedMs − workMs) ÷ waits: what the bench's cap adds for each sample after a wait. It
   * also holds each round's own fetch, real CPU the straight run does not have, so taking it off
   * each such sample of a job (CpuFigures.botWaits) gives a figure at or under the job's CPU:
   * the lower bound the report puts beside the capped one.
   */
  errorPerWaitMs: number;
  /** Every cap's figure for the cut run (for the printout). */
  byCap: { capUs: number; ms: number }[];
  intervalUs: number;
}

/** Runs the calibration worker on its own wrangler dev and a local server that answers after 3 ms. */
export async function calibrate(): Promise<Calibration> {
  const server = createServer((_request, response) => {
    setTimeout(() => response.end("ok"), 3);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  const waitUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
  const worker = await startDev("calibration", ["-c", "bench/calibration.wrangler.toml"], "/");
  try {
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
    const workMs = median(straight.map((p) => busyMs(p, Number.POSITIVE_INFINITY)));
    const byCap = CAPS_US.map((capUs) => ({ capUs, ms: median(cut.map((p) => busyMs(p, capUs))) }));
    const cutCappedMs = median(cut.map((p) => busyMs(p, GAP_CAP_US)));
    const waits = median(cut.map((p) => p.timeDeltas.filter((d) => d > GAP_CAP_US).length));
    return {
      rounds: ROUNDS,
      workMs,
      cutCappedMs,
      waits,
      errorPerWaitMs: waits > 0 ? Math.max(0, cutCappedMs - workMs) / waits : 0,
      byCap,
      intervalUs: median(straight.flatMap((p) => p.timeDeltas)),
    };
  } finally {
    worker.stop();
    server.close();
  }
}

async function main(): Promise<void> {
  try {
    const c = await calibrate();
    console.log(
      `the work straight through: ${c.workMs.toFixed(1)} ms (median of ${REPEATS}); median sample interval ${c.intervalUs.toFixed(0)} µs`,
    );
    console.log(`the same work in ${c.rounds} rounds, a 3 ms wait after each (median of ${REPEATS}):`);
    console.log(
      `  ${c.waits} samples came more than ${GAP_CAP_US} µs after the one before: the ${GAP_CAP_US} µs cap adds ${c.errorPerWaitMs.toFixed(2)} ms for each`,
    );
    for (const { capUs, ms } of c.byCap) {
      const label = Number.isFinite(capUs) ? `each sample at most ${capUs} µs` : "every sample as it came";
      const over = ms - c.workMs;
      console.log(
        `  ${label.padEnd(30)} ${ms.toFixed(1).padStart(7)} ms  (${(over >= 0 ? "+" : "") + over.toFixed(1)} ms, ${(over / c.rounds).toFixed(2)} ms a wait)`,
      );
    }
  } finally {
    stopAll();
  }
}

// Run as a script (`node bench/calibrate.ts`), not when the bench imports calibrate().
if (process.argv[1]?.endsWith("calibrate.ts")) runScript(main);
