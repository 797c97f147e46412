// The simulated market's calendar: NYSE sessions from the pure core (holidays, 13:00 early
// closes), plus the listing rule real exchanges follow for expiries that fall on a holiday.
import { nextSession, nyseSession, previousSession, type Session, utcInstant } from "../../domain/market-time";

export function sessionOf(date: string): Session | null {
  return nyseSession(date);
}

export function isTradingDay(date: string): boolean {
  return nyseSession(date) !== null;
}

/** The last trading day strictly before `date`. */
export const previousTradingDay = previousSession;

/** The first trading day strictly after `date`. */
export const nextTradingDay = nextSession;

/** The day itself when it is a trading day, else the last trading day before it. */
export function sessionOnOrBefore(date: string): string {
  return isTradingDay(date) ? date : previousTradingDay(date);
}

/** An expiry that falls on a market holiday is listed on the trading day before it. */
export function listedExpiration(date: string): string {
  return sessionOnOrBefore(date);
}

/** The UTC instant of the close of a trading day (13:00 New York on early-close days). */
export function closeInstant(date: string): number {
  return utcInstant(date, nyseSession(date)?.close ?? "16:00");
}
