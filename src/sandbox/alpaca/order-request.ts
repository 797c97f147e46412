// Validation of POST /v2/orders as the simulator accepts it: mleg limit day orders, simple stock
// market day orders (the bot flattens assigned shares with one), and simple limit day orders for
// one option (a person closing a spread leg by leg at Alpaca's page), with Alpaca's status codes
// (422 for a bad or duplicate order) and error envelope { code, message }.
import { parseOccSymbol } from "../../domain/occ";
import type { PositionIntent, SimLeg } from "./book";

export interface AlpacaFailure {
  status: number;
  code: number;
  message: string;
  /** Fields Alpaca sends beside code and message on some refusals (e.g. held_for_orders). */
  details?: Record<string, string | string[]>;
}

export interface OrderRequest {
  clientOrderId: string;
  qty: number;
  limitPrice: number;
  market?: boolean;
  /** A simple order for one option: its limit is per share and unsigned on the wire. */
  single?: boolean;
  legs: Omit<SimLeg, "id" | "clientOrderId" | "filledAvgPrice">[];
}

const INTENTS = new Set<PositionIntent>(["buy_to_open", "sell_to_open", "buy_to_close", "sell_to_close"]);

const invalid = (message: string): { ok: false; error: AlpacaFailure } => ({
  ok: false,
  error: { status: 422, code: 40010001, message },
});

