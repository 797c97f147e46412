// Order bodies for Alpaca multi-leg (mleg) limit orders, built here and sent unchanged by the
// broker adapter. The client order id is derived from the recommendation, so a second submit
// of the same decision is refused by Alpaca as a duplicate instead of becoming a second order.
//
// Limits are in whole cents, rounded in our favour and never through zero:
//   a credit (opening) is rounded DOWN to $0.01 and sent negative (Alpaca's sign for credit);
//   a debit (closing) is rounded UP to $0.01, and is at least $0.01.
// Index/ETF options like SPY, QQQ, IWM quote in pennies; a venue wanting nickels rejects the
// order, which the adapter reports — it never re-prices on its own.
import type { Strategy } from "./recommendation-state";
import type { MlegOrderRequest, StockOrderRequest } from "./types";

const MAX_ID = 48;
const SAFE = /^[A-Za-z0-9_-]+$/;

/** cyrb53: a small, fast, synchronous 53-bit string hash (public domain, bryc). */
function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Every order the bot sends has a client order id with this prefix; anything else was placed outside it. */
const BOT_ORDER_PREFIX = "sd-";

/** Whether the bot sent the order with this client order id (clientOrderId, walkStepId). */
export const isBotOrderId = (id: string): boolean => id.startsWith(BOT_ORDER_PREFIX);

/**
 * `sd-open-<id>` / `sd-close-<id>` when that is short and safe; otherwise a safe prefix of the
 * id plus a hash of the whole id, so distinct long ids stay distinct. Deterministic, ≤ 48 chars,
 * only [A-Za-z0-9_-].
 */
export function clientOrderId(recommendationId: string, kind: "open" | "close" | "flat"): string {
  const plain = `${BOT_ORDER_PREFIX}${kind}-${recommendationId}`;
  if (plain.length <= MAX_ID && SAFE.test(recommendationId)) return plain;
  const hash = cyrb53(recommendationId).toString(36).padStart(11, "0");
  const head = `${BOT_ORDER_PREFIX}${kind}-`;
  const room = MAX_ID - head.length - hash.length - 1;
  const prefix = recommendationId.replace(/[^A-Za-z0-9_-]/g, "").slice(0, room);
  return prefix ? `${head}${prefix}-${hash}` : `${head}${hash}`;
}

/**
 * The client order id of step `step` of a walking limit (src/domain/limit-walk.ts): the working
 * order's id with "-w<step>" in place of any earlier step's, hashed to fit 48 characters.
 * Distinct per step, so a replacement is never refused as a duplicate of the order it replaces.
 */
export function walkStepId(currentId: string, step: number): string {
  const plain = `${currentId.replace(/-w\d+$/, "")}-w${step}`;
  if (plain.length <= MAX_ID) return plain;
  const hash = cyrb53(plain).toString(36).padStart(11, "0");
  return `${plain.slice(0, MAX_ID - hash.length - 1)}-${hash}`;
}

// Cents with a nudge so 0.29 (stored as 0.28999…) is not floored to 0.28.
const floorCents = (x: number) => Math.floor(x * 100 + 1e-7) / 100;
const ceilCents = (x: number) => Math.ceil(x * 100 - 1e-7) / 100;

export interface OpenSpreadOrder {
  strategy: Strategy;
  shortSymbol: string;
  longSymbol: string;
  contracts: number;
  /** Net credit per share, positive. */
  limitCredit: number;
  clientOrderId: string;
}

export interface CloseSpreadOrder {
  shortSymbol: string;
  longSymbol: string;
  contracts: number;
  /** Net debit per share, positive. */
  limitDebit: number;
  clientOrderId: string;
}

function checkCommon(contracts: number, clientId: string): void {
  if (!(Number.isInteger(contracts) && contracts >= 1))
    throw new RangeError(`contracts must be a whole number ≥ 1, got ${contracts}`);
  if (!(clientId.length > 0 && clientId.length <= MAX_ID && SAFE.test(clientId)))
    throw new RangeError(`client order id must be 1-${MAX_ID} characters of [A-Za-z0-9_-], got "${clientId}"`);
}

/** Sell the short leg, buy the long leg, for a net credit (negative limit_price). */
export function openSpreadOrder(o: OpenSpreadOrder): MlegOrderRequest {
  checkCommon(o.contracts, o.clientOrderId);
  const credit = floorCents(o.limitCredit);
  // A credit that rounds to nothing would be a free (or paying) trade: a bug upstream, not an order.
  if (!(credit >= 0.01)) throw new RangeError(`limit credit must be at least $0.01, got ${o.limitCredit}`);
  return {
    order_class: "mleg",
    type: "limit",
    time_in_force: "day",
    qty: String(o.contracts),
    limit_price: (-credit).toFixed(2),
    client_order_id: o.clientOrderId,
    legs: [
      { symbol: o.shortSymbol, side: "sell", position_intent: "sell_to_open", ratio_qty: "1" },
      { symbol: o.longSymbol, side: "buy", position_intent: "buy_to_open", ratio_qty: "1" },
    ],
  };
}

/** Buy back the short leg, sell the long leg, for a net debit (positive limit_price). */
export function closeSpreadOrder(o: CloseSpreadOrder): MlegOrderRequest {
  checkCommon(o.contracts, o.clientOrderId);
  if (!(Number.isFinite(o.limitDebit) && o.limitDebit >= 0))
    throw new RangeError(`limit debit must be a non-negative number, got ${o.limitDebit}`);
  const debit = Math.max(ceilCents(o.limitDebit), 0.01);
  return {
    order_class: "mleg",
    type: "limit",
    time_in_force: "day",
    qty: String(o.contracts),
    limit_price: debit.toFixed(2),
    client_order_id: o.clientOrderId,
    legs: [
      { symbol: o.shortSymbol, side: "buy", position_intent: "buy_to_close", ratio_qty: "1" },
      { symbol: o.longSymbol, side: "sell", position_intent: "sell_to_close", ratio_qty: "1" },
    ],
  };
}

export interface FlattenSharesOrder {
  symbol: string;
  /** Shares held, signed: positive are sold, negative bought back. */
  shares: number;
  clientOrderId: string;
}

/**
 * Sell (or buy back) the shares an assignment or exercise left, at the market, for the day.
 * A market order because flattening is about being out, not the last cent; a person taps it
 * during the session, when the stock's spread is a cent or two.
 */
export function flattenSharesOrder(o: FlattenSharesOrder): StockOrderRequest {
  if (!(Number.isInteger(o.shares) && o.shares !== 0))
    throw new RangeError(`shares must be a non-zero whole number, got ${o.shares}`);
  checkCommon(1, o.clientOrderId);
  return {
    order_class: "simple",
    symbol: o.symbol,
    side: o.shares > 0 ? "sell" : "buy",
    type: "market",
    time_in_force: "day",
    qty: String(Math.abs(o.shares)),
    client_order_id: o.clientOrderId,
  };
}
