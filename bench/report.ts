// The figures as a Markdown report (printed, and written to BENCHMARKS.md) with targets marked.
// Every goal is a ratio or a per-symbol figure from one run; with an earlier run's figures
// (--before) each table shows them side by side.
import type { BundleFigures } from "./bundle.ts";
import type { Calibration } from "./calibrate.ts";
import type { CpuFigures } from "./cpu-profile.ts";
import type { ApproveFigures, PingRow } from "./endpoint.ts";
import type { Summary } from "./load.ts";
import type { TestTimes } from "./test-time.ts";

/** One profiled job firing. */
export interface JobCpu extends CpuFigures {
  wallMs: number;
  summary: Record<string, unknown>;
}

export interface ScanRun {
  symbols: number;
  /** The first broker call of a fresh isolate (an empty monitor run): loads the Alpaca SDK. */
  coldMonitor: JobCpu;
  /** The same empty monitor run again, SDK loaded. */
  warmMonitor: JobCpu;
  /** The scan, on the warm isolate: the median firing, when several sandboxes fired one. */
  scan: JobCpu;
  /** Every firing's capped bot CPU (one per fresh sandbox), when there were several. */
  cappedRunsMs?: number[];
  /**
   * The capped bot CPU of the same scan a day later in the same isolate, once per sandbox that
   * fired one: the scan's code has run once, so V8's first-run work (compiling, type feedback,
   * loops not yet optimized, a young heap still growing) is not in it. Runs since 2026-12-01's last.
   */
  rescanCappedMs?: number[];
}

