// The crons and the jobs each carries. `scheduled()` dispatches with it, and a test fires every
// cron of wrangler.toml over a January and a July trading day against it, so the two cannot drift.
// What is due at a firing is the New York slot table's answer (src/domain/job-slots.ts): the
// crons only have to fire at every 5-minute mark either UTC offset of New York can need.
//
// Two crons, not one: each firing is its own invocation with its own subrequest budget (50 on
// the free plan, which a ten-symbol scan spends alone), so a scan and the monitor due at the
// same mark (09:35) must not share one. Each cron's firing runs at most one job.
//   */5 13-21  New York 08:00-16:55 in winter, 09:00-17:55 in summer: scans and the end of day
//   */5 13-20  New York 08:00-15:55 in winter, 09:00-16:55 in summer: the monitor's session
import { type DueSlot, type JobName, slotsDue } from "../domain/job-slots";

export interface CronLane {
  cron: string;
  jobs: readonly JobName[];
  what: string;
}

export const CRONS: readonly CronLane[] = [
  {
    cron: "*/5 13-21 * * 1-5",
    jobs: ["scan", "eod"],
    what: "scan the watchlist at each SCAN_TIMES slot; post the end-of-day summary at 16:15 New York",
  },
  {
    cron: "*/5 13-20 * * 1-5",
    jobs: ["monitor"],
    what: "watch positions and expire stale recommendations, every 5 minutes in the session",
  },
];

/** Each job and the cron that carries it (scripts and tests fire a job through it). */
export const SCHEDULE: readonly { job: JobName; cron: string; what: string }[] = CRONS.flatMap((lane) =>
  lane.jobs.map((job) => ({ job, cron: lane.cron, what: lane.what })),
);

export function laneForCron(cron: string): CronLane | undefined {
  return CRONS.find((lane) => lane.cron === cron);
}

/** The jobs a firing of `cron` at the instant must run (none when it is no slot of its jobs). */
export function dueAtFiring(cron: string, scheduledTime: number, scanTimes: readonly string[]): DueSlot[] {
  const lane = laneForCron(cron);
  return lane ? slotsDue(scheduledTime, scanTimes, lane.jobs) : [];
}
