// The Alpaca REST endpoints the adapter uses, answered from the simulator's state. Routing is on
// the path only, so any host works (paper-api, api, data.alpaca.markets).

import { addDays } from "../../domain/dates";
import { newYorkParts, tradingDay } from "../../domain/market-time";
import { occRoot } from "../../domain/occ";
import type { Book, QuoteOf, SimOrder } from "./book";
import { accountFigures, buyingPowerAfter, fillMarketable, isMarketable, isOpenStatus, type SimActivity } from "./book";
import { type ContractFilter, listContracts } from "./chain";
import { corporateActions, type DividendOverrides } from "./dividends";
import { heldQtyRefusal } from "./held-qty";
import type { MarketState } from "./market";
import { isTicker } from "./market";
import { type AlpacaFailure, DUPLICATE_CLIENT_ORDER_ID, optionsLevelRefusal, parseOrderRequest } from "./order-request";
import {
  accountJson,
  calendarJson,
  clockJson,
  contractJson,
  contractListing,
  optionSnapshotJson,
  orderJson,
  positionJson,
  type QuoteTimes,
  stockSnapshotJson,
} from "./wire";

export interface ApiContext {
  now: number;
  /** The market trades now (the sandbox switch and, once the clock moved, NYSE hours). */
  open: boolean;
  market: MarketState;
  book: Book;
  createdAt: number;
  pageCap: number | null;
  quoteOf: QuoteOf;
  spot: (symbol: string) => number;
  /** The account's options level (a knob, 3 by default). */
  optionsLevel: number;
  /** A refusal the next order POST must answer with (a fault), if any. */
  rejection: AlpacaFailure | null;
  /** A fault: the next order rests unfilled until canceled. */
  holdOrder?: boolean;
  /** A fault: the share of the next order that fills; the rest rests. */
  partialFill?: number | null;
  /** A fault: dollars per share past the mid an order's limit must give to fill. */
  beyondMid?: number;
  /** Ex-dividend dates set by POST /control/dividends, replacing a symbol's default schedule. */
  dividends?: DividendOverrides;
  /** Faults: option quotes dated in the past, or quotes with no time (wire.ts). */
  quoteTimes?: QuoteTimes;
  /** A fault: odd keys and an adjusted contract on each chain's first page (faults.ts). */
  oddChainEntries?: boolean;
  /** A fault: this cancel stays pending_cancel for a few requests (see faults.ts). */
  slowCancel?: { requests: number; ends: "canceled" | "filled" } | null;
}

export interface ApiResult {
  status: number;
  body: unknown;
  /** The book after the request, when it changed. */
  book?: Book;
}

const ok = (body: unknown, book?: Book): ApiResult => ({ status: 200, body, ...(book ? { book } : {}) });
const fail = (f: AlpacaFailure): ApiResult => ({
  status: f.status,
  body: { ...f.details, code: f.code, message: f.message },
});
const NOT_FOUND = { status: 404, code: 40410000, message: "order not found" };

