// The simulated account's book: mleg orders, per-leg positions (signed qty) and cash. A limit
// order fills at once when it is marketable against the quotes' mid (credit: asking no more
// than the mid credit; debit: paying at least the mid debit) and otherwise rests until it is.
import { parseOccSymbol } from "../../domain/occ";
import { intrinsic } from "../../domain/option-math";
import type { SimQuote } from "./chain";

export type SimOrderStatus = "new" | "accepted" | "filled" | "canceled";
export type PositionIntent = "buy_to_open" | "sell_to_open" | "buy_to_close" | "sell_to_close";

export interface SimLeg {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: "buy" | "sell";
  positionIntent: PositionIntent;
  ratioQty: number;
  filledAvgPrice: number | null;
}

export interface SimOrder {
  id: string;
  clientOrderId: string;
  submittedAt: number;
  updatedAt: number;
  filledAt: number | null;
  canceledAt: number | null;
  qty: number;
  /** Signed like Alpaca's mleg limit: negative for a net credit. */
  limitPrice: number;
  status: SimOrderStatus;
  filledAvgPrice: number | null;
  legs: SimLeg[];
  /** A fault: nobody takes the other side of this order; it rests until canceled. */
  held?: boolean;
}

export interface SimPosition {
  symbol: string;
  qty: number;
  avgEntryPrice: number;
}

export interface Book {
  cash: number;
  orders: SimOrder[];
  positions: SimPosition[];
}

export const STARTING_CASH = 100_000;

export function emptyBook(): Book {
  return { cash: STARTING_CASH, orders: [], positions: [] };
}

/** Quote of a listed option now, or null when the symbol is not a listed contract. */
export type QuoteOf = (symbol: string) => SimQuote | null;

const sign = (side: "buy" | "sell") => (side === "buy" ? 1 : -1);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Net debit at the mids of the published quotes (negative = a net credit), or null when a leg
 * has no quote. Published, not model: a trader pricing at the mid of the bid/ask they see must
 * be at the mid here too.
 */
export function netMid(legs: readonly Pick<SimLeg, "symbol" | "side" | "ratioQty">[], quoteOf: QuoteOf): number | null {
  let net = 0;
  for (const leg of legs) {
    const q = quoteOf(leg.symbol);
    if (!q) return null;
    net += sign(leg.side) * leg.ratioQty * ((q.bid + q.ask) / 2);
  }
  return round4(net);
}

export function isOpenStatus(status: SimOrderStatus): boolean {
  return status === "new" || status === "accepted";
}

export function isMarketable(order: SimOrder, quoteOf: QuoteOf): boolean {
  if (order.held) return false;
  const mid = netMid(order.legs, quoteOf);
  // Limits are in cents and mids are not: a limit within half a cent of the mid is at the mid.
  return mid !== null && order.limitPrice >= mid - 0.005;
}

/** The book after the order fills at its limit: legs priced around their mids to net the limit. */
export function fill(book: Book, order: SimOrder, quoteOf: QuoteOf, now: number): Book {
  const mid = netMid(order.legs, quoteOf) ?? order.limitPrice;
  const ratios = order.legs.reduce((s, l) => s + l.ratioQty, 0);
  const shift = (order.limitPrice - mid) / ratios;
  const legs = order.legs.map((leg) => ({
    ...leg,
    filledAvgPrice: round4(Math.max(0, (quoteOf(leg.symbol)?.mid ?? 0) + sign(leg.side) * shift)),
  }));
  let positions = book.positions;
  for (const leg of legs)
    positions = applyFill(positions, leg.symbol, sign(leg.side) * leg.ratioQty * order.qty, leg.filledAvgPrice ?? 0);
  const filled: SimOrder = {
    ...order,
    legs,
    status: "filled",
    filledAt: now,
    updatedAt: now,
    filledAvgPrice: order.limitPrice,
  };
  return {
    cash: round4(book.cash - order.limitPrice * 100 * order.qty),
    positions,
    orders: book.orders.map((o) => (o.id === order.id ? filled : o)),
  };
}

function applyFill(positions: SimPosition[], symbol: string, delta: number, fillPrice: number): SimPosition[] {
  const current = positions.find((p) => p.symbol === symbol);
  const rest = positions.filter((p) => p.symbol !== symbol);
  if (!current) return [...rest, { symbol, qty: delta, avgEntryPrice: fillPrice }];
  const qty = current.qty + delta;
  if (qty === 0) return rest;
  const adding = Math.sign(delta) === Math.sign(current.qty);
  const flipped = Math.sign(qty) !== Math.sign(current.qty);
  const avgEntryPrice = adding
    ? round4((current.avgEntryPrice * Math.abs(current.qty) + fillPrice * Math.abs(delta)) / Math.abs(qty))
    : flipped
      ? fillPrice
      : current.avgEntryPrice;
  return [...rest, { symbol, qty, avgEntryPrice }];
}

/**
 * Cash held against the option positions: the worst loss at expiry of each underlying+expiry
 * group (so a vertical holds its width, a long option nothing beyond its premium).
 */
export function requirement(positions: readonly SimPosition[]): number {
  const groups = new Map<string, { type: "call" | "put"; strike: number; qty: number }[]>();
  for (const p of positions) {
    const occ = parseOccSymbol(p.symbol);
    if (!occ.ok) continue;
    const key = `${occ.value.underlying}:${occ.value.expiration}`;
    groups.set(key, [...(groups.get(key) ?? []), { type: occ.value.type, strike: occ.value.strike, qty: p.qty }]);
  }
  let total = 0;
  for (const legs of groups.values()) {
    const top = Math.max(...legs.map((l) => l.strike));
    const prices = [0, ...legs.map((l) => l.strike), top * 3];
    const worst = Math.min(
      ...prices.map((s) => legs.reduce((v, l) => v + l.qty * intrinsic(l.type, s, l.strike) * 100, 0)),
    );
    total += Math.max(0, -worst);
  }
  return Math.round(total * 100) / 100;
}

export interface AccountFigures {
  cash: number;
  equity: number;
  longMarketValue: number;
  shortMarketValue: number;
  optionsBuyingPower: number;
}

export function accountFigures(book: Book, quoteOf: QuoteOf): AccountFigures {
  let long = 0;
  let short = 0;
  for (const p of book.positions) {
    const value = p.qty * (quoteOf(p.symbol)?.mid ?? p.avgEntryPrice) * 100;
    if (value >= 0) long += value;
    else short += value;
  }
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    cash: r2(book.cash),
    equity: r2(book.cash + long + short),
    longMarketValue: r2(long),
    shortMarketValue: r2(short),
    optionsBuyingPower: r2(Math.max(0, book.cash - requirement(book.positions))),
  };
}

/** Options buying power left if the order filled at its limit (negative = not enough). */
export function buyingPowerAfter(
  book: Book,
  order: SimOrder,
  quoteOf: QuoteOf,
  now: number,
): { required: number; after: number } {
  const after = fill({ ...book, orders: [...book.orders, order] }, order, quoteOf, now);
  const before = book.cash - requirement(book.positions);
  const left = after.cash - requirement(after.positions);
  return { required: Math.round((before - left) * 100) / 100, after: Math.round(left * 100) / 100 };
}
