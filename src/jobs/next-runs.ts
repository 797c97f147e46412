// When each job will next do its work, for /status: the next weekday New York slot (holidays
// by the NYSE rules), or "every 5 minutes in the session" for the monitor.
import { addDays } from "../domain/dates";
import { isRegularSession, nyseSession, tradingDay, utcInstant } from "../domain/market-time";
import { SCHEDULE } from "./schedule";

const FIVE_MINUTES = 5 * 60_000;

export function nextRuns(now: number): { job: string; at: number }[] {
  const runs: { job: string; at: number }[] = [];
  for (const entry of SCHEDULE) {
    // The monitor runs every 5 minutes in the session: next is the coming 5-minute mark, or the open.
    const at =
      entry.slots !== "session"
        ? nextSlot(now, entry.slots)
        : isRegularSession(now)
          ? Math.ceil((now + 1) / FIVE_MINUTES) * FIVE_MINUTES
          : nextSlot(now, ["09:30"]);
    if (at !== null) runs.push({ job: entry.job, at });
  }
  return runs.sort((a, b) => a.at - b.at);
}

function nextSlot(now: number, slots: readonly string[]): number | null {
  const today = tradingDay(now);
  for (let i = 0; i < 10; i++) {
    const day = addDays(today, i);
    if (!nyseSession(day)) continue;
    for (const slot of slots) {
      const at = utcInstant(day, slot);
      if (at > now) return at;
    }
  }
  return null;
}
