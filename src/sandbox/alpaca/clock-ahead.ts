// What lies ahead of the sandbox clock on the simulated NYSE calendar, for the console's
// fast-forward buttons (GET /sandbox/api/clock?detail=1): the next open, the close of the current
// or next session, and the nearest expiration among the options either book holds.

import { tradingDay, utcInstant } from "../../domain/market-time";
import { parseOccSymbol } from "../../domain/occ";
import { closeInstant, listedExpiration, nextTradingDay, sessionOf } from "./trading-days";

export interface Expiration {
  /** The listed expiration day (New York date). */
  date: string;
  /** Its close, when the simulator settles the options that expire then. */
  close: number;
  /** The underlyings with options expiring that day, sorted. */
  underlyings: string[];
}

/** The first session open strictly after `now` (today's, when it is still to come). */
export function nextOpen(now: number): number {
  const today = tradingDay(now);
  const session = sessionOf(today);
  if (session && utcInstant(today, session.open) > now) return utcInstant(today, session.open);
  const day = nextTradingDay(today);
  return utcInstant(day, sessionOf(day)?.open ?? "09:30");
}

/** The close of today's session while it is still to come, else the next trading day's. */
export function nextClose(now: number): number {
  const today = tradingDay(now);
  if (sessionOf(today) && closeInstant(today) > now) return closeInstant(today);
  return closeInstant(nextTradingDay(today));
}

/** The nearest expiration close after `now` among OCC option symbols; stock and past expiries are ignored. */
export function nextExpiration(now: number, symbols: readonly string[]): Expiration | null {
  let best: Expiration | null = null;
  for (const symbol of symbols) {
    const occ = parseOccSymbol(symbol);
    if (!occ.ok) continue;
    const date = listedExpiration(occ.value.expiration);
    const close = closeInstant(date);
    if (close <= now) continue;
    if (!best || close < best.close) best = { date, close, underlyings: [occ.value.underlying] };
    else if (close === best.close && !best.underlyings.includes(occ.value.underlying))
      best.underlyings = [...best.underlyings, occ.value.underlying].sort();
  }
  return best;
}
