// Firing the sandbox's jobs as their crons would, on chosen January 2027 instants, and profiling
// one firing: shared by `npm run bench` (run.ts) and the profiler script (profile.ts).
import { performance } from "node:perf_hooks";
import { withCpuProfile } from "./cpu-profile.ts";
import type { JobCpu, ScanRun } from "./report.ts";

/** wrangler.toml's two crons: what a firing runs comes from the New York slot table. */
export const SCAN_CRON = "*/5 13-21 * * 1-5";
export const MONITOR_CRON = "*/5 13-20 * * 1-5";
export const utc = (day: number, hour: number, minute: number) => Date.UTC(2027, 0, day, hour, minute);
/** 09:35 New York (winter, the first SCAN_TIMES slot) on Tue 12, Wed 13, Thu 14 January 2027. */
export const SCAN_SLOTS = [12, 13, 14].map((day) => utc(day, 14, 35));
/**
 * The sandboxes' subrequest budget: the paid plan's, as the README sets it for scans (no scan fits
 * the free plan's 10 ms of CPU). With it every chain is read by side (domain/scan-plan.ts
 * chainBySide); on the free plan's 50 a 10-symbol scan reads them whole.
 */
export const PAID_PLAN_BUDGET = ["--var", "SUBREQUEST_BUDGET:1000"];
/** Monitor firings on Monday 11 January, before any scan: 09:30 (cold isolate) and 09:35 New York. */
const EMPTY_MONITOR = [utc(11, 14, 30), utc(11, 14, 35)] as const;
/**
 * Monitor firings after the approvals, Thursday 14 from 10:10 New York every 5 minutes: the first
 * settles what the approvals left working and expires the ideas nobody approved (the 09:35 scan's,
 * 30 minutes old: RECOMMENDATION_TTL_MINUTES), so the next five, which are measured, each do the
 * same steady work (one run's figure moved between 7.8 and 24.7 ms for the same code, so the bench
 * reports their median).
 */
export const HELD_MONITOR = [0, 5, 10, 15, 20, 25].map((m) => utc(14, 15, 10 + m));

export interface Server {
  base: string;
  inspectorPort: number;
}

/**
 * Moves the sandbox's simulated clock to `time` (it only moves forward). A firing's `time` is only
 * its scheduled instant: the work reads the sandbox's clock, which follows the wall clock until it
 * is moved, so without this a scan would read the chains, sessions and expiries of the day the
 * bench runs rather than its slot's.
 */
