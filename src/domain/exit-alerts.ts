// When an exit alert is posted again, and when expiry day needs an urgent one. An alert nobody
// acted on is not the end of it: a stop that still holds is posted again every `realertMinutes`
// and calls the people who may close it; a profit target or a time exit, which cost nothing by
// waiting an hour, once a trading day (every half hour, a held target filled the channel).
// On expiry day, from the warning time, a short leg in the money or within one expected move
// of the strike until the close gets an urgent alert, repeated until the position is closed.
import type { ExitTrigger } from "./exits";
import { newYorkParts, nyseSession, tradingDay, utcInstant } from "./market-time";
import { inTheMoneyBy, optionTypeOf, type Strategy } from "./recommendation-state";

export interface AlertHistory {
  /** The trigger last alerted, and when (null: never, or before alerts were timed). */
  exitAlert: string | null;
  exitAlertAt: number | null;
}

export type AlertPlan = { post: false } | { post: true; repeat: boolean; mention: boolean };

export function exitAlertPlan(
  history: AlertHistory,
  trigger: ExitTrigger,
  now: number,
  realertMinutes: number,
): AlertPlan {
  const mention = trigger === "stop_loss";
  if (history.exitAlert !== trigger) return { post: true, repeat: false, mention };
  const last = history.exitAlertAt;
  if (last === null) return { post: true, repeat: true, mention };
  const due = trigger === "stop_loss" ? now - last >= realertMinutes * 60_000 : tradingDay(now) !== tradingDay(last); // a target or a time rule can wait: once a day is enough
  return due ? { post: true, repeat: true, mention } : { post: false };
}

export interface ExpiringPosition {
  symbol: string;
  strategy: Strategy;
  shortStrike: number;
  longStrike: number;
  contracts: number;
  expiration: string;
}

export interface ExpiryWarning {
  inTheMoney: boolean;
  /** One standard deviation of the underlying's move from now to the close, in dollars. */
  expectedMove: number;
  reason: string;
}

const TRADING_MINUTES_PER_YEAR = 252 * 390;
/** Without the short leg's IV, "near" means within this share of the price. */
const NEAR_WITHOUT_IV = 0.01;

/**
 * The urgent expiry-day warning for a position, or null when none is due now: not its expiry
 * day, before the warning time (an hour before an early close at the latest), after the close,
 * or the short strike safely out of reach.
 */
export function expiryWarning(
  position: ExpiringPosition,
  underlyingPrice: number,
  shortLegIv: number | null,
  now: number,
  warningTime: string,
): ExpiryWarning | null {
  if (tradingDay(now) !== position.expiration) return null;
  const session = nyseSession(position.expiration);
  if (!session) return null;
  const close = utcInstant(position.expiration, session.close);
  const from = Math.min(utcInstant(position.expiration, warningTime), close - 60 * 60_000);
  if (now < from || now >= close) return null;

  const minutesLeft = (close - now) / 60_000;
  const expectedMove =
    shortLegIv !== null && shortLegIv > 0
      ? underlyingPrice * shortLegIv * Math.sqrt(minutesLeft / TRADING_MINUTES_PER_YEAR)
      : underlyingPrice * NEAR_WITHOUT_IV;
  const beyond = inTheMoneyBy(position.strategy, position.shortStrike, underlyingPrice);
  const inTheMoney = beyond > 0;
  const distance = Math.abs(beyond);
  if (!inTheMoney && distance > expectedMove) return null;

  const leg = `${optionTypeOf(position.strategy)} ${position.shortStrike}`;
  const closeTime = newYorkParts(close).time;
  const where = inTheMoney
    ? `is in the money by $${distance.toFixed(2)}`
    : `is $${distance.toFixed(2)} out of the money, within one expected move ($${expectedMove.toFixed(2)}) before the close`;
  return {
    inTheMoney,
    expectedMove,
    reason: `expires today at ${closeTime} New York: the short ${leg} ${where} (underlying $${underlyingPrice.toFixed(2)}). Left open, it can be assigned tonight: ${assignmentOutlook(position, underlyingPrice)}`,
  };
}

const dollars = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;

/**
 * What an assignment of the short leg tonight leaves, with the underlying at `underlyingPrice`:
 * the shares it delivers, and whether the long leg (exercised when in the money) offsets them.
 * A short leg assigned beside a long one that expires leaves stock nothing caps.
 */
export function assignmentOutlook(p: ExpiringPosition, underlyingPrice: number): string {
  const kind = optionTypeOf(p.strategy);
  const shares = 100 * p.contracts;
  if (inTheMoneyBy(p.strategy, p.longStrike, underlyingPrice) > 0)
    return `the long ${kind} ${p.longStrike} is in the money too and would be exercised: the shares offset, and the loss is the spread's max loss.`;
  const delivered = kind === "put" ? "bought" : "sold short";
  return `${shares} ${p.symbol} shares ${delivered} at $${p.shortStrike} (${dollars(shares * p.shortStrike)}), while the long ${kind} ${p.longStrike}, out of the money, expires: nothing offsets the shares, so the loss is no longer capped at the spread's max loss.`;
}
