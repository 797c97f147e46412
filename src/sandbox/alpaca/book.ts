// The simulated account's book: mleg orders, stock market orders (flattening shares),
// per-leg positions (signed qty), stock from assignments and exercises, cash, and the account activities Alpaca books on its own. A limit
// order fills when it is marketable against the quotes' mid (credit: asking no more than the
// mid credit; debit: paying at least the mid debit) and otherwise rests until it is. An order
// can fill in part (a fault): the rest rests until it is canceled or the day ends.
import { parseOccSymbol } from "../../domain/occ";
import { intrinsic } from "../../domain/option-math";
import { cents, type SimQuote } from "./chain";

export type SimOrderStatus =
  | "new"
  | "accepted"
  | "partially_filled"
  | "filled"
  | "canceled"
  | "expired"
  | "pending_cancel";
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
  /** A day order still working at the close ends there (Alpaca: status "expired"). */
  expiredAt?: number | null;
  qty: number;
  /** Contracts (spreads) filled so far. */
  filledQty: number;
  /** Signed like Alpaca's mleg limit: negative for a net credit. 0 on a market order. */
  limitPrice: number;
  /** A simple market order (one stock leg): fills at the quote's mid, whatever it is. */
  market?: boolean;
  /** A simple limit order for one option (its one leg): reported per share and unsigned. */
  single?: boolean;
  status: SimOrderStatus;
  filledAvgPrice: number | null;
  legs: SimLeg[];
  /** A fault: nobody takes the other side of this order; it rests until canceled. */
  held?: boolean;
  /** A fault: the share of the order that fills at once when it is marketable; the rest then rests. */
  partialFill?: number;
  /** A fault: a cancel Alpaca has not confirmed yet; it ends as `ends` says after `requestsLeft` more requests. */
  pendingCancel?: { requestsLeft: number; ends: "canceled" | "filled" };
}

/** An option leg (OCC symbol, 100 shares a contract) or a stock (ticker) held. */
export interface SimPosition {
  symbol: string;
  qty: number;
  avgEntryPrice: number;
}

/** A non-trade activity Alpaca books itself: option expiry, assignment, exercise, and the stock trade. */
export interface SimActivity {
  id: string;
  type: "OPEXP" | "OPASN" | "OPEXC" | "OPTRD";
  date: string;
  symbol: string;
  qty: number;
  price: number | null;
  netAmount: number;
  at: number;
}

export interface Book {
  cash: number;
  orders: SimOrder[];
  positions: SimPosition[];
  activities: SimActivity[];
}

export const STARTING_CASH = 100_000;

export function emptyBook(): Book {
  return { cash: STARTING_CASH, orders: [], positions: [], activities: [] };
}

/** A book stored by an older simulator, with today's fields filled in. */
export function upgradeBook(book: Book): Book {
  return {
    ...book,
    activities: book.activities ?? [],
    orders: book.orders.map((o) => ({ ...o, filledQty: o.filledQty ?? (o.status === "filled" ? o.qty : 0) })),
  };
}

