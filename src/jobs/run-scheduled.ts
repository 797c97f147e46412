// scheduled(): find the job for the cron that fired and run it for that instant.
import { log } from "../log";
import type { Outside } from "../outside";
import { jobForCron } from "./schedule";

export async function runScheduled(
  controller: ScheduledController,
  _env: Env,
  _ctx: ExecutionContext,
  _outside: Outside,
): Promise<void> {
  const entry = jobForCron(controller.cron);
  if (!entry) {
    log.warn("no job for cron", { cron: controller.cron });
    return;
  }
  log.info("job fired", { job: entry.job, scheduledTime: new Date(controller.scheduledTime).toISOString() });
}
