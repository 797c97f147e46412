// scheduled(): ask the slot table which job the firing's cron carries at that instant, and run
// it. Most firings are no slot of anything (the crons fire every 5 minutes across both New York
// offsets): those do nothing at all, not even a record.
import type { App } from "../app";
import { ConfigError } from "../config";
import { log } from "../log";
import { runJob } from "./run-job";
import { dueAtFiring, laneForCron } from "./schedule";

/** `appFor` builds the job's app (src/worker.ts); called only for a cron that carries jobs. */
export async function runScheduled(controller: ScheduledController, appFor: () => App): Promise<void> {
  if (!laneForCron(controller.cron)) {
    log.warn("no job for cron", { cron: controller.cron });
    return;
  }
  try {
    const app = appFor();
    const due = dueAtFiring(controller.cron, controller.scheduledTime, app.config.schedule.scanTimes);
    for (const slot of due) {
      const result = await runJob(app, slot.job, controller.scheduledTime, app.clock.now());
      // The firing and its slot. A run's summary is in its "job ran" line (run-job.ts), once.
      log.info("scheduled", {
        job: slot.job,
        slot: slot.key,
        scheduledTime: new Date(controller.scheduledTime).toISOString(),
        ...(result.outcome === "ran" ? { outcome: result.outcome, runId: result.runId } : result),
      });
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error("jobs not run: invalid configuration", { cron: controller.cron, problems: error.problems });
      return;
    }
    throw error;
  }
}