function positiveInt(value: unknown): number | null {
  const n = typeof value === "string" ? Number(value) : typeof value === "number" ? value : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

export function parseOrderRequest(
  body: unknown,
): { ok: true; value: OrderRequest } | { ok: false; error: AlpacaFailure } {
  if (typeof body !== "object" || body === null) return invalid("request body format is invalid");
  const b = body as Record<string, unknown>;
  if (
    (b.order_class === undefined || b.order_class === "simple") &&
    typeof b.symbol === "string" &&
    parseOccSymbol(b.symbol).ok
  )
    return parseOptionOrder(b);
  if (b.order_class === undefined || b.order_class === "simple") return parseStockOrder(b);
  if (b.order_class !== "mleg") return invalid("the simulator accepts only order_class mleg or simple");
  if (b.type !== "limit") return invalid("mleg orders must be limit orders in the simulator");
  if (b.time_in_force !== "day") return invalid("options orders only accept time_in_force day");
  const qty = positiveInt(b.qty);
  if (qty === null) return invalid("qty must be a positive integer");
  const limitPrice = Number(b.limit_price);
  if (b.limit_price === undefined || b.limit_price === null || !Number.isFinite(limitPrice))
    return invalid("limit_price is required for limit orders");
  const clientOrderId = clientOrderIdOf(b);
  if (clientOrderId.length > 128) return invalid("client_order_id must be no more than 128 characters");
  if (!Array.isArray(b.legs) || b.legs.length < 2 || b.legs.length > 4)
    return invalid("mleg orders must have between 2 and 4 legs");
  const legs: OrderRequest["legs"] = [];
  for (const raw of b.legs as unknown[]) {
    const leg = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const symbol = typeof leg.symbol === "string" ? leg.symbol : "";
    if (!parseOccSymbol(symbol).ok) return invalid(`invalid leg symbol "${symbol}"`);
    if (leg.side !== "buy" && leg.side !== "sell") return invalid("leg side must be buy or sell");
    const ratioQty = positiveInt(leg.ratio_qty);
    if (ratioQty === null) return invalid("leg ratio_qty must be a positive integer");
    const intent = leg.position_intent ?? (leg.side === "buy" ? "buy_to_open" : "sell_to_open");
    if (!INTENTS.has(intent as PositionIntent)) return invalid("invalid position_intent");
    legs.push({ symbol, side: leg.side, ratioQty, positionIntent: intent as PositionIntent });
  }
  if (new Set(legs.map((l) => l.symbol)).size !== legs.length) return invalid("mleg legs must have distinct symbols");
  return { ok: true, value: { clientOrderId, qty, limitPrice, legs } };
}

const clientOrderIdOf = (b: Record<string, unknown>) =>
  typeof b.client_order_id === "string" && b.client_order_id !== "" ? b.client_order_id : crypto.randomUUID();

/**
 * A simple limit day order for one option: {symbol: <OCC>, qty, side, type: "limit", limit_price,
 * time_in_force: "day", position_intent?}. Held like an mleg order of one leg: a buy's limit is a
 * debit (positive), a sell's a credit (negative).
 */
function parseOptionOrder(
  b: Record<string, unknown>,
): { ok: true; value: OrderRequest } | { ok: false; error: AlpacaFailure } {
  const symbol = String(b.symbol);
  if (b.type !== "limit") return invalid("the simulator accepts option orders of type limit only");
  if (b.time_in_force !== "day") return invalid("options orders only accept time_in_force day");
  if (b.side !== "buy" && b.side !== "sell") return invalid("side must be buy or sell");
  const qty = positiveInt(b.qty);
  if (qty === null) return invalid("qty must be a positive integer");
  const limit = Number(b.limit_price);
  if (!(Number.isFinite(limit) && limit > 0)) return invalid("limit_price must be a positive number");
  const clientOrderId = clientOrderIdOf(b);
  if (clientOrderId.length > 128) return invalid("client_order_id must be no more than 128 characters");
  const intent = b.position_intent ?? (b.side === "buy" ? "buy_to_close" : "sell_to_close");
  if (!INTENTS.has(intent as PositionIntent)) return invalid("invalid position_intent");
  return {
    ok: true,
    value: {
      clientOrderId,
      qty,
      limitPrice: b.side === "buy" ? limit : -limit,
      single: true,
      legs: [{ symbol, side: b.side, ratioQty: 1, positionIntent: intent as PositionIntent }],
    },
  };
}

/** A simple stock market day order: {symbol, qty, side, type: "market", time_in_force: "day"}. */
function parseStockOrder(
  b: Record<string, unknown>,
): { ok: true; value: OrderRequest } | { ok: false; error: AlpacaFailure } {
  const symbol = typeof b.symbol === "string" ? b.symbol : "";
  if (!/^[A-Z]{1,5}$/.test(symbol))
    return invalid(`the simulator trades options in mleg orders and stocks by ticker, not "${symbol}"`);
  if (b.type !== "market") return invalid("the simulator accepts stock orders of type market only");
  if (b.time_in_force !== "day") return invalid("the simulator accepts stock orders with time_in_force day only");
  if (b.side !== "buy" && b.side !== "sell") return invalid("side must be buy or sell");
  const qty = positiveInt(b.qty);
  if (qty === null) return invalid("qty must be a positive integer");
  const clientOrderId = clientOrderIdOf(b);
  if (clientOrderId.length > 128) return invalid("client_order_id must be no more than 128 characters");
  const positionIntent: PositionIntent = b.side === "buy" ? "buy_to_open" : "sell_to_close";
  return {
    ok: true,
    value: {
      clientOrderId,
      qty,
      limitPrice: 0,
      market: true,
      legs: [{ symbol, side: b.side, ratioQty: 1, positionIntent }],
    },
  };
}

/**
 * Alpaca checks an order against the account's options level (docs.alpaca.markets/docs/
 * options-trading, "Trading Levels": spreads are level 3). What it answers an mleg entry below
 * level 3 is not documented; the refusal it sends for a short option the level does not cover,
 * `403 {"code":40310000,"message":"account not eligible to trade uncovered option contracts"}`,
 * is quoted verbatim in public trading bots' logs and tests, so the simulator answers that.
 * Closing orders pass: a lowered level must not trap a position.
 */
export function optionsLevelRefusal(order: OrderRequest, optionsLevel: number): AlpacaFailure | null {
  if (order.market || optionsLevel >= 3) return null;
  const opens = order.legs.some((l) => l.positionIntent === "buy_to_open" || l.positionIntent === "sell_to_open");
  return opens ? REJECTIONS.options_level : null;
}

/**
 * The refusals a test can ask for by name, as Alpaca words them (where each text was seen:
 * src/broker/alpaca-refusals.ts, which maps them to a trader's words).
 */
export const REJECTIONS = {
  insufficient_buying_power: { status: 403, code: 40310000, message: "insufficient buying power" },
  pattern_day_trader: { status: 403, code: 40310100, message: "trade denied due to pattern day trading protection" },
  wash_trade: { status: 422, code: 42210000, message: "potential wash trade detected. use complex orders" },
  not_tradable: { status: 422, code: 42210000, message: "asset is not tradable" },
  market_closed: { status: 422, code: 42210000, message: "options market orders are only allowed during market hours" },
  options_level: { status: 403, code: 40310000, message: "account not eligible to trade uncovered option contracts" },
  insufficient_qty: {
    status: 403,
    code: 40310000,
    message: "insufficient qty available for order (requested: 1, available: 0)",
  },
  account_restricted: { status: 403, code: 40310000, message: "account is not authorized to trade" },
} satisfies Record<string, AlpacaFailure>;

export type RejectionName = keyof typeof REJECTIONS;

export const DUPLICATE_CLIENT_ORDER_ID: AlpacaFailure = {
  status: 422,
  code: 40010001,
  message: "client_order_id must be unique",
};
