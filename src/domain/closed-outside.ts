// Closes made at Alpaca by orders the bot did not send (a person at its web page or app, or
// Alpaca itself): a spread whose legs Alpaca now holds fewer of, by whole spreads, and the filled
// orders that explain how many and at what price. The bot books such a close as it books its own
// (monitor step, actions/closed-outside.ts), each order once, so its books, risk limits and P/L
// follow the account. Pure.
import type { HeldSpread } from "./broker-book";
import { isBotOrderId } from "./orders";

/**
 * The close reason of a position closed at Alpaca by an order the bot did not send: a person at
 * Alpaca's page or app, or Alpaca itself (a liquidation). "Reason: At Alpaca, not by the bot".
 */
export const OUTSIDE_CLOSE = "at Alpaca, not by the bot";

/** What the bot reads of an order (the broker port's BrokerOrder has these). */
export interface OrderFills {
  id: string;
  clientOrderId: string;
  status: string;
  filledQty: number;
  /** Signed like the limit (a debit positive); null when Alpaca gave none. */
  filledAvgPrice: number | null;
  submittedAt: number | null;
  filledAt: number | null;
  legs: readonly { symbol: string; side: "buy" | "sell"; filledAvgPrice: number | null }[];
}

/** Alpaca's statuses of an order that may fill more. */
const STILL_FILLING = new Set(["new", "pending_new", "accepted", "partially_filled", "pending_cancel", "replaced"]);

/** A close found at the broker: how many spreads, their average debit a share, when, by which orders. */
export interface OutsideClose {
  contracts: number;
  debit: number;
  at: number;
  orderIds: string[];
}

/**
 * Spreads of the position Alpaca no longer holds: as many short contracts bought back as long
 * ones sold, and at most the position's size. 0 when the legs agree, or disagree in any other way
 * (one leg alone gone is an assignment, or something reconcile reports).
 */
export function spreadsGoneAtBroker(
  position: Pick<HeldSpread, "shortSymbol" | "longSymbol" | "contracts">,
  held: ReadonlyMap<string, number>,
): number {
  const shortGone = position.contracts + (held.get(position.shortSymbol) ?? 0);
  const longGone = position.contracts - (held.get(position.longSymbol) ?? 0);
  return shortGone === longGone && shortGone > 0 && shortGone <= position.contracts ? shortGone : 0;
}

/** What one order placed outside the bot did to the spread: short contracts bought back, long ones sold, and what it paid. */
interface SpreadFill {
  orderId: string;
  short: number;
  long: number;
  /** Dollars a share times contracts: the short legs bought less the long legs sold. */
  paid: number;
  at: number;
}

/**
 * The order's part in closing the spread: both legs in one order (Alpaca's multi-leg close, priced
 * at its own average or its legs'), or one leg alone (closed leg by leg, a simple order's one leg
 * at its price). Undefined when it touches neither leg; null when it does but has no price.
 */
function spreadFillOf(
  order: OrderFills,
  position: Pick<HeldSpread, "shortSymbol" | "longSymbol">,
  at: number,
): SpreadFill | null | undefined {
  const shortLeg = order.legs.find((l) => l.symbol === position.shortSymbol && l.side === "buy");
  const longLeg = order.legs.find((l) => l.symbol === position.longSymbol && l.side === "sell");
  const qty = order.filledQty;
  if (shortLeg && longLeg) {
    const debit =
      order.filledAvgPrice !== null
        ? Math.abs(order.filledAvgPrice)
        : shortLeg.filledAvgPrice !== null && longLeg.filledAvgPrice !== null
          ? shortLeg.filledAvgPrice - longLeg.filledAvgPrice
          : null;
    return debit === null ? null : { orderId: order.id, short: qty, long: qty, paid: debit * qty, at };
  }
  const leg = shortLeg ?? longLeg;
  if (!leg) return undefined;
  if (leg.filledAvgPrice === null) return null;
  return leg === shortLeg
    ? { orderId: order.id, short: qty, long: 0, paid: leg.filledAvgPrice * qty, at }
    : { orderId: order.id, short: 0, long: qty, paid: -leg.filledAvgPrice * qty, at };
}

/**
 * The orders placed outside the bot since the position opened that bought its short leg back and
 * sold its long leg (in one order, or leg by leg), newest first, adding up to exactly the `gone`
 * spreads on both legs; null when they do not (an older order not listed, one still filling, one
 * without a price): the bot then books nothing and reconcile says the position disagrees.
 */
export function outsideCloseOf(
  position: Pick<HeldSpread, "shortSymbol" | "longSymbol"> & {
    openedAt: number;
    /** The outside orders already booked on it: each is booked once. */
    outsideOrderIds: readonly string[] | null;
  },
  orders: readonly OrderFills[],
  gone: number,
): OutsideClose | null {
  const booked = new Set(position.outsideOrderIds ?? []);
  const fills: SpreadFill[] = [];
  for (const order of orders) {
    if (isBotOrderId(order.clientOrderId) || booked.has(order.id) || order.filledQty <= 0) continue;
    // An order still filling is booked once it is done: its fills so far would be counted again.
    if (STILL_FILLING.has(order.status)) continue;
    const at = order.filledAt ?? order.submittedAt ?? 0;
    if (at < position.openedAt) continue;
    const fill = spreadFillOf(order, position, at);
    if (fill === null) return null;
    if (fill) fills.push(fill);
  }
  fills.sort((a, b) => b.at - a.at);
  let short = 0;
  let long = 0;
  let paid = 0;
  const used: SpreadFill[] = [];
  for (const fill of fills) {
    if (short >= gone && long >= gone) break;
    short += fill.short;
    long += fill.long;
    paid += fill.paid;
    used.push(fill);
  }
  if (short !== gone || long !== gone) return null;
  return {
    contracts: gone,
    debit: Math.round((paid / gone) * 10_000) / 10_000,
    at: Math.max(...used.map((f) => f.at)),
    orderIds: used.map((f) => f.orderId),
  };
}