async function moveClockTo(base: string, time: number): Promise<void> {
  const moved = await fetch(`${base}/sandbox/api/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ to: new Date(time).toISOString() }),
  });
  if (!moved.ok)
    throw new Error(
      `the sandbox clock did not move to ${new Date(time).toISOString()}: ${moved.status} ${await moved.text()}`,
    );
}

/** Fires `cron` as at `time`, the sandbox's clock moved there first. */
export async function fire(base: string, cron: string, time: number): Promise<number> {
  await moveClockTo(base, time);
  return trigger(base, cron, time);
}

/** The scheduled handler's trigger alone: what the profiler measures. */
async function trigger(base: string, cron: string, time: number): Promise<number> {
  const start = performance.now();
  const response = await fetch(`${base}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}&time=${time}`);
  await response.text();
  if (!response.ok)
    throw new Error(`the ${cron} firing at ${new Date(time).toISOString()} answered ${response.status}`);
  return performance.now() - start;
}

async function newestSummary(base: string, job: string): Promise<Record<string, unknown>> {
  const runs = (await (await fetch(`${base}/sandbox/api/jobs`)).json()) as {
    job: string;
    outcome?: string;
    reason?: string;
    summary?: object;
  }[];
  const run = runs.find((r) => r.job === job);
  return { outcome: run?.outcome, reason: run?.reason, ...(run?.summary ?? {}) };
}

export async function openPositions(base: string): Promise<number> {
  const book = (await (await fetch(`${base}/sandbox/api/positions`)).json()) as { bot: { status: string }[] };
  return book.bot.filter((p) => p.status === "open" || p.status === "closing").length;
}

/** One firing under the profiler, with the job's own summary; `saveAs` keeps the raw profile. */
export async function profiled(
  server: Server,
  job: "scan" | "monitor",
  time: number,
  saveAs?: string,
): Promise<JobCpu> {
  const cron = job === "scan" ? SCAN_CRON : MONITOR_CRON;
  await moveClockTo(server.base, time); // outside the profile: the sandbox's own route
  const run = await withCpuProfile(server.inspectorPort, () => trigger(server.base, cron, time), saveAs);
  const { result, ...cpu } = run;
  return { wallMs: result, ...cpu, summary: await newestSummary(server.base, job) };
}

/**
 * A fresh sandbox's scan, the way the scan CPU is reported: the first broker call of the isolate
 * is an empty monitor run (it loads the Alpaca SDK, reported apart), a second empty run shows the
 * same work with the SDK loaded, then the scan runs on a warm isolate.
 */
export async function scanFigures(server: Server, symbols: number, slot: number, saveDir?: string): Promise<ScanRun> {
  const save = (name: string) => (saveDir ? `${saveDir}/${symbols}-${name}.cpuprofile` : undefined);
  const coldMonitor = await profiled(server, "monitor", EMPTY_MONITOR[0], save("cold-monitor"));
  const warmMonitor = await profiled(server, "monitor", EMPTY_MONITOR[1], save("warm-monitor"));
  const scan = await profiled(server, "scan", slot, save("scan"));
  return { symbols, coldMonitor, warmMonitor, scan };
}

/** Approves every recommendation on the local channel once, through the sandbox's signing route. */
export async function approveAll(base: string): Promise<number> {
  const messages = (await (await fetch(`${base}/sandbox/api/messages`)).json()) as {
    id: string;
    components?: { components?: { custom_id?: string }[] }[];
  }[];
  let clicked = 0;
  for (const message of messages) {
    const customId = message.components
      ?.flatMap((row) => row.components ?? [])
      .find((b) => b.custom_id?.startsWith("v1:approve:"))?.custom_id;
    if (!customId) continue;
    const response = await fetch(`${base}/sandbox/api/interactions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "component", message_id: message.id, custom_id: customId }),
    });
    await response.text();
    clicked++;
  }
  return clicked;
}

/** The firing whose capped bot CPU is the median of the runs (an odd count), and every run's figure. */
export function medianRun<T>(runs: T[], cappedOf: (run: T) => number): T & { cappedRunsMs: number[] } {
  const sorted = [...runs].sort((a, b) => cappedOf(a) - cappedOf(b));
  const median = sorted[Math.floor(sorted.length / 2)];
  if (!median) throw new Error("no runs to take the median of");
  return { ...median, cappedRunsMs: runs.map(cappedOf) };
}

/** A fresh sandbox's scan figures, and the same scan fired again a day later when it was. */
export type ScanRunAgain = ScanRun & { rescan?: JobCpu };

/** The sandbox whose scan had the median capped bot CPU, with every scan's and every rescan's figure. */
export function medianScan(runs: ScanRunAgain[]): ScanRun {
  const { rescan: _, ...median } = medianRun(runs, (run) => run.scan.botCappedMs);
  const rescans = runs.flatMap((run) => (run.rescan ? [run.rescan.botCappedMs] : []));
  return rescans.length > 0 ? { ...median, rescanCappedMs: rescans } : median;
}

/**
 * The scan of the next slot (a day later) on a sandbox that has just scanned: the same watchlist
 * on an isolate that has run the scan's code once. By then the first scan's ideas have expired, so
 * every symbol is scanned again; a symbol skipped as busy would make the figure a symbol wrong.
 */
export async function rescanned(server: Server, symbols: number, saveAs?: string): Promise<JobCpu> {
  const rescan = await profiled(server, "scan", SCAN_SLOTS[1] ?? utc(13, 14, 35), saveAs);
  if (rescan.summary.outcome !== "ran") throw new Error(`the rescan did not run: ${JSON.stringify(rescan.summary)}`);
  const skipped = (rescan.summary.skipped ?? []) as { symbol: string; reason: string }[];
  // The reason src/jobs/scan.ts gives a symbol with an idea waiting or a position held.
  const busy = skipped.filter((s) => s.reason === "already has a pending recommendation or an open position");
  if (busy.length > 0)
    throw new Error(`the rescan of ${symbols} symbols found some busy: ${busy.map((s) => s.symbol).join(", ")}`);
  return rescan;
}
