// The New York slot table: which job is due at a UTC instant. One table for the whole day:
//   scan     at each SCAN_TIMES slot (default 09:35, 12:00, 15:30 New York), in the session;
//            the midday one (middayScan) also reviews the open positions;
//   monitor  every firing inside the regular session (09:30 up to the close);
//   eod      16:15 New York.
// Cron is UTC and New York moves between UTC-5 and UTC-4, so the crons fire every 5 minutes
// across both offsets (src/jobs/schedule.ts) and this table, in New York time, says what is
// due: the same wall-clock day in January and July. Weekends, NYSE holidays and early closes
// come from the rules in market-time.ts; the broker's calendar and clock stay the authority
// when a job runs (run-job.ts).
import { addDays } from "./dates";
import { isRegularSession, newYorkParts, nyseSession, utcInstant } from "./market-time";

/** The scheduled jobs (the job_runs table's job column takes these). */
export const JOB_NAMES = ["scan", "monitor", "eod"] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** The firing interval of the crons: every slot must sit on it. */
export const SLOT_MINUTES = 5;
export const SESSION_OPEN = "09:30";
export const SESSION_CLOSE = "16:00";
export const EOD_TIME = "16:15";
export const DEFAULT_SCAN_TIMES: readonly string[] = ["09:35", "12:00", "15:30"];
/** The midday review goes with the scan nearest this time (after the first scan). */
const MIDDAY = "12:00";

export interface DueSlot {
  job: JobName;
  /** The idempotency key of the run: one run per job per New York slot ("scan:2027-01-15T09:35"). */
  key: string;
  /** The New York wall-clock time of the slot ("HH:MM"). */
  time: string;
  /** The midday scan: it also reviews the open positions. */
  midday: boolean;
}

export type SlotAnswer = ({ ok: true } & DueSlot) | { ok: false; reason: string };

/** The run key of `job` at the instant's New York minute: "monitor:2027-01-15T10:05". */
export function slotKeyOf(job: JobName, utcMs: number): string {
  const ny = newYorkParts(utcMs);
  return `${job}:${ny.date}T${ny.time}`;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * What is wrong with a SCAN_TIMES list, one problem a line (empty when none). A scan must run in
 * the session (09:30 up to the last 5-minute mark before the 16:00 close: a scan at the bell
 * would post ideas nobody can approve) and on a 5-minute mark, the only minutes a cron fires.
 */
export function scanTimesProblems(times: readonly string[]): string[] {
  const problems: string[] = [];
  if (times.length === 0) problems.push("needs at least one New York time, like 09:35,12:00,15:30");
  for (const time of times) {
    if (!/^\d{2}:\d{2}$/.test(time) || Number(time.slice(3)) > 59) {
      problems.push(`"${time}" is not a time: write HH:MM in New York time, like 09:35`);
      continue;
    }
    const m = minutesOf(time);
    if (m < minutesOf(SESSION_OPEN) || m >= minutesOf(SESSION_CLOSE))
      problems.push(`${time} is outside the session: scans run from ${SESSION_OPEN} to 15:55 New York`);
    else if (m % SLOT_MINUTES !== 0)
      problems.push(`${time} is not on a ${SLOT_MINUTES}-minute mark (the cron fires at :00, :05, … :55)`);
  }
  if (new Set(times).size !== times.length) problems.push("lists a time twice");
  return problems;
}

/** The scan times in day order. */
export function sortedScanTimes(times: readonly string[]): string[] {
  return [...times].sort((a, b) => minutesOf(a) - minutesOf(b));
}

/** The scan slot that also reviews positions: of the scans after the first, the one nearest 12:00. */
export function middayScan(scanTimes: readonly string[]): string | null {
  const later = sortedScanTimes(scanTimes).slice(1);
  let best: string | null = null;
  for (const t of later)
    if (best === null || Math.abs(minutesOf(t) - minutesOf(MIDDAY)) < Math.abs(minutesOf(best) - minutesOf(MIDDAY)))
      best = t;
  return best;
}

/** Whether `job` is due at the instant, with its slot key, or why not. */
export function slotFor(job: JobName, utcMs: number, scanTimes: readonly string[]): SlotAnswer {
  const ny = newYorkParts(utcMs);
  const session = nyseSession(ny.date);
  if (!session) return { ok: false, reason: `no trading session on ${ny.date} (weekend or market holiday)` };
  const due = (midday = false): SlotAnswer => ({
    ok: true,
    job,
    key: slotKeyOf(job, utcMs),
    time: ny.time,
    midday,
  });
  switch (job) {
    case "monitor":
      return isRegularSession(utcMs, session)
        ? due()
        : { ok: false, reason: `${ny.time} New York is outside the session (${session.open}-${session.close})` };
    case "eod":
      return ny.time === EOD_TIME
        ? due()
        : { ok: false, reason: `not its New York slot (${EOD_TIME}): ${ny.time} New York` };
    case "scan": {
      if (!scanTimes.includes(ny.time))
        return { ok: false, reason: `not a scan slot (${sortedScanTimes(scanTimes).join(", ")} New York): ${ny.time}` };
      if (ny.minutesOfDay >= minutesOf(session.close))
        return { ok: false, reason: `${ny.time} is after the early close (${session.close}) on ${ny.date}` };
      return due(ny.time === middayScan(scanTimes));
    }
  }
}

/** Every job due at the instant (the whole table; a cron carries some of them, see schedule.ts). */
export function slotsDue(utcMs: number, scanTimes: readonly string[], jobs: readonly JobName[]): DueSlot[] {
  const due: DueSlot[] = [];
  for (const job of jobs) {
    const answer = slotFor(job, utcMs, scanTimes);
    if (answer.ok) due.push({ job: answer.job, key: answer.key, time: answer.time, midday: answer.midday });
  }
  return due;
}

export interface NextRun {
  job: JobName;
  at: number;
  /** What to say beside its time: "with the positions review", "every 5 minutes in the session". */
  note?: string;
}

/** When each job next does its work, from `now`: the next scan slot, the monitor's next firing, the next end of day. */
export function nextRuns(now: number, scanTimes: readonly string[]): NextRun[] {
  const runs: NextRun[] = [];
  const scan = nextWhere(now, sortedScanTimes(scanTimes), (at) => slotFor("scan", at, scanTimes).ok);
  if (scan !== null)
    runs.push(
      newYorkParts(scan).time === middayScan(scanTimes)
        ? { job: "scan", at: scan, note: "with the positions review" }
        : { job: "scan", at: scan },
    );
  const step = SLOT_MINUTES * 60_000;
  const mark = Math.floor(now / step) * step + step;
  const monitor = isRegularSession(mark) ? mark : nextWhere(now, [SESSION_OPEN], () => true);
  if (monitor !== null)
    runs.push({ job: "monitor", at: monitor, note: `every ${SLOT_MINUTES} minutes in the session` });
  const eod = nextWhere(now, [EOD_TIME], () => true);
  if (eod !== null) runs.push({ job: "eod", at: eod });
  return runs.sort((a, b) => a.at - b.at);
}

/** The first New York time of `times` after `now` on a session day (within two weeks) that `keep` accepts. */
function nextWhere(now: number, times: readonly string[], keep: (at: number) => boolean): number | null {
  const today = newYorkParts(now).date;
  for (let i = 0; i < 14; i++) {
    const day = addDays(today, i);
    if (!nyseSession(day)) continue;
    for (const time of times) {
      const at = utcInstant(day, time);
      if (at > now && keep(at)) return at;
    }
  }
  return null;
}
