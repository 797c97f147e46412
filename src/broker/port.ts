// The Broker port: what jobs and the interactions endpoint need from a broker, in our words.
// The Alpaca adapter (alpaca-broker.ts) implements it on the official SDK; nothing else in the
// bot knows Alpaca's wire format except the order bodies the core builds (OrderRequest).
import type { ChainSelector, StrikeRange } from "../domain/chain-interest";
import type { ExDividend } from "../domain/events";
import type { ListedContract, ListingRequest } from "../domain/open-interest";
import type { OptionChain, OptionQuote, OrderRequest, UnderlyingQuote } from "../domain/types";

export interface MarketClock {
  now: number;
  isOpen: boolean;
  nextOpen: number;
  nextClose: number;
}

/** A trading session from the broker's calendar (New York times, early closes included). */
export interface SessionDay {
  date: string; // YYYY-MM-DD
  open: string; // "09:30"
  close: string; // "16:00" or "13:00" on an early close
}

export interface Account {
  equity: number;
  buyingPower: number;
  optionsBuyingPower: number;
  /** The options level orders are checked against (Alpaca's options_trading_level). */
  optionsLevel: number;
  /** The level Alpaca approved; the account may have capped itself below it. */
  optionsApprovedLevel: number;
  tradingBlocked: boolean;
}

/** One option leg held at the broker. qty is signed: negative for a short leg. */
export interface BrokerPosition {
  symbol: string;
  qty: number;
  avgEntryPrice: number;
  currentPrice: number | null;
  unrealizedPl: number | null;
}

/**
 * An option event the broker booked on its own after an expiration: Alpaca's non-trade
 * activities OPEXP (expired), OPASN (assigned), OPEXC (exercised). qty is the change of the
 * option position (a short leg assigned: positive).
 */
export interface BrokerOptionEvent {
  id: string;
  kind: "expired" | "assigned" | "exercised";
  symbol: string;
  qty: number;
  date: string; // YYYY-MM-DD
}

export type OrderStatus =
  | "new"
  | "pending_new"
  | "accepted"
  | "partially_filled"
  | "filled"
  | "canceled"
  | "expired"
  | "rejected"
  | "pending_cancel"
  | "done_for_day"
  | "replaced";

export interface BrokerOrder {
  id: string;
  clientOrderId: string;
  status: OrderStatus;
  qty: number;
  filledQty: number;
  /** Signed like the limit: negative for a net credit. */
  limitPrice: number | null;
  filledAvgPrice: number | null;
  submittedAt: number | null;
  filledAt: number | null;
  /** An mleg order's legs; a simple order's one leg is the order itself (its symbol, side and price). */
  legs: { symbol: string; side: "buy" | "sell"; filledAvgPrice: number | null }[];
}

export type BrokerFailureCode =
  | "insufficient_buying_power"
  | "not_tradable"
  | "market_closed"
  | "pattern_day_trader"
  | "wash_trade"
  | "duplicate_client_order_id"
  | "qty_held" // the quantity is held by a working order (or is not there)
  | "options_level" // the account's options level does not allow the order
  | "account_restricted" // the account may not trade now
  | "rate_limited"
  | "unavailable" // 5xx, network
  | "timeout"
  | "unauthorized"
  | "not_found"
  | "rejected" // any other refusal
  | "unknown";

/** An expected broker failure: a code, a sentence a trader can read, and whether a retry is safe. */
export class BrokerError extends Error {
  constructor(
    readonly code: BrokerFailureCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = "BrokerError";
  }
}

/**
 * What happened to an order submission. `unknown` means the broker may or may not have the
 * order (the response was lost and the lookup failed too): the caller must not submit again
 * and must leave the recommendation in a state a person can see and resolve.
 */
export type SubmitOutcome =
  | { kind: "placed"; order: BrokerOrder }
  | { kind: "already_submitted"; order: BrokerOrder }
  | { kind: "rejected"; error: BrokerError }
  | { kind: "unknown"; error: BrokerError };

