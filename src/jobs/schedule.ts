// The single table from cron expression to job. `scheduled()` dispatches with it and a test
// checks it against wrangler.toml, so the two cannot drift. Each cron fires at two UTC hours
// (US summer and winter time); the job keeps the firing that lands on its New York slot.
import type { JobName } from "../../drizzle/schema";

export interface JobSchedule {
  job: JobName;
  cron: string;
  /** New York wall-clock times at which the job's work is due ("HH:MM"), or "session" for every firing in market hours. */
  slots: readonly string[] | "session";
  what: string;
}

export const SCHEDULE: readonly JobSchedule[] = [
  { job: "scan", cron: "0 14,15 * * 1-5", slots: ["10:00"], what: "scan the watchlist and post recommendations" },
  {
    job: "monitor",
    cron: "*/5 13-21 * * 1-5",
    slots: "session",
    what: "watch positions, expire stale recommendations",
  },
  { job: "eod", cron: "15 20,21 * * 1-5", slots: ["16:15"], what: "post the end-of-day summary" },
];

export function jobForCron(cron: string): JobSchedule | undefined {
  return SCHEDULE.find((s) => s.cron === cron);
}