export interface Figures {
  date: string;
  commit?: string;
  machine: string;
  ping: PingRow[];
  approve: ApproveFigures;
  /** Which entry answered the PINGs and repeated clicks; runs before 2026-12-01's second had the sandbox. */
  endpointEntry?: "production" | "sandbox";
  scansFired: number;
  bundle: BundleFigures;
  /** The profiler's calibration on known work, in the same run (absent from runs before 966a7c4). */
  calibration?: Calibration;
  budgetKiB: number;
  scans: ScanRun[];
  /** The median of several firings by capped bot CPU, with every firing's capped figure. */
  heldMonitor: JobCpu & { positions: number; cappedRunsMs?: number[] };
  tests: TestTimes | null;
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
/** ", median of 5 firings: 7.8-24.7 ms" when several firings were measured. */
const runsNote = (runs: number[] | undefined) =>
  runs && runs.length > 1
    ? `; median of ${runs.length} firings, ${ms(Math.min(...runs))}-${ms(Math.max(...runs))} ms`
    : "";
const mark = (ok: boolean) => (ok ? "✅" : "❌");
/** workerd's CPU per request (all its threads), with two decimals; "–" where it was not read. */
const cpu = (s: Summary) =>
  s.cpuPerRequestMs === null || s.cpuPerRequestMs === undefined ? "–" : s.cpuPerRequestMs.toFixed(2);
const statuses = (s: Summary) =>
  Object.entries(s.statuses)
    .map(([code, n]) => `${n}×${code}`)
    .join(" ");

function pingTable(rows: PingRow[]): string[] {
  const lines = [
    "| concurrency | minimal p50 | bot p50 | **p50 ratio** (target ≤ 1.2) | minimal p99 | bot p99 | minimal req/s | bot req/s | workerd CPU ms/request, minimal | bot | answers (bot) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of rows) {
    const ratio = r.bot.p50 / r.minimal.p50;
    lines.push(
      `| ${r.concurrency} | ${ms(r.minimal.p50)} | ${ms(r.bot.p50)} | **${ratio.toFixed(2)}×** ${mark(ratio <= 1.2)} | ${ms(r.minimal.p99)} | ${ms(r.bot.p99)} | ${r.minimal.perSecond.toFixed(0)} | ${r.bot.perSecond.toFixed(0)} | ${cpu(r.minimal)} | ${cpu(r.bot)} | ${statuses(r.bot)} |`,
    );
  }
  return lines;
}

function approveTable(a: ApproveFigures): string[] {
  const lines = [
    "| clicks | concurrency | n | p50 | p99 (target ≤ 150) | max | req/s | workerd CPU ms/click | answers |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    `| first click on a distinct pending recommendation (claim + card update) | 1 | ${a.distinct.count} | ${ms(a.distinct.p50)} | ${ms(a.distinct.p99)} ${mark(a.distinct.p99 <= 150)} | ${ms(a.distinct.max)} | – | – | ${Object.entries(
      a.distinctAnswers,
    )
      .map(([k, n]) => `${n}× ${k}`)
      .join("; ")} |`,
  ];
  for (const r of a.repeated) {
    lines.push(
      `| repeated click on an approved recommendation | ${r.concurrency} | ${r.count} | ${ms(r.p50)} | ${ms(r.p99)} ${mark(r.p99 <= 150)} | ${ms(r.max)} | ${r.perSecond.toFixed(0)} | ${cpu(r)} | ${statuses(r)}: ${a.repeatedAnswer} |`,
    );
  }
  return lines;
}

/** Strict: everything not under the simulators' stack (all GC, the sandbox's wiring) is the bot's. */
const strict = (j: JobCpu) => j.cpuMs - j.simulatorMs;
/** As production would run it: no sandbox wiring, GC shared by JavaScript time (cpu-profile.ts). */
const bot = (j: JobCpu) => j.botMs ?? Number.NaN;
/** As production would run it, each sample counted for at most GAP_CAP_US (cpu-profile.ts says why). */
const capped = (j: JobCpu) => j.botCappedMs ?? Number.NaN;
const perSymbol = (r: ScanRun, of: (j: JobCpu) => number = bot) => of(r.scan) / r.symbols;
/**
 * The capped figure less the cap's calibrated error on each of the job's samples after a wait
 * (calibrate.ts): a lower bound of the bot's CPU, as the capped figure is an upper one.
 */
const lowerBound = (f: Figures, j: JobCpu) =>
  f.calibration && j.botWaits !== undefined
    ? Math.max(0, capped(j) - j.botWaits * f.calibration.errorPerWaitMs)
    : Number.NaN;
/** "7.9-12.2 ms (9 samples after a wait)", marked ✅ when the whole range meets the goal, ❌ when none of it does. */
function range(low: number, high: number, waits: number | undefined, goal: number): string {
  if (!Number.isFinite(low)) return "not measured";
  const verdict = high <= goal ? mark(true) : low > goal ? mark(false) : "(the goal lies inside the range)";
  return `${ms(low)}-${ms(high)} ms (${waits ?? "?"} samples after a wait) ${verdict}`;
}
const CAPPED = "as production runs it, each profiler sample counted for at most 1 ms";
/** The SDK's one-time load: the cold empty monitor run less the warm one. */
const sdkLoad = (r: ScanRun) => strict(r.coldMonitor) - strict(r.warmMonitor);
/** The minimal worker's PINGs in the clicks' rounds: the ACK's baseline (runs before them: the PING phase's). */
const baselineOf = (f: Figures, c: number) =>
  f.approve.baseline?.find((r) => r.concurrency === c) ?? f.ping.find((p) => p.concurrency === c)?.minimal;
const ackRatio = (f: Figures, c: number) =>
  (f.approve.repeated.find((r) => r.concurrency === c)?.p99 ?? Number.NaN) / (baselineOf(f, c)?.p99 ?? Number.NaN);
/** ACK p99 over the floor's, where the run measured the floor (null before it did). */
const floorRatio = (f: Figures, c: number): number | null => {
  const floor = f.approve.floor?.find((r) => r.concurrency === c);
  const ack = f.approve.repeated.find((r) => r.concurrency === c);
  return floor && ack ? ack.p99 / floor.p99 : null;
};
/**
 * A floor's p99 over the baseline's in the same rounds, null where the run did not measure it:
 * the floor (one D1 round trip, then the answer) and the deferred floor (the answer, then the trip).
 */
const floorOverBaseline = (f: Figures, lane: "floor" | "deferred", c: number): number | null => {
  const row = f.approve[lane]?.find((r) => r.concurrency === c);
  return row ? row.p99 / (baselineOf(f, c)?.p99 ?? Number.NaN) : null;
};
const startupRatio = (f: Figures) =>
  f.bundle.minimalStartupMs ? f.bundle.startupMs / f.bundle.minimalStartupMs : Number.NaN;
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "n/a");
const scanOf = (f: Figures | null, symbols: number) => f?.scans?.find((r) => r.symbols === symbols);

function summaryTable(f: Figures, before: Figures | null): string[] {
  const rows: [string, (g: Figures) => string, (g: Figures) => boolean | null, string][] = [];
  for (const n of [3, 10]) {
    rows.push([
      `bot CPU per scanned symbol, ${n}-symbol scan, strict (all GC and the sandbox's wiring counted as the bot's)`,
      (g) => {
        const r = scanOf(g, n);
        return r ? `${ms(perSymbol(r, strict))} ms` : "n/a";
      },
      () => null,
      "–",
    ]);
    rows.push([
      `bot CPU per scanned symbol, ${n}-symbol scan, as production runs it (GC shared by JS time, no sandbox wiring)`,
      (g) => {
        const r = scanOf(g, n);
        return r && Number.isFinite(perSymbol(r)) ? `${ms(perSymbol(r))} ms` : "not measured";
      },
      () => null,
      "–",
    ]);
    rows.push([
      `bot CPU per scanned symbol, ${n}-symbol scan, ${CAPPED}`,
      (g) => {
        const r = scanOf(g, n);
        const runs = r?.cappedRunsMs?.map((run) => run / n);
        return r && Number.isFinite(perSymbol(r, capped))
          ? `${ms(perSymbol(r, capped))} ms${runsNote(runs)}`
          : "not measured";
      },
      (g) => {
        const r = scanOf(g, n);
        return r && Number.isFinite(perSymbol(r, capped)) ? perSymbol(r, capped) <= 10 : null;
      },
      "≤ 10 ms",
    ]);
  }
  rows.push([
    "the 1 ms cap's error for each sample that came after a wait, calibrated in this run (bench/calibrate.ts: known work, straight through and cut by waits)",
    (g) =>
      g.calibration
        ? `${g.calibration.errorPerWaitMs.toFixed(2)} ms (${ms(g.calibration.workMs)} ms of work read as ${ms(g.calibration.cutCappedMs)} ms when cut by ${g.calibration.rounds} waits, with ${g.calibration.waits} more such samples)`
        : "not measured",
    () => null,
    "–",
  ]);
  rows.push([
    "bot CPU per scanned symbol, 10-symbol scan: from the capped figure less the cap's calibrated error on each of its samples after a wait, to the capped figure",
    (g) => {
      const r = scanOf(g, 10);
      return r ? range(lowerBound(g, r.scan) / 10, capped(r.scan) / 10, r.scan.botWaits, 10) : "n/a";
    },
    () => null,
    "≤ 10 ms",
  ]);
  for (const n of [3, 10])
    rows.push([
      `bot CPU per scanned symbol, the ${n}-symbol scan again a day later in the same isolate (its code run once before), ${CAPPED}`,
      (g) => {
        const runs = scanOf(g, n)?.rescanCappedMs?.map((run) => run / n);
        return runs?.length ? `${runs.map(ms).join(" and ")} ms` : "not measured";
      },
      () => null,
      "–",
    ]);
  rows.push([
    `marginal bot CPU per added symbol: (10-symbol scan − 3-symbol scan) ÷ 7, ${CAPPED}`,
    (g) => {
      const [a, b] = [scanOf(g, 3), scanOf(g, 10)];
      const margin = a && b ? (capped(b.scan) - capped(a.scan)) / 7 : Number.NaN;
      return Number.isFinite(margin) ? `${ms(margin)} ms` : "not measured";
    },
    (g) => {
      const [a, b] = [scanOf(g, 3), scanOf(g, 10)];
      const margin = a && b ? (capped(b.scan) - capped(a.scan)) / 7 : Number.NaN;
      return Number.isFinite(margin) ? margin <= 10 : null;
    },
    "≤ 10 ms",
  ]);
  rows.push([
    "marginal bot CPU per added symbol: (10-symbol scan − 3-symbol scan) ÷ 7, as production runs it (strict in brackets)",
    (g) => {
      const [a, b] = [scanOf(g, 3), scanOf(g, 10)];
      if (!a || !b) return "n/a";
      const strictMargin = (strict(b.scan) - strict(a.scan)) / 7;
      const margin = (bot(b.scan) - bot(a.scan)) / 7;
      return `${Number.isFinite(margin) ? `${ms(margin)} ms` : "not measured"} (${ms(strictMargin)} ms)`;
    },
    () => null,
    "–",
  ]);
  rows.push([
    "the Alpaca SDK's one-time load (cold minus warm empty monitor run, 10-symbol sandbox)",
    (g) => {
      const r = scanOf(g, 10);
      return r ? `${ms(sdkLoad(r))} ms (module evaluation ${ms(r.coldMonitor.loadMs)} ms)` : "n/a";
    },
    () => null,
    "reported apart",
  ]);
  rows.push([
    "bot CPU of a monitor run with the approved positions open, strict",
    (g) => (g.heldMonitor ? `${ms(strict(g.heldMonitor))} ms (${g.heldMonitor.positions} open)` : "n/a"),
    () => null,
    "–",
  ]);
  rows.push([
    "bot CPU of a monitor run with the approved positions open, as production runs it",
    (g) =>
      g.heldMonitor && Number.isFinite(bot(g.heldMonitor))
        ? `${ms(bot(g.heldMonitor))} ms (${g.heldMonitor.positions} open)`
        : "not measured",
    () => null,
    "–",
  ]);
  rows.push([
    `bot CPU of a monitor run with the approved positions open, ${CAPPED}`,
    (g) =>
      g.heldMonitor && Number.isFinite(capped(g.heldMonitor))
        ? `${ms(capped(g.heldMonitor))} ms (${g.heldMonitor.positions} open${runsNote(g.heldMonitor.cappedRunsMs)})`
        : "not measured",
    (g) => (g.heldMonitor && Number.isFinite(capped(g.heldMonitor)) ? capped(g.heldMonitor) <= 10 : null),
    "≤ 10 ms",
  ]);
  rows.push([
    "bot CPU of a monitor run with the approved positions open: from the capped figure less the cap's calibrated error on each of its samples after a wait, to the capped figure",
    (g) =>
      g.heldMonitor ? range(lowerBound(g, g.heldMonitor), capped(g.heldMonitor), g.heldMonitor.botWaits, 10) : "n/a",
    () => null,
    "≤ 10 ms",
  ]);
  for (const c of [1, 10, 50])
    rows.push([
      `Approve ACK p99 ÷ verify+PONG baseline p99, concurrency ${c}`,
      (g) => x(ackRatio(g, c)),
      (g) => ackRatio(g, c) <= 1.5,
      "≤ 1.5×",
    ]);
  for (const c of [1, 10, 50])
    rows.push([
      `Approve ACK p99 ÷ the floor's p99 (verify + one D1 round trip), concurrency ${c}`,
      (g) => {
        const ratio = floorRatio(g, c);
        return ratio === null ? "not measured" : x(ratio);
      },
      () => null,
      "–",
    ]);
  for (const c of [1, 10, 50])
    rows.push([
      `the floors' p99 ÷ the baseline's p99, concurrency ${c}: the floor (one D1 round trip, then the answer) and the deferred floor (the answer, then the same round trip)`,
      (g) =>
        (["floor", "deferred"] as const)
          .map((lane) => floorOverBaseline(g, lane, c))
          .map((ratio) => (ratio === null ? "not measured" : x(ratio)))
          .join(" and "),
      () => null,
      "–",
    ]);
  rows.push([
    "startup ÷ the minimal worker's (`wrangler check startup`)",
    (g) =>
      g.bundle.minimalStartupMs
        ? `${x(startupRatio(g))} (${ms(g.bundle.startupMs)} ÷ ${ms(g.bundle.minimalStartupMs)} ms)`
        : "n/a",
    () => null,
    "as small as the minimal worker allows",
  ]);
  const lines = before
    ? [
        `| measure | before (${before.date}, ${before.commit ?? "?"}) | after (${f.date}, ${f.commit ?? "?"}) | goal |`,
        "|---|---:|---:|---|",
      ]
    : ["| measure | figure | goal |", "|---|---:|---|"];
  for (const [label, value, ok, goal] of rows) {
    const verdict = ok(f);
    const now = `${value(f)}${verdict === null ? "" : ` ${mark(verdict)}`}`;
    lines.push(before ? `| ${label} | ${value(before)} | ${now} | ${goal} |` : `| ${label} | ${now} | ${goal} |`);
  }
  return lines;
}

