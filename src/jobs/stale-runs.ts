// A run the platform stopped mid-way (waitUntil cuts a /scan 30 s after its reply; an isolate
// can die) stays "running" in D1 with nobody left to finish it, and /status would show it
// running for ever. The monitor marks such runs failed and says so once in the channel.
import type { JobRunRow } from "../../drizzle/schema";
import type { App } from "../app";
import { discordTime } from "../discord/messages/format";
import { noticeMessage } from "../discord/messages/notice";
import { errorFields, log } from "../log";
import { STALE_RUN_MS } from "../store/job-runs";

export const STALE_RUN_REASON =
  "stopped while running (the Worker was cut off or crashed); marked failed by the monitor";

/** Tells the channel about the runs the monitor's opening read marked failed (store/monitor-book.ts). */
export async function announceStaleRuns(app: App, stale: readonly JobRunRow[]): Promise<void> {
  for (const run of stale) {
    log.warn("job run stopped while running", { job: run.job, runId: run.id, slot: run.slotKey });
    try {
      await app.discord.post(noticeMessage(`${run.job} run did not finish`, noticeText(run), "warn"));
    } catch (error) {
      // The run is marked failed either way; only the notice is lost, and the log says so.
      log.error("could not post the stale-run notice", { runId: run.id, ...errorFields(error) });
    }
  }
}

function noticeText(run: JobRunRow): string {
  const minutes = Math.round(STALE_RUN_MS / 60_000);
  const again = run.job === "scan" ? " Use /scan to run it again." : "";
  return [
    `The ${run.job} run started ${discordTime(run.startedAt, "f")} was still running after ${minutes} minutes:`,
    "the Worker stopped before it finished (a /scan is cut off 30 s after its reply).",
    `It is now marked failed. What it completed before stopping stands.${again}`,
  ].join(" ");
}
