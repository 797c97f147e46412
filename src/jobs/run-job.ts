// Runs one job for one scheduled instant, at most once per slot:
//   1. the instant must be one of the job's New York slots (src/domain/job-slots.ts);
//   2. the day must be a trading session (the broker's calendar; holidays skip);
//   3. the slot is claimed in D1 (a repeated firing finds it taken and does nothing);
//   4. the job runs; its outcome, reason and summary are stored, and a failure is posted.
import type { App } from "../app";
import { jobErrorMessage } from "../discord/messages/job-error";
import { type JobName, slotFor, slotKeyOf } from "../domain/job-slots";
import { tradingDay } from "../domain/market-time";
import { errorFields, log } from "../log";
import { KV_KEYS } from "../store/kv-state";
import { runEndOfDay } from "./end-of-day";
import { reviewPositions } from "./midday-review";
import { runMonitor } from "./monitor";
import { runScan, type ScanOptions } from "./scan";

export type JobOutcome =
  | { outcome: "ran"; runId: number; summary: Record<string, unknown> }
  | { outcome: "skipped"; reason: string }
  | { outcome: "failed"; runId: number; reason: string };

/** How often a failing job may post its error to the channel (per job). */
const ERROR_POST_INTERVAL_S = 15 * 60;

export async function runJob(app: App, job: JobName, scheduledTime: number, now: number): Promise<JobOutcome> {
  const due = slotFor(job, scheduledTime, app.config.schedule.scanTimes);
  // The monitor runs at any minute the broker's clock calls open (asked below); the crons fire it
  // only in the rule-book session. The sandbox's market is open whatever the wall clock says.
  if (!due.ok && job !== "monitor") return skip(app, job, scheduledTime, now, due.reason);
  const slot = due.ok ? due.key : slotKeyOf(job, scheduledTime);

  let closed: string | null;
  try {
    closed = await marketClosedReason(app, job, scheduledTime);
  } catch (error) {
    // Alpaca cannot say whether the market trades: a failed run, shown like any failure, whose
    // slot a later firing may claim again (a throw here would leave no trace but a log line).
    log.error("job could not check the market", { job, ...errorFields(error) });
    const runId = await app.jobRuns.claim(job, slot, scheduledTime, now);
    if (runId === null) return { outcome: "skipped", reason: `already ran for ${slot}` };
    return fail(app, job, runId, error, now);
  }
  if (closed) return skip(app, job, scheduledTime, now, closed);

  const runId = await app.jobRuns.claim(job, slot, scheduledTime, now);
  if (runId === null) return { outcome: "skipped", reason: `already ran for ${slot}` };
  return execute(app, job, runId, now, { review: due.ok && due.midday });
}

/** Runs a job now, on demand (/scan), recorded under its own slot. */
export async function runJobNow(
  app: App,
  job: JobName,
  slot: string,
  now: number,
  options: ScanOptions = {},
): Promise<JobOutcome> {
  const runId = await app.jobRuns.claim(job, slot, now, now);
  if (runId === null) return { outcome: "skipped", reason: `already ran for ${slot}` };
  return execute(app, job, runId, now, options);
}

/** How a run goes: the scan's options, and whether it is the midday scan that reviews positions. */
type RunOptions = ScanOptions & { review?: boolean };

async function execute(
  app: App,
  job: JobName,
  runId: number,
  now: number,
  options: RunOptions = {},
): Promise<JobOutcome> {
  try {
    // The slot comes from the scheduled time; the work itself happens now (prices, expiries,
    // DTE are about the present, which is what an approval will be checked against).
    const summary = await dispatch(app, job, runId, now, options);
    await app.jobRuns.finish(runId, "ran", app.clock.now(), null, summary);
    log.info("job ran", { job, runId, summary });
    return { outcome: "ran", runId, summary };
  } catch (error) {
    log.error("job failed", { job, runId, ...errorFields(error) });
    return fail(app, job, runId, error, now);
  }
}

async function fail(app: App, job: JobName, runId: number, error: unknown, now: number): Promise<JobOutcome> {
  const reason = error instanceof Error ? error.message : String(error);
  await app.jobRuns.finish(runId, "failed", app.clock.now(), reason, null);
  await announceFailure(app, job, reason, now);
  return { outcome: "failed", runId, reason };
}

async function dispatch(
  app: App,
  job: JobName,
  runId: number,
  at: number,
  { review, ...options }: RunOptions,
): Promise<Record<string, unknown>> {
  switch (job) {
    case "scan": {
      // The midday scan says what it sees in the open positions first: two subrequests (a D1
      // read, a post) that the scan's budget for Claude then leaves aside.
      const reviewed = review ? await reviewPositions(app, at) : null;
      const scan = await runScan(app, at, runId, { ...options, spentBefore: reviewed?.subrequests ?? 0 });
      return reviewed ? { ...scan, review: reviewed.lines } : { ...scan };
    }
    case "monitor":
      return { ...(await runMonitor(app, at)) };
    case "eod":
      return { ...(await runEndOfDay(app, at)) };
  }
}

/** Scan and end of day need a trading session that day; the monitor needs the market open now. */
async function marketClosedReason(app: App, job: JobName, at: number): Promise<string | null> {
  if (job === "monitor") {
    const clock = await app.broker.clock();
    return clock.isOpen ? null : "market closed";
  }
  const day = tradingDay(at);
  const sessions = await app.broker.calendar(day, day);
  return sessions.some((s) => s.date === day) ? null : `no trading session on ${day} (weekend or market holiday)`;
}

async function skip(app: App, job: JobName, scheduledTime: number, now: number, reason: string): Promise<JobOutcome> {
  await app.jobRuns.skipped(job, scheduledTime, now, reason);
  return { outcome: "skipped", reason };
}

/** Posts a job failure to the channel, at most once per interval per job (KV TTL as the gate). */
async function announceFailure(app: App, job: JobName, reason: string, now: number): Promise<void> {
  try {
    if (!(await app.kv.once(KV_KEYS.jobError(job), ERROR_POST_INTERVAL_S))) return;
    await app.discord.post(jobErrorMessage(job, reason, now));
  } catch (error) {
    log.error("could not announce job failure", { job, ...errorFields(error) });
  }
}