export async function handleApi(ctx: ApiContext, request: Request, url: URL): Promise<ApiResult> {
  const path = url.pathname;
  const q = url.searchParams;
  const method = request.method;
  if (method === "GET" && path === "/v2/clock") return ok(clockJson(ctx.now, ctx.open, tradingDay(ctx.now)));
  if (method === "GET" && path === "/v2/calendar") return calendar(q, ctx.now);
  if (method === "GET" && path === "/v2/account")
    return ok(accountJson(accountFigures(ctx.book, markOf(ctx)), ctx.createdAt, ctx.optionsLevel));
  if (method === "GET" && path === "/v2/positions")
    return ok(ctx.book.positions.map((p) => positionJson(p, markOf(ctx)(p.symbol))));
  if (method === "GET" && path === "/v2/account/activities") return activities(ctx.book.activities, q, null);
  const activityPath = /^\/v2\/account\/activities\/([A-Z]+)$/.exec(path);
  if (method === "GET" && activityPath) return activities(ctx.book.activities, q, activityPath[1] ?? "");
  if (method === "GET" && path === "/v2/options/contracts") return contracts(ctx, q);
  if (method === "POST" && path === "/v2/orders") return submit(ctx, request);
  if (method === "GET" && path === "/v2/orders") return listOrders(ctx.book.orders, q);
  if (method === "GET" && path === "/v2/orders:by_client_order_id") {
    const order = ctx.book.orders.find((o) => o.clientOrderId === q.get("client_order_id"));
    return order ? ok(orderJson(order)) : fail(NOT_FOUND);
  }
  const orderPath = /^\/v2\/orders\/([^/]+)$/.exec(path);
  if (orderPath) {
    const order = ctx.book.orders.find((o) => o.id === orderPath[1]);
    if (!order) return fail(NOT_FOUND);
    if (method === "GET") return ok(orderJson(order));
    if (method === "DELETE") return cancel(ctx, order);
  }
  const chainPath = /^\/v1beta1\/options\/snapshots\/([^/]+)$/.exec(path);
  if (method === "GET" && chainPath) return chainSnapshots(ctx, decodeURIComponent(chainPath[1] ?? ""), q);
  if (method === "GET" && path === "/v1beta1/options/snapshots") return symbolSnapshots(ctx, q);
  const stockPath = /^\/v2\/stocks\/([^/]+)\/snapshot$/.exec(path);
  if (method === "GET" && stockPath) {
    const symbol = decodeURIComponent(stockPath[1] ?? "");
    if (!isTicker(symbol)) return fail({ status: 422, code: 42210000, message: `invalid symbol: ${symbol}` });
    return ok(stockSnapshotJson(symbol, ctx.spot(symbol), ctx.now, ctx.quoteTimes));
  }
  if (method === "GET" && path === "/v1/corporate-actions")
    return corporateActions(q, tradingDay(ctx.now), ctx.dividends ?? {}, ctx.pageCap);
  if (method === "GET" && path === "/v2/stocks/snapshots") {
    const symbols = (q.get("symbols") ?? "").split(",").filter(isTicker);
    return ok(Object.fromEntries(symbols.map((s) => [s, stockSnapshotJson(s, ctx.spot(s), ctx.now, ctx.quoteTimes)])));
  }
  return { status: 404, body: { code: 40410000, message: `endpoint not found: ${method} ${path}` } };
}

/** The mark of a held symbol: an option's mid, a stock's price. */
function markOf(ctx: ApiContext): (symbol: string) => number | null {
  return (symbol) => (isTicker(symbol) ? ctx.spot(symbol) : (ctx.quoteOf(symbol)?.mid ?? null));
}

/**
 * GET /v2/account/activities[?activity_types=A,B][&after=][&date=][&direction=][&page_size=]
 * and /v2/account/activities/{type}: newest first by default, as Alpaca lists them.
 */
function activities(all: SimActivity[], q: URLSearchParams, type: string | null): ApiResult {
  const types = type ? [type] : (q.get("activity_types") ?? "").split(",").filter((t) => t !== "");
  const after = q.get("after") ? Date.parse(q.get("after") ?? "") : null;
  const date = q.get("date")?.slice(0, 10) ?? null;
  const size = Math.min(100, Number(q.get("page_size") ?? 100) || 100);
  const asc = q.get("direction") === "asc";
  const picked = all
    .filter((a) => types.length === 0 || types.includes(a.type))
    .filter((a) => (after === null || a.at > after) && (date === null || a.date === date))
    .sort((a, b) => (asc ? a.at - b.at || a.id.localeCompare(b.id) : b.at - a.at || b.id.localeCompare(a.id)))
    .slice(0, size);
  return ok(picked.map(activityJson));
}

function activityJson(a: SimActivity) {
  const description = {
    OPEXP: "Option Expiry",
    OPASN: "Option Assignment",
    OPEXC: "Option Exercise",
    OPTRD: "Option Trade",
  };
  return {
    id: a.id,
    activity_type: a.type,
    date: a.date,
    net_amount: String(a.netAmount),
    description: description[a.type],
    symbol: a.symbol,
    qty: String(a.qty),
    ...(a.price === null ? {} : { price: String(a.price) }),
    status: "executed",
  };
}