function ratioTable(f: Figures): string[] {
  const lines = [
    "| concurrency | PING p99, minimal worker (in the clicks' rounds) | floor p99 (verify + one D1 round trip) | deferred floor p99 (answer, then the round trip) | Approve ACK p99 (repeated clicks) | **ACK ÷ PING** (goal ≤ 1.5) | ACK ÷ floor | workerd CPU ms/request: PING (minimal) | floor | deferred floor | ACK |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of f.approve.repeated) {
    const ratio = ackRatio(f, r.concurrency);
    const floor = f.approve.floor?.find((g) => g.concurrency === r.concurrency);
    const deferred = f.approve.deferred?.find((g) => g.concurrency === r.concurrency);
    const ping = baselineOf(f, r.concurrency);
    lines.push(
      `| ${r.concurrency} | ${ms(ping?.p99 ?? Number.NaN)} | ${floor ? ms(floor.p99) : "–"} | ${deferred ? ms(deferred.p99) : "–"} | ${ms(r.p99)} | **${x(ratio)}** ${mark(ratio <= 1.5)} | ${floor ? x(floorRatio(f, r.concurrency) ?? Number.NaN) : "–"} | ${ping ? cpu(ping) : "–"} | ${floor ? cpu(floor) : "–"} | ${deferred ? cpu(deferred) : "–"} | ${cpu(r)} |`,
    );
  }
  return lines;
}

