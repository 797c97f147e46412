// POST /sandbox/api/jobs/run {"job":"scan"|"monitor"|"eod"}: runs a scheduled job now, as its
// cron would, so the console can show the monitor and the end of day without waiting for
// the clock. It goes through runJob, the function scheduled() calls, with a scheduled time
// that is the job's slot "now":
//   scan, eod  its New York slot (10:00, 16:15) on the latest trading day (today, if one);
//   monitor    the current minute (the monitor's slot is every firing in the session).
// The usual rules apply: a slot that already ran answers "skipped", with the reason.
import { z } from "zod";
import { JOB_NAMES, type JobName } from "../../drizzle/schema";
import { createApp } from "../app";
import { ConfigError } from "../config";
import { nyseSession, tradingDay, utcInstant } from "../domain/market-time";
import { json } from "../http";
import { runJob } from "../jobs/run-job";
import { SCHEDULE } from "../jobs/schedule";
import { log } from "../log";
import { previousTradingDay } from "./alpaca/trading-days";
import { sandboxWorld } from "./outside";

const Body = z.object({ job: z.enum(JOB_NAMES) }).strict();

/** The scheduled instant a firing of `job` would carry if it were due now. */
export function slotNow(job: JobName, now: number): number {
  const entry = SCHEDULE.find((s) => s.job === job);
  if (!entry || entry.slots === "session") return Math.floor(now / 60_000) * 60_000;
  const today = tradingDay(now);
  const day = nyseSession(today) ? today : previousTradingDay(today);
  return utcInstant(day, entry.slots[0] ?? "00:00");
}

export async function jobsRunSandboxRoute(request: Request, env: Env, url: URL): Promise<Response | null> {
  if (url.pathname !== "/sandbox/api/jobs/run") return null;
  if (request.method !== "POST") return json({ error: "method_not_allowed" }, 405, { allow: "POST" });
  const parsed = Body.safeParse(await request.json().catch(() => null));
  if (!parsed.success)
    return json({ error: "bad_request", message: `body must be {"job": "${JOB_NAMES.join('" | "')}"}` }, 400);
  const { job } = parsed.data;
  const world = await sandboxWorld(env);
  const now = world.clock.now();
  const scheduledTime = slotNow(job, now);
  try {
    const result = await runJob(createApp(env, world), job, scheduledTime, now);
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