/**
 * GET /v2/calendar. Alpaca documents `start` and `end` as dates, YYYY-MM-DD (Broker API
 * "Calendar": "string/timestamp … in YYYY-MM-DD format"); how it turns a full timestamp into a
 * trading day is not documented. The simulator takes the reading a New York market plausibly
 * would, the instant's New York date, so `2026-11-23T00:00:00Z` (the SDK's rendering of a Date
 * at UTC midnight) is the 22nd. Cutting the string to ten characters would agree with any
 * adapter that sends such timestamps, and no test could catch it.
 */
function calendar(q: URLSearchParams, now: number): ApiResult {
  const today = tradingDay(now);
  const start = calendarDay(q.get("start") ?? today);
  const end = calendarDay(q.get("end") ?? q.get("start") ?? today);
  if (start === null || end === null)
    return fail({ status: 400, code: 40010000, message: "invalid start or end date" });
  return ok(calendarJson(start, end));
}

/** A bound as a New York date: YYYY-MM-DD as given, an RFC 3339 timestamp by its New York date. */
function calendarDay(raw: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return raw;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)) return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? tradingDay(ms) : null;
}

/** Page size as the endpoint allows it, or an error for an out-of-range limit. */
function pageSize(q: URLSearchParams, fallback: number, max: number, cap: number | null): number | AlpacaFailure {
  const raw = q.get("limit");
  const limit = raw === null ? fallback : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    return { status: 422, code: 42210000, message: `limit must be between 1 and ${max}` };
  return cap === null ? limit : Math.min(limit, cap);
}

function page<T>(items: T[], q: URLSearchParams, size: number): { items: T[]; next: string | null } {
  const token = q.get("page_token");
  const offset = token ? Number(atob(token)) || 0 : 0;
  const end = offset + size;
  return { items: items.slice(offset, end), next: end < items.length ? btoa(String(end)) : null };
}

/** The contracts a request's filters ask for (Alpaca's query parameters). */
function contractFilter(q: URLSearchParams, defaultLte: string | null): ContractFilter {
  const num = (key: string) => (q.get(key) === null ? null : Number(q.get(key)));
  const gte = num("strike_price_gte");
  const lte = num("strike_price_lte");
  const exact = q.get("expiration_date");
  const from = q.get("expiration_date_gte");
  const to = q.get("expiration_date_lte") ?? (exact || from ? null : defaultLte);
  const type = q.get("type");
  const root = q.get("root_symbol");
  return (s) =>
    (gte === null || s.strike >= gte) &&
    (lte === null || s.strike <= lte) &&
    (!exact || s.expiration === exact) &&
    (!from || s.expiration >= from) &&
    (!to || s.expiration <= to) &&
    (!type || s.type === type) &&
    (!root || s.underlying === root);
}

/** Alpaca's default for contracts: those expiring before the coming weekend. */
function nextWeekend(now: number): string {
  const today = newYorkParts(now);
  const days = (6 - today.weekday + 7) % 7 || 7;
  return addDays(today.date, days);
}

function contracts(ctx: ApiContext, q: URLSearchParams): ApiResult {
  const size = pageSize(q, 100, 10_000, ctx.pageCap);
  if (typeof size !== "number") return fail(size);
  const underlyings = (q.get("underlying_symbols") ?? "").split(",").filter(isTicker);
  if (underlyings.length === 0)
    return fail({ status: 422, code: 42210000, message: "underlying_symbols is required by the simulator" });
  if ((q.get("status") ?? "active") !== "active") return ok({ option_contracts: [], next_page_token: null });
  const keep = contractFilter(q, nextWeekend(ctx.now));
  const all = underlyings.flatMap((u) => listContracts(u, ctx.market.seed, ctx.now, keep));
  const { items, next } = page(all, q, size);
  const listing = contractListing(tradingDay(ctx.now));
  return ok({
    option_contracts: items.flatMap((s) => {
      const quote = ctx.quoteOf(s.symbol);
      return quote ? [contractJson(s, quote, listing)] : [];
    }),
    next_page_token: next,
  });
}

