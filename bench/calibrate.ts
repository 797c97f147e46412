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
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The time deltas of the samples that were not idle: the samples the bench counts (cpu-profile.ts). */
function busyDeltas(profile: RawProfile): number[] {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  return profile.timeDeltas.filter((_, i) => !idle.has(profile.samples[i] ?? -1));
}

/** Busy time with each sample counted for at most `capUs`, in ms. */
function busyMs(deltas: number[], capUs: number): number {
  return deltas.reduce((sum, d) => sum + Math.min(d, capUs), 0) / 1000;
}

/** Samples that came more than the bench's cap after the one before: after a wait, mostly. */
const waitsIn = (deltas: number[]) => deltas.filter((d) => d > GAP_CAP_US).length;

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Known work measured straight through and cut by waits: what each cap makes of the waits. */
export interface Calibration {
  rounds: number;
  /** The work straight through, each sample at most GAP_CAP_US (median of REPEATS). */
  workMs: number;
  /** The same work cut by ROUNDS waits, counted the same way (median of REPEATS). */
  cutCappedMs: number;
  /** How many more samples came more than GAP_CAP_US after the one before in the cut run (median). */
  waits: number;
  /**
   * What the bench's cap adds for each sample that came after a wait: per repeat, the cut run's
   * capped figure less the straight run's, over the samples after a wait the cut run has more;
   * the median, at most the cap itself. It also holds each round's own fetch, real CPU the
   * straight run does not have, so taking it off each such sample of a job
   * (CpuFigures.botWaits) gives a figure at or under the job's CPU: the lower bound the report
   * puts beside the capped one.
   */
  errorPerWaitMs: number;
  /** Each cap's figure, straight and cut (for the printout). */
  byCap: { capUs: number; straightMs: number; cutMs: number }[];
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
  let worker: Awaited<ReturnType<typeof startDev>> | undefined;
  try {
    worker = await startDev("calibration", ["-c", "bench/calibration.wrangler.toml"], "/");
    const { base, inspectorPort } = worker;
    const file = join(tmpdir(), `spread-desk-calibration-${process.pid}.cpuprofile`);
    const run = async (query: string): Promise<RawProfile> => {
      await withCpuProfile(inspectorPort, async () => (await fetch(`${base}/?${query}`)).text(), file);
      const profile = JSON.parse(readFileSync(file, "utf8")) as RawProfile;
      rmSync(file, { force: true });
      return profile;
    };
    await run(`rounds=1&work=${WORK}`); // warm: compile the loop
    const straight: number[][] = [];
    const cut: number[][] = [];
    for (let i = 0; i < REPEATS; i++) {
      straight.push(busyDeltas(await run(`rounds=1&work=${WORK}`)));
      cut.push(busyDeltas(await run(`rounds=${ROUNDS}&work=${WORK / ROUNDS}&wait=${encodeURIComponent(waitUrl)}`)));
    }
    const capped = (deltas: number[]) => busyMs(deltas, GAP_CAP_US);
    const pairs = cut.map((c, i) => ({ c, s: straight[i] ?? [] }));
    const errors = pairs.flatMap(({ c, s }) => {
      const more = waitsIn(c) - waitsIn(s);
      return more > 0 ? [(capped(c) - capped(s)) / more] : [];
    });
    return {
      rounds: ROUNDS,
      workMs: median(straight.map(capped)),
      cutCappedMs: median(cut.map(capped)),
      waits: median(pairs.map(({ c, s }) => waitsIn(c) - waitsIn(s))),
      errorPerWaitMs: errors.length > 0 ? Math.min(GAP_CAP_US / 1000, Math.max(0, median(errors))) : 0,
      byCap: CAPS_US.map((capUs) => ({
        capUs,
        straightMs: median(straight.map((d) => busyMs(d, capUs))),
        cutMs: median(cut.map((d) => busyMs(d, capUs))),
      })),
      intervalUs: median(straight.flat()),
    };
  } finally {
    worker?.stop();
    server.close();
  }
}

async function main(): Promise<void> {
  try {
    const c = await calibrate();
    console.log(
      `the work straight through: ${c.workMs.toFixed(1)} ms, each sample at most ${GAP_CAP_US} µs (median of ${REPEATS}); median sample interval ${c.intervalUs.toFixed(0)} µs`,
    );
    console.log(`the same work in ${c.rounds} rounds, a 3 ms wait after each (median of ${REPEATS}):`);
    for (const { capUs, straightMs, cutMs } of c.byCap) {
      const label = Number.isFinite(capUs) ? `each sample at most ${capUs} µs` : "every sample as it came";
      const over = cutMs - straightMs;
      console.log(
        `  ${label.padEnd(30)} ${cutMs.toFixed(1).padStart(7)} ms  (straight ${straightMs.toFixed(1)} ms: ${(over >= 0 ? "+" : "") + over.toFixed(1)} ms, ${(over / c.rounds).toFixed(2)} ms a round)`,
      );
    }
    console.log(
      `  the cut run has ${c.waits} more samples that came over ${GAP_CAP_US} µs after the one before: the cap adds ${c.errorPerWaitMs.toFixed(2)} ms for each`,
    );
  } finally {
    stopAll();
  }
}

// Run as a script (`node bench/calibrate.ts`), not when the bench imports calibrate().
if (import.meta.filename === process.argv[1]) runScript(main);