export interface ChainRequest {
  underlying: string;
  expirationFrom: string; // YYYY-MM-DD inclusive
  expirationTo: string; // YYYY-MM-DD inclusive
  strikeFrom?: number;
  strikeTo?: number;
  /**
   * Puts and calls fetched apart, each within its own strikes (domain/chain-interest.ts
   * sideStrikes), instead of both across strikeFrom-strikeTo (then not sent): a request more for
   * a chain of one page, about half the bytes to read (BENCHMARKS.md).
   */
  sides?: { put: StrikeRange; call: StrikeRange };
  /** The underlying's quote when the caller already has it (saves a request per symbol). */
  underlyingQuote?: UnderlyingQuote;
  /**
   * false: the snapshots alone, without the contracts listing: no open interest (null) and
   * every quoted contract taken as tradable. The scan asks for the listing of its chosen legs
   * only (listedContracts; domain/open-interest.ts says why).
   */
  openInterest?: boolean;
  /**
   * The contracts the caller reads (domain/chain-interest.ts), chosen from the symbols alone
   * (every standard contract of the chain is shown first): the others are dropped before their
   * snapshot is mapped. All of them without it. The scan sizes it on `underlyingQuote`'s price.
   */
  select?: ChainSelector;
  /**
   * At most this many requests, retries included (what the caller's subrequest budget leaves):
   * a chain that needs more fails with RequestBudgetExceeded instead of asking for its next page.
   * A page's own retries (at most two, after a 5xx or 429) may still pass it.
   */
  maxRequests?: number;
}

/** A read stopped where the caller's subrequest budget ends (ChainRequest.maxRequests). */
export class RequestBudgetExceeded extends Error {
  override name = "RequestBudgetExceeded";
}

export interface Broker {
  clock(): Promise<MarketClock>;
  calendar(from: string, to: string): Promise<SessionDay[]>;
  account(): Promise<Account>;
  positions(): Promise<BrokerPosition[]>;
  /**
   * Contracts (all pages) with their snapshots (quotes, greeks, IV), fetched in batches. Greeks
   * and IV a snapshot lacks are computed from its quote where it can be read, marked "computed".
   */
  optionChain(request: ChainRequest): Promise<OptionChain>;
  /** One expiry and side of the contracts listing (open interest, tradable), by symbol. */
  listedContracts(request: ListingRequest): Promise<Map<string, ListedContract>>;
  underlyingQuote(symbol: string): Promise<UnderlyingQuote>;
  /** Quotes of several underlyings in one request, keyed by symbol (missing ones are absent). */
  underlyingQuotes(symbols: string[]): Promise<Map<string, UnderlyingQuote>>;
  /** Current quotes of the given option symbols (e.g. a spread's two legs), keyed by symbol. */
  optionQuotes(symbols: string[]): Promise<Map<string, OptionQuote>>;
  /**
   * Cash dividends of the symbols whose ex-date falls from `from` to `to` (New York dates,
   * inclusive), as the broker has them announced (Alpaca: /v1/corporate-actions).
   */
  exDividends(symbols: string[], from: string, to: string): Promise<ExDividend[]>;
  /** Sends the order once. Never retried blindly: a lost response is resolved by lookup. */
  submitOrder(order: OrderRequest): Promise<SubmitOutcome>;
  orderByClientId(clientOrderId: string): Promise<BrokerOrder | null>;
  cancelOrder(orderId: string): Promise<void>;
  /** Expirations, assignments and exercises booked since the instant, newest first. */
  optionEvents(since: number): Promise<BrokerOptionEvent[]>;
  /** Orders closed (filled, canceled, rejected, expired) since the instant, newest first. */
  recentOrders(since: number): Promise<BrokerOrder[]>;
  /** Outbound HTTP requests this adapter has made so far (Workers count subrequests). */
  subrequestCount(): number;
}