function feedError(q: URLSearchParams): AlpacaFailure | null {
  const feed = q.get("feed");
  return feed === null || feed === "indicative" || feed === "opra"
    ? null
    : { status: 400, code: 40010000, message: `invalid feed: ${feed}` };
}

function snapshotsOf(ctx: ApiContext, specs: { symbol: string }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { symbol } of specs) {
    const quote = ctx.quoteOf(symbol);
    if (quote) out[symbol] = optionSnapshotJson(quote, ctx.now, ctx.quoteTimes);
  }
  return out;
}

function chainSnapshots(ctx: ApiContext, underlying: string, q: URLSearchParams): ApiResult {
  const error = feedError(q);
  if (error) return fail(error);
  const size = pageSize(q, 100, 1000, ctx.pageCap);
  if (typeof size !== "number") return fail(size);
  if (!isTicker(underlying)) return fail({ status: 422, code: 42210000, message: `invalid symbol: ${underlying}` });
  const specs = listContracts(underlying, ctx.market.seed, ctx.now, contractFilter(q, null));
  const { items, next } = page(specs, q, size);
  const snapshots = snapshotsOf(ctx, items);
  const first = items[0];
  if (first && ctx.oddChainEntries && !q.get("page_token"))
    Object.assign(snapshots, unreadableSnapshots(first.symbol, snapshots), adjustedSnapshot(first.symbol, snapshots));
  return ok({ snapshots, next_page_token: next });
}

/**
 * Three entries keyed by symbols no OCC parser reads, copies of a real entry: the root padded
 * with spaces as in OCC's 21-character form, a strike cut to seven digits, a month 13. Alpaca
 * keys snapshots by contract symbol and promises nothing about odd ones; the adapter must skip
 * them and keep the chain.
 */