/** Shares a position's qty stands for: 100 a contract for options, 1 for stock. */
export function multiplier(symbol: string): number {
  return parseOccSymbol(symbol).ok ? 100 : 1;
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

/** Working: may still fill. A pending_cancel order is listed as open but no longer matched. */
export function isOpenStatus(status: SimOrderStatus): boolean {
  return status === "new" || status === "accepted" || status === "partially_filled";
}

/** `beyondMid` (a fault): dollars per share past the mid a limit must give before anyone takes it. */
export function isMarketable(order: SimOrder, quoteOf: QuoteOf, beyondMid = 0): boolean {
  if (order.held) return false;
  if (order.market) return order.legs.every((leg) => quoteOf(leg.symbol) !== null);
  const mid = netMid(order.legs, quoteOf);
  // Limits are in cents and mids are not: a limit within half a cent of the mid is at the mid.
  return mid !== null && order.limitPrice >= mid - 0.005 + beyondMid;
}

/**
 * The book after `qty` more contracts of the order fill at its limit (all that is left by
 * default): legs priced around their mids to net the limit.
 */
export function fill(book: Book, order: SimOrder, quoteOf: QuoteOf, now: number, qty?: number): Book {
  const filling = Math.min(qty ?? order.qty - order.filledQty, order.qty - order.filledQty);
  if (filling <= 0) return book;
  const mid = netMid(order.legs, quoteOf) ?? order.limitPrice;
  // A market order fills at the mid; a limit order at its limit, the legs shifted to net it.
  const price = order.market ? mid : order.limitPrice;
  const legs = legFills(order.legs, quoteOf, price, mid);
  let positions = book.positions;
  for (const leg of legs)
    positions = applyFill(positions, leg.symbol, sign(leg.side) * leg.ratioQty * filling, leg.filledAvgPrice ?? 0);
  const filledQty = order.filledQty + filling;
  const filled: SimOrder = {
    ...order,
    legs,
    filledQty,
    status: filledQty === order.qty ? "filled" : "partially_filled",
    filledAt: now,
    updatedAt: now,
    // Alpaca reports a simple order's average price per share, unsigned.
    filledAvgPrice: order.market || order.single ? Math.abs(price) : order.limitPrice,
  };
  return {
    ...book,
    cash: round4(book.cash - price * multiplier(order.legs[0]?.symbol ?? "") * filling),
    positions,
    orders: book.orders.map((o) => (o.id === order.id ? filled : o)),
  };
}

/**
 * The legs' fill prices: each in cents around its mid, shifted to net the order's price, the last
 * leg taking what the rounding left so that they net it exactly (as an exchange's fills of a
 * spread add up to its price). Legs priced by an earlier part of the fill keep their prices.
 */
function legFills(legs: readonly SimLeg[], quoteOf: QuoteOf, price: number, mid: number): SimLeg[] {
  if (legs.some((leg) => leg.filledAvgPrice !== null)) return [...legs];
  const ratios = legs.reduce((s, l) => s + l.ratioQty, 0);
  const shift = (price - mid) / ratios;
  const prices = legs.map((leg) => cents(Math.max(0, (quoteOf(leg.symbol)?.mid ?? 0) + sign(leg.side) * shift)));
  const last = legs.at(-1);
  if (last) {
    const others = legs.slice(0, -1).reduce((s, leg, i) => s + sign(leg.side) * leg.ratioQty * (prices[i] ?? 0), 0);
    prices[legs.length - 1] = round4(Math.max(0, (price - others) / (sign(last.side) * last.ratioQty)));
  }
  return legs.map((leg, i) => ({ ...leg, filledAvgPrice: prices[i] ?? null }));
}

/** Fills a marketable order: in full, or (a fault) its share now with the rest left resting. */
export function fillMarketable(book: Book, order: SimOrder, quoteOf: QuoteOf, now: number): Book {
  if (order.partialFill === undefined || order.filledQty > 0) return fill(book, order, quoteOf, now);
  const part = Math.max(1, Math.floor(order.partialFill * order.qty));
  const after = fill(book, order, quoteOf, now, part);
  // Nobody takes the other side of the rest: it rests until canceled or the day ends.
  return {
    ...after,
    orders: after.orders.map((o) => (o.id === order.id && o.status !== "filled" ? { ...o, held: true } : o)),
  };
}

export function applyFill(positions: SimPosition[], symbol: string, delta: number, fillPrice: number): SimPosition[] {
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

/** The price a position is marked at: the option's mid, or the stock's price. */
export type MarkOf = (symbol: string) => number | null;

export function accountFigures(book: Book, markOf: MarkOf): AccountFigures {
  let long = 0;
  let short = 0;
  for (const p of book.positions) {
    const value = p.qty * (markOf(p.symbol) ?? p.avgEntryPrice) * multiplier(p.symbol);
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

/**
 * Cancels Alpaca has not confirmed yet, one request later: each counts down, and one at zero
 * ends canceled, or filled (the rest at its limit) when the cancel lost the race with a fill.
 */
export function settlePendingCancels(book: Book, quoteOf: QuoteOf, now: number): Book {
  let out = book;
  for (const order of book.orders) {
    const pending = order.pendingCancel;
    if (order.status !== "pending_cancel" || !pending) continue;
    if (pending.requestsLeft > 0) {
      const next = { ...order, pendingCancel: { ...pending, requestsLeft: pending.requestsLeft - 1 } };
      out = { ...out, orders: out.orders.map((o) => (o.id === order.id ? next : o)) };
      continue;
    }
    const { pendingCancel: _, ...rest } = order;
    if (pending.ends === "filled") out = fill(out, { ...rest, status: "new" }, quoteOf, now);
    else {
      const canceled: SimOrder = { ...rest, status: "canceled", canceledAt: now, updatedAt: now };
      out = { ...out, orders: out.orders.map((o) => (o.id === order.id ? canceled : o)) };
    }
  }
  return out;
}
