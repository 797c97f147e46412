// POST /sandbox/api/jobs/run {"job":"scan"|"monitor"|"eod", "slot"?: "12:00"}: runs a scheduled
// job now, as its cron would, so the console can show any slot without waiting for the clock.
// It goes through runJob, the function scheduled() calls, with a scheduled time that is the
// job's slot "now" (src/domain/job-slots.ts has the table):
//   scan   the given SCAN_TIMES slot, or the latest one already come, on the latest trading day
//          (today, if one; the first slot when none has come yet); the midday slot also reviews;
//   eod    16:15 on the latest trading day;
//   monitor  the current minute (the monitor's slot is every firing in the session); asked again
//            in a minute whose slot already ran (the market was moved since), it runs under an
//            on-demand slot of its own, as /scan does, unless a monitor run is still working.
// Otherwise the usual rules apply: a slot that already ran answers "skipped", with the reason.
import { z } from "zod";
import { createApp } from "../app";
import { ConfigError } from "../config";
import { EOD_TIME, JOB_NAMES, type JobName } from "../domain/job-slots";
import { newYorkParts, nyseSession, tradingDay, utcInstant } from "../domain/market-time";
import { json } from "../http";
import { runJob, runJobNow } from "../jobs/run-job";
import { log } from "../log";
import { previousTradingDay } from "./alpaca/trading-days";
import { sandboxWorld } from "./outside";

const Body = z
  .object({
    job: z.enum(JOB_NAMES),
    slot: z
      .string()
      .regex(/^\d{2}:\d{2}$/)
      .optional(),
  })
  .strict();

/** The scheduled instant a firing of `job` would carry if it were due now (at `slot`, when given). */
export function slotNow(job: JobName, now: number, scanTimes: readonly string[], slot?: string): number {
  if (job === "monitor") return Math.floor(now / 60_000) * 60_000;
  const today = tradingDay(now);
  const day = nyseSession(today) ? today : previousTradingDay(today);
  if (job === "eod") return utcInstant(day, EOD_TIME);
  if (slot) return utcInstant(day, slot);
  const timeNow = day === today ? newYorkParts(now).time : "24:00";
  const come = scanTimes.filter((t) => t <= timeNow);
  return utcInstant(day, come.at(-1) ?? scanTimes[0] ?? "09:35");
}

export async function jobsRunSandboxRoute(request: Request, env: Env, url: URL): Promise<Response | null> {
  if (url.pathname !== "/sandbox/api/jobs/run") return null;
  if (request.method !== "POST") return json({ error: "method_not_allowed" }, 405, { allow: "POST" });
  const parsed = Body.safeParse(await request.json().catch(() => null));
  if (!parsed.success)
    return json(
      {
        error: "bad_request",
        message: `body must be {"job": "${JOB_NAMES.join('" | "')}", "slot"?: "HH:MM" (a scan slot)}`,
      },
      400,
    );
  const { job, slot } = parsed.data;
  const world = await sandboxWorld(env);
  const now = world.clock.now();
  try {
    const app = createApp(env, world);
    const scheduledTime = slotNow(job, now, app.config.schedule.scanTimes, slot);
    let result = await runJob(app, job, scheduledTime, now);
    // Again in the same minute, once the minute's run has ended: never two monitors at once.
    if (job === "monitor" && result.outcome === "skipped" && result.reason.startsWith("already ran"))
      result =
        (await app.jobRuns.lastOf("monitor"))?.outcome === "running"
          ? { outcome: "skipped", reason: "a monitor run is still working; ask again when it ends" }
          : await runJobNow(app, job, `manual:${crypto.randomUUID()}`, now);
    log.info("sandbox: job run on demand", { job, scheduledTime: new Date(scheduledTime).toISOString(), ...result });
    return json({
      job,
      scheduled_time: new Date(scheduledTime).toISOString(),
      outcome: result.outcome,
      ...("reason" in result ? { reason: result.reason } : {}),
      ...("summary" in result ? { summary: result.summary } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) return json({ error: "config", message: error.message }, 503);
    throw error;
  }
}