function unreadableSnapshots(symbol: string, snapshots: Record<string, unknown>): Record<string, unknown> {
  const m = /^([A-Z]+)(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/.exec(symbol);
  if (!m) return {};
  const [, root = "", yy, , dd, cp, strike = ""] = m;
  const copy = snapshots[symbol];
  return {
    [`${root.padEnd(6, " ")}${symbol.slice(root.length)}`]: copy,
    [`${symbol.slice(0, -8)}${strike.slice(0, 7)}`]: copy,
    [`${root}${yy}13${dd}${cp}${strike}`]: copy,
  };
}

/**
 * One adjusted contract: a real entry under the root with a 1 after it (SPY1…), as OCC names a
 * contract whose deliverable a split, merger or special dividend changed. Alpaca lists those in
 * the underlying's chain; priced like a standard contract they are not, and the adapter must
 * leave them out (domain/occ.ts hasStandardRoot).
 */
function adjustedSnapshot(symbol: string, snapshots: Record<string, unknown>): Record<string, unknown> {
  const root = occRoot(symbol);
  return root.length < 6 ? { [`${root}1${symbol.slice(root.length)}`]: snapshots[symbol] } : {};
}

function symbolSnapshots(ctx: ApiContext, q: URLSearchParams): ApiResult {
  const error = feedError(q);
  if (error) return fail(error);
  const size = pageSize(q, 100, 1000, ctx.pageCap);
  if (typeof size !== "number") return fail(size);
  const symbols = (q.get("symbols") ?? "").split(",").filter((s) => s !== "");
  if (symbols.length === 0 || symbols.length > 100)
    return fail({ status: 400, code: 40010000, message: "symbols: between 1 and 100 symbols are required" });
  const { items, next } = page(
    symbols.map((symbol) => ({ symbol })),
    q,
    size,
  );
  return ok({ snapshots: snapshotsOf(ctx, items), next_page_token: next });
}

function listOrders(orders: SimOrder[], q: URLSearchParams): ApiResult {
  const status = q.get("status") ?? "open";
  const limit = Math.min(500, Number(q.get("limit") ?? 50) || 50);
  const after = q.get("after") ? Date.parse(q.get("after") ?? "") : null;
  const until = q.get("until") ? Date.parse(q.get("until") ?? "") : null;
  const asc = q.get("direction") === "asc";
  const picked = orders
    .filter(
      (o) => status === "all" || (status === "open") === (isOpenStatus(o.status) || o.status === "pending_cancel"),
    )
    .filter((o) => (after === null || o.submittedAt > after) && (until === null || o.submittedAt < until))
    .sort((a, b) => (asc ? a.submittedAt - b.submittedAt : b.submittedAt - a.submittedAt))
    .slice(0, limit);
  return ok(picked.map(orderJson));
}

function cancel(ctx: ApiContext, order: SimOrder): ApiResult {
  if (!isOpenStatus(order.status))
    return fail({ status: 422, code: 42210000, message: `order is already in "${order.status}" state` });
  const canceled: SimOrder = ctx.slowCancel
    ? {
        ...order,
        status: "pending_cancel",
        updatedAt: ctx.now,
        pendingCancel: { requestsLeft: ctx.slowCancel.requests, ends: ctx.slowCancel.ends },
      }
    : { ...order, status: "canceled", canceledAt: ctx.now, updatedAt: ctx.now };
  const book = { ...ctx.book, orders: ctx.book.orders.map((o) => (o.id === order.id ? canceled : o)) };
  return { status: 204, body: null, book };
}

async function submit(ctx: ApiContext, request: Request): Promise<ApiResult> {
  let body: unknown;
  try {
    body = await request.json();
  } catch (error) {
    return fail({ status: 400, code: 40010000, message: `request body format is invalid: ${String(error)}` });
  }
  const parsed = parseOrderRequest(body);
  if (!parsed.ok) return fail(parsed.error);
  if (ctx.rejection) return fail(ctx.rejection);
  const req = parsed.value;
  if (ctx.book.orders.some((o) => o.clientOrderId === req.clientOrderId)) return fail(DUPLICATE_CLIENT_ORDER_ID);
  const belowLevel = optionsLevelRefusal(req, ctx.optionsLevel);
  if (belowLevel) return fail(belowLevel);
  const held = heldQtyRefusal(ctx.book, req);
  if (held) return fail(held);
  const unlisted = req.legs.find((l) => ctx.quoteOf(l.symbol) === null);
  if (unlisted) return fail({ status: 422, code: 42210000, message: `asset ${unlisted.symbol} is not tradable` });
  const order: SimOrder = {
    id: crypto.randomUUID(),
    clientOrderId: req.clientOrderId,
    submittedAt: ctx.now,
    updatedAt: ctx.now,
    filledAt: null,
    canceledAt: null,
    qty: req.qty,
    filledQty: 0,
    limitPrice: req.limitPrice,
    ...(req.market ? { market: true } : {}),
    ...(req.single ? { single: true } : {}),
    status: ctx.open ? "new" : "accepted",
    filledAvgPrice: null,
    ...(ctx.holdOrder ? { held: true } : {}),
    ...(ctx.partialFill ? { partialFill: ctx.partialFill } : {}),
    legs: req.legs.map((l) => ({
      ...l,
      id: crypto.randomUUID(),
      clientOrderId: crypto.randomUUID(),
      filledAvgPrice: null,
    })),
  };
  const power = buyingPowerAfter(ctx.book, order, ctx.quoteOf, ctx.now);
  if (power.after < 0) {
    const available = power.required + power.after;
    return fail({
      status: 403,
      code: 40310000,
      message: `insufficient options buying power for mleg order (required: ${power.required}, available: ${available})`,
    });
  }
  const placed: Book = { ...ctx.book, orders: [...ctx.book.orders, order] };
  const book =
    ctx.open && isMarketable(order, ctx.quoteOf, ctx.beyondMid)
      ? fillMarketable(placed, order, ctx.quoteOf, ctx.now)
      : placed;
  const stored = book.orders.find((o) => o.id === order.id) ?? order;
  return ok(orderJson(stored), book);
}
