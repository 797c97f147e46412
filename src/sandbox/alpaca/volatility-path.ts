// The simulated market's at-the-money implied volatility over time: a ticker's base level
// times two slow swings (a regime of ~80-120 days and a ripple of ~15-25 days). The swings are
// measured from when the simulated world was created or reset, so every fresh world starts at
// its base level, mid-range in its own past year, and wanders from there: IV rank has a sensible
// value on day one and moves as days pass. The quotes and the sandbox's IV history backfill both
// read this one function.
import { baseVolatility, unit } from "./market";
import { closeInstant, previousTradingDay } from "./trading-days";

const DAY = 86_400_000;
const SLOW_AMPLITUDE = 0.2; // of log IV: about ±20 %
const FAST_AMPLITUDE = 0.07;

export function atmVolatility(symbol: string, seed: number, startedAt: number, now: number): number {
  const days = (now - startedAt) / DAY;
  const slow = 80 + 40 * unit(seed, `iv-slow:${symbol}`);
  const fast = 15 + 10 * unit(seed, `iv-fast:${symbol}`);
  const swing =
    SLOW_AMPLITUDE * Math.sin((2 * Math.PI * days) / slow) + FAST_AMPLITUDE * Math.sin((2 * Math.PI * days) / fast);
  return baseVolatility(symbol, seed) * Math.exp(swing);
}

export interface DailyIv {
  date: string;
  iv: number;
}

/**
 * The ATM IV at the close of each of the `days` trading days before `before` (oldest first),
 * rounded as the quotes publish it: what a year of daily scans would have recorded.
 */
export function dailyIvHistory(
  symbol: string,
  seed: number,
  startedAt: number,
  before: string,
  days: number,
): DailyIv[] {
  const out: DailyIv[] = [];
  let date = before;
  for (let i = 0; i < days; i++) {
    date = previousTradingDay(date);
    const iv = atmVolatility(symbol, seed, startedAt, closeInstant(date));
    out.push({ date, iv: Math.round(iv * 10_000) / 10_000 });
  }
  return out.reverse();
}
