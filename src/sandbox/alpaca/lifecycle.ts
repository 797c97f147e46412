// What happens to the simulated account as time passes, without anyone calling: day orders end
// at the session's close, and options settle after the close of their expiration day.
//
// Modelled on Alpaca's documentation:
// - Options orders are `day` orders; one still working at the close ends (status "expired").
//   The close is 16:00 New York, 13:00 on early-close days.
// - Non-Trade Activities for Option Events (docs.alpaca.markets, "non-trade-activities-for-
//   option-events"): an exercise books OPEXC (qty: the contracts, negative for a long) and an
//   OPTRD of the underlying at the strike; an assignment books OPASN (qty: the contracts, positive
//   for a short) and an OPTRD; an in-the-money option at expiry without "do not exercise" is
//   exercised automatically; a worthless one expires (OPEXP). `date` is the expiration date.
// Alpaca books these after the close (the positions change overnight); the simulator books them
// at the close, so a run right after the close already sees the result.

import { tradingDay } from "../../domain/market-time";
import { parseOccSymbol } from "../../domain/occ";
import { applyFill, type Book, isOpenStatus, type SimActivity, type SimOrder } from "./book";
import { cents } from "./chain";
import { closeInstant, isTradingDay, listedExpiration, nextTradingDay } from "./trading-days";

/** The close at which a day order sent at `submittedAt` ends: its session's, or the next one's. */
export function dayOrderEnd(submittedAt: number): number {
  const day = tradingDay(submittedAt);
  if (isTradingDay(day) && submittedAt < closeInstant(day)) return closeInstant(day);
  return closeInstant(nextTradingDay(day));
}

/** Day orders still working when their session closed, as Alpaca leaves them: expired. */
export function expireDayOrders(book: Book, now: number): Book {
  let changed = false;
  const orders = book.orders.map((order): SimOrder => {
    if (!isOpenStatus(order.status)) return order;
    const end = dayOrderEnd(order.submittedAt);
    if (end > now) return order;
    changed = true;
    return { ...order, status: "expired", expiredAt: end, updatedAt: end };
  });
  return changed ? { ...book, orders } : book;
}

/**
 * Settles every option position whose expiration day has closed by `now`, at the underlying's
 * price at that close: in the money by a cent or more is exercised (long) or assigned (short)
 * into 100 shares a contract at the strike; anything else expires worthless.
 */
export function settleExpirations(
  book: Book,
  now: number,
  spotAt: (underlying: string, at: number) => number,
  newId: () => string,
): Book {
  let { cash, positions } = book;
  const activities: SimActivity[] = [];
  for (const position of book.positions) {
    const occ = parseOccSymbol(position.symbol);
    if (!occ.ok || position.qty === 0) continue;
    const { underlying, expiration, type, strike } = occ.value;
    const day = listedExpiration(expiration);
    const closeAt = closeInstant(day);
    if (closeAt > now) continue;
    const spot = spotAt(underlying, closeAt);
    const itm = type === "call" ? spot - strike : strike - spot;
    const contracts = position.qty;
    const id = () => `${day.replaceAll("-", "")}000000000::${newId()}`;
    positions = positions.filter((p) => p.symbol !== position.symbol);
    if (itm < 0.01) {
      activities.push(activity(id(), "OPEXP", day, position.symbol, -contracts, null, 0, closeAt));
      continue;
    }
    // A long call exercised buys shares; a long put sells them; an assignment is the mirror image.
    const shares = (type === "call" ? 1 : -1) * contracts * 100;
    const amount = cents(-shares * strike);
    const kind = contracts > 0 ? "OPEXC" : "OPASN";
    activities.push(activity(id(), kind, day, position.symbol, -contracts, null, 0, closeAt));
    activities.push(activity(id(), "OPTRD", day, underlying, shares, strike, amount, closeAt));
    positions = applyFill(positions, underlying, shares, strike);
    cash = cents(cash + amount);
  }
  if (activities.length === 0) return book;
  return { ...book, cash, positions, activities: [...book.activities, ...activities] };
}

/**
 * An early assignment, as Alpaca books one on the morning after: the short contracts held in
 * `symbol` (all, or `count` of them) are assigned now, into 100 shares a contract at the strike (OPASN and the OPTRD of the
 * underlying, dated today). An American option's holder may exercise any day; a short call is
 * most at risk the day before an ex-dividend date, a deep in-the-money put near expiry.
 */
export function assignEarly(
  book: Book,
  symbol: string,
  now: number,
  newId: () => string,
  count?: number,
): { ok: true; book: Book } | { ok: false; message: string } {
  const occ = parseOccSymbol(symbol);
  const position = book.positions.find((p) => p.symbol === symbol);
  if (!occ.ok || !position || position.qty >= 0)
    return { ok: false, message: `the account holds no short ${symbol} to assign` };
  const { underlying, type, strike } = occ.value;
  const day = tradingDay(now);
  const id = () => `${day.replaceAll("-", "")}000000000::${newId()}`;
  const contracts = -Math.min(-position.qty, count ?? -position.qty); // negative: short
  const shares = (type === "call" ? 1 : -1) * contracts * 100;
  const amount = cents(-shares * strike);
  const activities = [
    activity(id(), "OPASN", day, symbol, -contracts, null, 0, now),
    activity(id(), "OPTRD", day, underlying, shares, strike, amount, now),
  ];
  const left = position.qty - contracts;
  const positions = applyFill(
    book.positions.flatMap((p) => (p.symbol !== symbol ? [p] : left === 0 ? [] : [{ ...p, qty: left }])),
    underlying,
    shares,
    strike,
  );
  return {
    ok: true,
    book: { ...book, cash: cents(book.cash + amount), positions, activities: [...book.activities, ...activities] },
  };
}

function activity(
  id: string,
  type: SimActivity["type"],
  date: string,
  symbol: string,
  qty: number,
  price: number | null,
  netAmount: number,
  at: number,
): SimActivity {
  return { id, type, date, symbol, qty, price, netAmount, at };
}