function cpuRow(label: string, j: JobCpu, extra = ""): string {
  const top = j.topBot
    .slice(0, 4)
    .map((t) => `${t.where.replace(/^.*node_modules\//, "")} ${ms(t.ms)}`)
    .join("; ");
  const opt = (n: number | undefined) => (n === undefined ? "–" : ms(n));
  return `| ${label} | ${ms(j.wallMs)} | ${ms(j.cpuMs)} | ${ms(j.simulatorMs)} | ${opt(j.sandboxMs)} | ${opt(j.gcMs)} | ${ms(strict(j))} | **${opt(j.botMs)}** | ${ms(j.loadMs)} | ${extra} | ${top} |`;
}

function cpuTable(f: Figures): string[] {
  const lines = [
    "| firing | wall ms | isolate CPU ms | simulators ms | sandbox wiring ms | GC ms | bot ms, strict | **bot ms** (production-like) | module load ms | per symbol / notes | bot's largest self time by module (ms) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
  ];
  for (const r of f.scans) {
    const s = r.scan.summary;
    const posted = Array.isArray(s.posted) ? s.posted.length : "?";
    const skipped = Array.isArray(s.skipped) ? s.skipped.length : "?";
    lines.push(cpuRow(`${r.symbols} symbols: empty monitor, cold isolate (loads the SDK)`, r.coldMonitor));
    lines.push(cpuRow(`${r.symbols} symbols: empty monitor again (SDK loaded)`, r.warmMonitor));
    lines.push(
      cpuRow(
        `${r.symbols} symbols: the scan`,
        r.scan,
        `**${ms(perSymbol(r))} ms/symbol** (strict ${ms(perSymbol(r, strict))}); ${posted} posted, ${skipped} skipped, ${String(s.subrequests ?? "?")} subrequests`,
      ),
    );
  }
  const m = f.heldMonitor;
  lines.push(cpuRow(`monitor with ${m.positions} open positions (10-symbol sandbox, after the approvals)`, m));
  return lines;
}

