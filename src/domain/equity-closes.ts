// Which end-of-day closes a period's equity change runs over (track-record.ts reports the change).
// Kept out of track-record.ts: `npm run register` loads that file under Node (for the commands'
// period choices), and Node does not resolve an extensionless value import like the one below.
import { utcInstant } from "./market-time";
import type { EquityPoint } from "./track-record";

/**
 * The closes a period's equity change runs over: the last one at or before `start` (the equity
 * the period began with: a day closes at 16:00 New York, an early close taken as 16:00 too) and
 * every one after it; from the first when none is that early, and all of them without a start.
 */
export function closesFrom(points: readonly EquityPoint[], start: number | null): EquityPoint[] {
  const days = [...points].sort((a, b) => a.tradingDay.localeCompare(b.tradingDay));
  if (start === null) return days;
  const before = days.findLastIndex((p) => utcInstant(p.tradingDay, "16:00") <= start);
  return days.slice(Math.max(0, before));
}
