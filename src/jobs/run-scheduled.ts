// scheduled(): find the job for the cron that fired and run it for that instant.
import { createApp } from "../app";
import { ConfigError } from "../config";
import { log } from "../log";
import type { Outside } from "../outside";
import { runJob } from "./run-job";
import { jobForCron } from "./schedule";

export async function runScheduled(
  controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
  outside: Outside,
): Promise<void> {
  const entry = jobForCron(controller.cron);
  if (!entry) {
    log.warn("no job for cron", { cron: controller.cron });
    return;
  }
  try {
    const app = createApp(env, outside);
    const result = await runJob(app, entry.job, controller.scheduledTime, outside.clock.now());
    log.info("scheduled", {
      job: entry.job,
      scheduledTime: new Date(controller.scheduledTime).toISOString(),
      ...result,
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error("job not run: invalid configuration", { job: entry.job, problems: error.problems });
      return;
    }
    throw error;
  }
}