function section(f: Figures, title: string): string[] {
  return [
    `### ${title}: ${f.date}${f.commit ? ` at ${f.commit}` : ""}`,
    "",
    `Machine: ${f.machine}.`,
    "",
    `**Signed PING**, the bot (${f.endpointEntry ?? "sandbox"} entry) vs the minimal worker:`,
    "",
    ...pingTable(f.ping),
    "",
    "**Approve click (ACK)** against the same run's PING baseline:",
    "",
    ...ratioTable(f),
    "",
    ...approveTable(f.approve),
    "",
    "**CPU of one firing** (DevTools sampling profiler, 100 µs):",
    "",
    ...cpuTable(f),
    "",
    "**Bundle and startup**:",
    "",
    "| production bundle (`wrangler deploy --dry-run`) | figure |",
    "|---|---:|",
    `| raw | ${f.bundle.rawKiB.toFixed(1)} KiB |`,
    `| gzip | ${f.bundle.gzipKiB.toFixed(1)} KiB (budget ${f.budgetKiB} KiB ${mark(f.bundle.gzipKiB <= f.budgetKiB)}) |`,
    `| startup "Active" CPU, median of ${f.bundle.startupRuns.join(" / ")} ms | ${ms(f.bundle.startupMs)} ms |`,
    `| minimal worker's, interleaved, median of ${(f.bundle.minimalStartupRuns ?? []).join(" / ")} ms | ${ms(f.bundle.minimalStartupMs)} ms |`,
    `| **ratio** | **${x(startupRatio(f))}** |`,
    "",
    ...(f.tests
      ? [
          "**`npm test`**:",
          "",
          "| step | seconds |",
          "|---|---:|",
          `| typecheck | ${f.tests.typecheckS.toFixed(1)} |`,
          `| lint | ${f.tests.lintS.toFixed(1)} |`,
          `| vitest | ${f.tests.vitestS.toFixed(1)} |`,
          "",
          `Result: ${f.tests.passed ? "all green" : "NOT all green"}; ${f.tests.vitestLine}.`,
          "",
        ]
      : []),
  ];
}

