// Alpaca's models (as the SDK hands them over: money as strings, times as Dates) into the port's
// plain numbers. Anything missing or unreadable becomes null rather than a guess.
import type { trading } from "@alpacahq/alpaca-trade-api";
import { type OccParts, parseOccSymbol } from "../domain/occ";
import type { Greeks, OptionQuote, OrderRequest } from "../domain/types";
import type { Account, BrokerOptionEvent, BrokerOrder, BrokerPosition, MarketClock, OrderStatus } from "./port";

export function num(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

export function ms(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === "string" && value !== "") {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

const STATUSES = new Set<OrderStatus>([
  "new",
  "pending_new",
  "accepted",
  "partially_filled",
  "filled",
  "canceled",
  "expired",
  "rejected",
  "pending_cancel",
  "done_for_day",
  "replaced",
]);

/** Alpaca statuses the port does not name (held, calculated, stopped, ...) are live orders: "accepted". */
function status(value: unknown): OrderStatus {
  return typeof value === "string" && STATUSES.has(value as OrderStatus) ? (value as OrderStatus) : "accepted";
}

export function toBrokerOrder(o: trading.Order): BrokerOrder {
  return {
    id: o.id ?? "",
    clientOrderId: o.clientOrderId ?? "",
    status: status(o.status),
    qty: num(o.qty) ?? 0,
    filledQty: num(o.filledQty) ?? 0,
    limitPrice: num(o.limitPrice),
    filledAvgPrice: num(o.filledAvgPrice),
    submittedAt: ms(o.submittedAt),
    filledAt: ms(o.filledAt),
    // A simple order's one leg is the order itself (a person closing a spread leg by leg).
    legs: (o.legs?.length ? o.legs : [o]).flatMap((leg) =>
      leg.symbol
        ? [{ symbol: leg.symbol, side: leg.side === "sell" ? "sell" : "buy", filledAvgPrice: num(leg.filledAvgPrice) }]
        : [],
    ),
  };
}

export function toOrderInput(order: OrderRequest) {
  if (order.order_class === "simple")
    return {
      symbol: order.symbol,
      side: order.side,
      type: "market" as const,
      timeInForce: "day" as const,
      qty: order.qty,
      clientOrderId: order.client_order_id,
    };
  return {
    type: "limit" as const,
    orderClass: "mleg" as const,
    timeInForce: "day" as const,
    qty: order.qty,
    limitPrice: order.limit_price,
    clientOrderId: order.client_order_id,
    legs: order.legs.map((leg) => ({
      symbol: leg.symbol,
      side: leg.side,
      positionIntent: leg.position_intent,
      ratioQty: leg.ratio_qty,
    })),
  };
}

export function toPosition(p: trading.Position): BrokerPosition {
  const qty = num(p.qty) ?? 0;
  return {
    symbol: p.symbol,
    // Alpaca reports short quantities as negative; keep the sign even if a feed sends it unsigned.
    qty: String(p.side) === "short" && qty > 0 ? -qty : qty,
    avgEntryPrice: num(p.avgEntryPrice) ?? 0,
    currentPrice: num(p.currentPrice),
    unrealizedPl: num(p.unrealizedPl),
  };
}

export function toAccount(a: trading.Account): Account {
  return {
    equity: num(a.equity) ?? 0,
    buyingPower: num(a.buyingPower) ?? 0,
    optionsBuyingPower: num(a.optionsBuyingPower) ?? 0,
    // Missing levels read as 0 (options disabled): the bot then offers nothing, rather than ideas
    // Alpaca would refuse (domain/options-level.ts).
    optionsLevel: num(a.optionsTradingLevel) ?? 0,
    optionsApprovedLevel: num(a.optionsApprovedLevel) ?? 0,
    tradingBlocked: Boolean(a.tradingBlocked || a.accountBlocked || a.tradeSuspendedByUser) || a.status !== "ACTIVE",
  };
}

export function toClock(c: trading.LegacyClock): MarketClock {
  return {
    now: ms(c.timestamp) ?? Date.now(),
    isOpen: c.isOpen,
    nextOpen: ms(c.nextOpen) ?? 0,
    nextClose: ms(c.nextClose) ?? 0,
  };
}

/**
 * The fields of an option snapshot the bot reads. Alpaca's JSON and the SDK's model name them
 * alike (the model has Dates for times, the JSON ISO strings: ms() reads both), so the chain can
 * read the raw response (alpaca-chain.ts) and the quotes path the model through one mapping.
 */
export interface SnapshotFields {
  latestQuote?: { bp?: unknown; ap?: unknown; t?: unknown } | null;
  latestTrade?: { p?: unknown } | null;
  dailyBar?: { v?: unknown } | null;
  impliedVolatility?: unknown;
  greeks?: { delta?: unknown; gamma?: unknown; theta?: unknown; vega?: unknown } | null;
}

/** The fields of an option contract the chain reads (the SDK model's names). */
export interface ContractFields {
  symbol: string;
  tradable?: boolean;
  underlyingSymbol?: string;
  strikePrice?: unknown;
  openInterest?: unknown;
}

function toGreeks(g: SnapshotFields["greeks"]): Greeks | null {
  if (!g) return null;
  const delta = num(g.delta);
  const gamma = num(g.gamma);
  const theta = num(g.theta);
  const vega = num(g.vega);
  if (delta === null || gamma === null || theta === null || vega === null) return null;
  // Alpaca quotes vega per volatility point (0.01); the domain's vega is per 1.00 of volatility.
  return { delta, gamma, theta, vega: vega * 100 };
}

/** One contract's quote from its snapshot (market figures) and, when known, its contract (open interest). */
export function toOptionQuote(
  symbol: string,
  snapshot: SnapshotFields | undefined,
  contract?: ContractFields,
): OptionQuote | null {
  const occ = parseOccSymbol(symbol);
  return occ.ok ? quoteOf(symbol, occ.value, snapshot, contract) : null;
}

/** toOptionQuote for a symbol already parsed (the chain reads each symbol's parts first). */
export function quoteOf(
  symbol: string,
  occ: OccParts,
  snapshot: SnapshotFields | undefined,
  contract?: ContractFields,
): OptionQuote {
  const q = snapshot?.latestQuote;
  const bid = num(q?.bp);
  const ask = num(q?.ap);
  const iv = num(snapshot?.impliedVolatility);
  const impliedVolatility = iv !== null && iv > 0 ? iv : null; // an IV of 0 is none
  const greeks = toGreeks(snapshot?.greeks);
  return {
    symbol,
    underlying: contract?.underlyingSymbol ?? occ.underlying,
    type: occ.type,
    strike: num(contract?.strikePrice) ?? occ.strike,
    expiration: occ.expiration,
    bid: bid !== null && bid >= 0 ? bid : null,
    ask: ask !== null && ask > 0 ? ask : null, // an ask of 0 means nobody offers
    last: num(snapshot?.latestTrade?.p),
    volume: num(snapshot?.dailyBar?.v),
    openInterest: num(contract?.openInterest),
    impliedVolatility,
    greeks,
    // What the snapshot left out, the chain step computes from the quote (alpaca-chain.ts).
    ivSource: impliedVolatility === null ? null : "broker",
    greeksSource: greeks === null ? null : "broker",
    quotedAt: ms(q?.t),
  };
}

const OPTION_EVENTS: Record<string, BrokerOptionEvent["kind"]> = {
  OPEXP: "expired",
  OPASN: "assigned",
  OPEXC: "exercised",
};

/** An account activity as an option event, or nothing when it is not one (or unreadable). */
export function toOptionEvent(a: { activityType?: string; id?: string; symbol?: string; qty?: unknown; date?: Date }) {
  const kind = a.activityType ? OPTION_EVENTS[a.activityType] : undefined;
  const qty = num(a.qty);
  if (!kind || !a.id || !a.symbol || qty === null || !(a.date instanceof Date)) return [];
  const event: BrokerOptionEvent = { id: a.id, kind, symbol: a.symbol, qty, date: a.date.toISOString().slice(0, 10) };
  return [event];
}
