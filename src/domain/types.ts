// The vocabulary shared by the core, the ports and the adapters. Plain data, no behaviour.
// Prices are per share in US dollars; dates are 'YYYY-MM-DD'; instants are epoch ms (UTC).
import type { Strategy } from "./recommendation-state";

export type { Strategy };
export type OptionType = "call" | "put";

export interface Greeks {
  delta: number;
  gamma: number;
  theta: number; // per calendar day
  vega: number; // per 1.00 (100 vol points) of volatility
}

/**
 * Where a quote's IV or greeks came from: the broker's feed, or computed here from the quote's
 * own bid/ask (greeks-from-quotes.ts) because the broker sent none.
 */
export type FigureSource = "broker" | "computed";

/** One option contract as the market shows it now. Any market figure may be missing. */
export interface OptionQuote {
  symbol: string; // OCC, e.g. SPY270115P00580000
  underlying: string;
  type: OptionType;
  strike: number;
  expiration: string;
  bid: number | null;
  ask: number | null;
  last: number | null;
  volume: number | null;
  openInterest: number | null;
  impliedVolatility: number | null; // annualised, 0.18 = 18 %
  greeks: Greeks | null;
  /** Where impliedVolatility came from; null exactly when it is null. */
  ivSource: FigureSource | null;
  /** Where greeks came from; null exactly when they are null. */
  greeksSource: FigureSource | null;
  quotedAt: number | null;
}

export interface UnderlyingQuote {
  symbol: string;
  price: number; // last trade, or mid when there is no trade
  bid: number | null;
  ask: number | null;
  /** When the price was taken (last trade, else quote); null = the feed gave no time (unknown, not fresh). */
  asOf: number | null;
}

/** The part of one underlying's option chain a scan looks at. */
export interface OptionChain {
  underlying: UnderlyingQuote;
  contracts: OptionQuote[];
}

/** Leg of an Alpaca multi-leg order, in Alpaca's own terms. */
export interface OrderLeg {
  symbol: string;
  side: "buy" | "sell";
  position_intent: "buy_to_open" | "sell_to_open" | "buy_to_close" | "sell_to_close";
  ratio_qty: string;
}

/** The body of an Alpaca mleg limit order, built by the core and sent by the broker adapter. */
export interface MlegOrderRequest {
  order_class: "mleg";
  type: "limit";
  time_in_force: "day";
  qty: string;
  /** Negative for a net credit, positive for a net debit (Alpaca's convention for mleg). */
  limit_price: string;
  client_order_id: string;
  legs: OrderLeg[];
}

/** A simple stock market order: how the bot flattens shares an assignment or exercise left. */
export interface StockOrderRequest {
  order_class: "simple";
  symbol: string;
  side: "buy" | "sell";
  type: "market";
  time_in_force: "day";
  qty: string;
  client_order_id: string;
}

export type OrderRequest = MlegOrderRequest | StockOrderRequest;