export function renderReport(f: Figures, before: Figures | null = null): string {
  return [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts). The machine has 2 cores shared with other work, so",
    "absolute milliseconds move from run to run: every goal below is a ratio to a baseline measured",
    "in the same run (the minimal verify+PONG worker, bench/minimal-worker.ts, on the same workerd) or",
    "CPU per scanned symbol. Latencies are from the client (Node fetch, keep-alive) over loopback to",
    "`wrangler dev`. CPU is the isolate's busy time in the DevTools sampling profiler: the simulated",
    "Alpaca and Discord run in the same isolate, and samples whose stack runs through src/sandbox/alpaca",
    "or src/sandbox/discord are theirs. Two figures for the bot: **strict** counts the rest (the bot's",
    "code, its libraries, all garbage collection, the sandbox's own wiring) as the bot's: the measure of",
    "the first runs, kept for comparison. **As production runs it** leaves out the sandbox's wiring",
    "(src/sandbox/ outside the simulators, absent from the production bundle) and counts the share of",
    "garbage collection that the bot's JavaScript time is of all JavaScript time in the isolate (the",
    "profiler cannot tell whose objects a collection frees, and the simulators allocate most: they build",
    "every chain). A sample under esbuild's lazy module wrapper is module evaluation (the SDKs are",
    "imported on first use). **Each sample at most 1 ms**: the profiler samples about every 175 µs",
    "while the isolate runs, but workerd does not mark every wait (D1, a fetch) as idle, and the first",
    "sample after such a wait carries all of it (single samples of 20-45 ms in a scan's profile, beside",
    "a median of 175 µs; samples over 2 ms added up to 611 ms of a 10-symbol scan's 966). Counting each",
    "sample for at most 1 ms leaves those waits out; it may undercount a sample the profiler took late",
    "on a busy machine. The goals are judged on this figure; the uncapped ones stay beside it.",
    "**The cap's error, calibrated in each run** (bench/calibrate.ts, since 2026-12-01's third run):",
    "known arithmetic runs straight through, then cut into 40 pieces by 3 ms waits; the cut run's",
    "capped figure less the straight one, shared among the samples after a wait (more than 1 ms after",
    "the one before) the cut run has more, is what the cap adds for each such sample, at most the cap",
    "itself. It moves with the machine: about 0.2 ms when the cap was chosen, 0.6-1 ms in the runs of",
    "2026-12-01. Taking it off each of a job's own such samples gives a lower bound (it also takes off",
    "each round's own fetch, real CPU), the capped figure an upper one: a goal is met (✅) when the",
    "whole range meets it, missed (❌) when none of it does, and within the measurement's error otherwise.",
    "",
    "How each figure is taken: the sandboxes (`--env sandbox --minify=false`, 3 and 10 symbols in",
    "WATCHLIST, and since 2026-12-02 the paid plan's `SUBREQUEST_BUDGET=1000` the README sets for scans,",
    "with which every chain is read by side) first get two empty monitor firings (Monday 11 January",
    "2027, 09:30 and 09:35 New York):",
    "the first loads the Alpaca SDK in a fresh isolate, the second does the same work with it loaded;",
    "their difference is the SDK's one-time load. Then the 09:35 scan of Tuesday 12 January runs on the",
    "warm isolate. Every firing first moves the sandbox's simulated clock to its instant (outside the",
    "profile), so the jobs work on those January days whatever day the bench runs. Each size is fired",
    "in three fresh sandboxes, one after the other, and the firing with",
    "the median capped bot CPU gives the scan's figures (one firing moved 18.7 to 24.9 ms a symbol",
    "between two runs of the same code); the 10-symbol sandbox that fired first goes on. The other two",
    "of each size then fire the next day's scan too (the first day's ideas have expired, so every",
    "symbol is scanned again): the same work on an isolate that has run",
    "the scan's code once, without V8's first-run work. Approve: every recommendation the scans post is approved once in the sandbox (the",
    "full ACK path: verify, replay refusal, authorization, the claim, audit, the updated card; the",
    "order is placed in waitUntil). The monitor is measured with the positions those approvals opened.",
    "Then the sandbox stops and the **production entry** (src/index.ts, bench/production.wrangler.toml)",
    "starts on its stored D1, KV and R2, unminified like the minimal worker: the signed PINGs and 300",
    'repeated Approve clicks per concurrency (the same ACK path, answering "already approved") are',
    "measured there. The sandbox's endpoint also reads its simulated clock from a Durable Object for",
    "every click, a round trip production does not make. Both workers verify with a key pair made for",
    "the run (production refuses the sandbox's published test key). The same clicks also go to a",
    "**floor** in the minimal worker: verify, then one D1 round trip (insert the interaction id, read",
    "whether it changed a row), then an ephemeral answer: the least any click that refuses replays in",
    "D1 can do before answering, on the same local D1. And to a **deferred floor** (since 2026-12-02):",
    "verify, answer a deferred update at once, then the same D1 round trip after the answer (waitUntil):",
    "what answering before the database could buy. The ACK's baseline, the minimal worker's PINGs,",
    "goes in the same rounds as the clicks and the floors' clicks, each round turning which lane",
    "goes first, so that a drift of the machine between two phases does not move the ratio (until",
    "the fourteenth pass it was the PING phase's, minutes earlier). **workerd CPU** is the runtime process's CPU",
    "time over a batch of requests (all threads, from /proc), divided by the requests: in `wrangler",
    "dev` it also counts local D1's SQLite and the HTTP serving, which production runs elsewhere or",
    "does not bill to the Worker.",
    "",
    "## Summary",
    "",
    ...summaryTable(f, before),
    "",
    "## Details",
    "",
    ...(before ? section(before, "Before") : []),
    ...section(f, before ? "After" : "This run"),
  ].join("\n");
}
