// Closes made at Alpaca outside the bot (its web page or app, by a person): a spread whose legs
// Alpaca now holds fewer of, by whole spreads, and the filled orders that explain how many and
// at what price. The bot books such a close as it books its own (monitor step, actions/
// closed-outside.ts), so its books, risk limits and P/L follow the account. Pure.
import type { HeldSpread } from "./broker-book";
import { isBotOrderId } from "./orders";

/** The close reason of a position a person closed at Alpaca, outside the bot ("Reason: By hand at Alpaca"). */
export const OUTSIDE_CLOSE = "by hand at Alpaca";

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

/** The order's debit a share for the spread: its own average, or its legs' (short bought less long sold). */
function debitOf(order: OrderFills, shortLeg: OrderFills["legs"][number], longLeg: OrderFills["legs"][number]) {
  if (order.filledAvgPrice !== null) return Math.abs(order.filledAvgPrice);
  if (shortLeg.filledAvgPrice === null || longLeg.filledAvgPrice === null) return null;
  return shortLeg.filledAvgPrice - longLeg.filledAvgPrice;
}

/**
 * The orders placed outside the bot since the position opened that bought its short leg back and
 * sold its long leg in one order, newest first, adding up to exactly the `gone` spreads; null
 * when they do not (closed leg by leg, an older order not listed, or one still filling): the bot
 * then books nothing and reconcile says the position disagrees.
 */
export function outsideCloseOf(
  position: Pick<HeldSpread, "shortSymbol" | "longSymbol"> & { openedAt: number },
  orders: readonly OrderFills[],
  gone: number,
): OutsideClose | null {
  const fills: { order: OrderFills; qty: number; debit: number; at: number }[] = [];
  for (const order of orders) {
    // An order still filling is booked once it is done: its fills so far would be counted again.
    if (isBotOrderId(order.clientOrderId) || order.filledQty <= 0 || STILL_FILLING.has(order.status)) continue;
    const at = order.filledAt ?? order.submittedAt ?? 0;
    if (at < position.openedAt) continue;
    const shortLeg = order.legs.find((l) => l.symbol === position.shortSymbol && l.side === "buy");
    const longLeg = order.legs.find((l) => l.symbol === position.longSymbol && l.side === "sell");
    if (!shortLeg || !longLeg) continue;
    const debit = debitOf(order, shortLeg, longLeg);
    if (debit === null) return null;
    fills.push({ order, qty: order.filledQty, debit, at });
  }
  fills.sort((a, b) => b.at - a.at);
  let contracts = 0;
  let paid = 0;
  const used: typeof fills = [];
  for (const fill of fills) {
    if (contracts >= gone) break;
    contracts += fill.qty;
    paid += fill.debit * fill.qty;
    used.push(fill);
  }
  if (contracts !== gone) return null;
  return {
    contracts,
    debit: Math.round((paid / contracts) * 10_000) / 10_000,
    at: Math.max(...used.map((f) => f.at)),
    orderIds: used.map((f) => f.order.id),
  };
}
