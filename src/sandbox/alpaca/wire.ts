// Alpaca's JSON shapes, built from the simulator's state: the field names, string-typed money
// and null placeholders real responses carry (checked against fixtures in test/fixtures/alpaca).

import { addDays } from "../../domain/dates";
import { tradingDay, utcInstant } from "../../domain/market-time";
import { type AccountFigures, multiplier, type SimLeg, type SimOrder, type SimPosition } from "./book";
import { type ContractSpec, cents, type SimQuote } from "./chain";
import { dayOrderEnd } from "./lifecycle";
import { hash32 } from "./market";
import {
  closeInstant,
  isTradingDay,
  nextTradingDay,
  previousTradingDay,
  sessionOf,
  sessionOnOrBefore,
} from "./trading-days";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const money = (x: number) => String(Math.round(x * 10_000) / 10_000);

/** A stable UUID-shaped id for a name (contract and asset ids). */
export function stableId(name: string): string {
  const hex = [0, 1, 2, 3].map((i) => hash32(`${i}:${name}`).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * What every contract of one answer shares, worked out once per answer: a chain answer lists a
 * thousand contracts, and a date formatter and a calendar walk per contract were most of the
 * simulator's time in a scan.
 */
export interface ContractListing {
  /** The trading day before today: the date of the open interest and close price published. */
  previousSession: string;
  assetId: (underlying: string) => string;
}

export function contractListing(today: string): ContractListing {
  const ids = new Map<string, string>();
  return {
    previousSession: previousTradingDay(today),
    assetId: (underlying) => {
      const id = ids.get(underlying) ?? stableId(underlying);
      ids.set(underlying, id);
      return id;
    },
  };
}

export function contractJson(spec: ContractSpec, quote: SimQuote, listing: ContractListing) {
  const [y, m, d] = spec.expiration.split("-");
  return {
    id: stableId(spec.symbol),
    symbol: spec.symbol,
    name: `${spec.underlying} ${MONTHS[Number(m) - 1]} ${d} ${y} ${spec.strike} ${spec.type === "call" ? "Call" : "Put"}`,
    status: "active",
    tradable: true,
    expiration_date: spec.expiration,
    root_symbol: spec.underlying,
    underlying_symbol: spec.underlying,
    underlying_asset_id: listing.assetId(spec.underlying),
    type: spec.type,
    style: "american",
    strike_price: String(spec.strike),
    multiplier: "100",
    size: "100",
    open_interest: String(quote.openInterest),
    open_interest_date: listing.previousSession,
    close_price: money(quote.last),
    close_price_date: listing.previousSession,
  };
}

/**
 * How the snapshots are dated. By default every quote is taken now; the faults `quote_age_seconds`
 * (option quotes only: the indicative options feed is a delayed derivative of OPRA while the
 * stock feed is not) and `quotes_without_time` (no `t` on any quote or trade) change that.
 */
export interface QuoteTimes {
  optionAgeMs: number;
  withoutTime: boolean;
}
export const QUOTES_NOW: QuoteTimes = { optionAgeMs: 0, withoutTime: false };

/**
 * The quote and trade times of a chain's snapshots, spelled once: every contract of a response
 * shares the same two instants, and a Date's ISO string for each was a fifth of the chains' time.
 */
const spelled = new Map<number, string>();
function isoOnce(ms: number): string {
  let text = spelled.get(ms);
  if (text === undefined) {
    if (spelled.size >= 8) spelled.clear();
    text = new Date(ms).toISOString();
    spelled.set(ms, text);
  }
  return text;
}

export function optionSnapshotJson(quote: SimQuote, now: number, times: QuoteTimes = QUOTES_NOW) {
  const at = now - times.optionAgeMs;
  const t = (ms: number) => (times.withoutTime ? {} : { t: isoOnce(ms) });
  return {
    latestQuote: { ap: quote.ask, as: 25, ax: "C", bp: quote.bid, bs: 25, bx: "C", c: "A", ...t(at) },
    latestTrade: { c: "I", p: quote.last, s: 1, ...t(at - 60_000), x: "C" },
    ...(quote.impliedVolatility === null ? {} : { impliedVolatility: quote.impliedVolatility }),
    ...(quote.greeks === null ? {} : { greeks: quote.greeks }),
    ...barsJson(quote, at - 60_000),
  };
}

/**
 * The New York midnights daily bars are dated at, per instant: the latest session's (today's, or
 * the last one before a weekend or holiday) and the session before it.
 */
let barDays: { at: number; today: string; previous: string } | null = null;
function barDaysAt(at: number): { today: string; previous: string } {
  if (barDays?.at !== at) {
    const date = tradingDay(at);
    const today = sessionOnOrBefore(date);
    barDays = {
      at,
      today: isoOnce(utcInstant(today, "00:00")),
      previous: isoOnce(utcInstant(previousTradingDay(today), "00:00")),
    };
  }
  return barDays;
}

/**
 * The bars a real snapshot carries for a contract that traded: today's so far, the session
 * before's and the latest minute's (the bot reads only today's volume). Their prices are spread
 * around the last trade; what matters is that they are there, as in Alpaca's chains, where they
 * are about half of each snapshot's bytes: the bot's CPU for a chain is measured on them too.
 * They keep their times under the `quotes_without_time` fault, which takes the quotes' and trades'.
 */
function barsJson(quote: SimQuote, tradedAt: number) {
  if (quote.volume <= 0) return {};
  const last = quote.last;
  const bar = (open: number, close: number, volume: number, t: string) => ({
    c: close,
    h: cents(Math.max(open, close) * 1.02),
    l: Math.max(0.01, cents(Math.min(open, close) * 0.98)),
    n: Math.max(1, Math.round(volume / 4)),
    o: open,
    t,
    v: volume,
    vw: cents((open + close) / 2),
  });
  const days = barDaysAt(tradedAt);
  const previousClose = Math.max(0.01, cents(last * 0.97));
  return {
    dailyBar: bar(previousClose, last, quote.volume, days.today),
    minuteBar: bar(last, last, Math.max(1, Math.round(quote.volume / 50)), isoOnce(tradedAt - (tradedAt % 60_000))),
    prevDailyBar: bar(cents(previousClose * 1.01), previousClose, Math.round(quote.volume * 0.9), days.previous),
  };
}

export function stockSnapshotJson(symbol: string, spot: number, now: number, times: QuoteTimes = QUOTES_NOW) {
  const t = times.withoutTime ? {} : { t: new Date(now).toISOString() };
  const bid = Math.round((spot - 0.01) * 100) / 100;
  const ask = Math.round((spot + 0.01) * 100) / 100;
  return {
    symbol,
    latestTrade: { ...t, x: "V", p: spot, s: 100, c: ["@"], i: hash32(`${symbol}:${now}`), z: "B" },
    latestQuote: { ...t, ax: "V", ap: ask, as: 2, bx: "V", bp: bid, bs: 2, c: ["R"], z: "B" },
  };
}

function legJson(order: SimOrder, leg: SimLeg) {
  return {
    ...orderCommon(order),
    id: leg.id,
    client_order_id: leg.clientOrderId,
    asset_id: stableId(leg.symbol),
    symbol: leg.symbol,
    asset_class: "us_option",
    qty: String(leg.ratioQty * order.qty),
    filled_qty: String(leg.ratioQty * order.filledQty),
    filled_avg_price: leg.filledAvgPrice === null ? null : money(leg.filledAvgPrice),
    order_type: "",
    type: "",
    side: leg.side,
    position_intent: leg.positionIntent,
    limit_price: null,
    legs: null,
    // A day order ends at the close of the day it was sent.
    expires_at: iso(dayOrderEnd(order.submittedAt)),
    ratio_qty: String(leg.ratioQty),
  };
}

function orderCommon(order: SimOrder) {
  return {
    created_at: iso(order.submittedAt),
    updated_at: iso(order.updatedAt),
    submitted_at: iso(order.submittedAt),
    filled_at: iso(order.filledAt),
    expired_at: iso(order.expiredAt ?? null),
    canceled_at: iso(order.canceledAt),
    failed_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    notional: null,
    order_class: "mleg",
    time_in_force: "day",
    stop_price: null,
    status: order.status,
    extended_hours: false,
    trail_percent: null,
    trail_price: null,
    hwm: null,
    subtag: null,
    source: null,
  };
}

/** A simple order (one leg: a stock at the market, or one option at a limit), as Alpaca lists it. */
function simpleOrderJson(order: SimOrder, leg: SimLeg, kind: "stock" | "option") {
  return {
    ...orderCommon(order),
    id: order.id,
    client_order_id: order.clientOrderId,
    asset_id: stableId(leg.symbol),
    symbol: leg.symbol,
    asset_class: kind === "stock" ? "us_equity" : "us_option",
    order_class: "simple",
    qty: String(order.qty),
    filled_qty: String(order.filledQty),
    filled_avg_price: order.filledAvgPrice === null ? null : money(order.filledAvgPrice),
    order_type: kind === "stock" ? "market" : "limit",
    type: kind === "stock" ? "market" : "limit",
    side: leg.side,
    position_intent: kind === "option" ? leg.positionIntent : leg.side === "buy" ? "buy_to_open" : "sell_to_close",
    // Per share and unsigned, as a simple order's limit is sent.
    limit_price: kind === "stock" ? null : money(Math.abs(order.limitPrice)),
    legs: null,
    expires_at: iso(dayOrderEnd(order.submittedAt)),
  };
}

export function orderJson(order: SimOrder) {
  const [first] = order.legs;
  if (first && (order.single || order.market)) return simpleOrderJson(order, first, order.single ? "option" : "stock");
  return {
    ...orderCommon(order),
    id: order.id,
    client_order_id: order.clientOrderId,
    asset_id: "",
    symbol: "",
    asset_class: "",
    qty: String(order.qty),
    filled_qty: String(order.filledQty),
    filled_avg_price: order.filledAvgPrice === null ? null : money(order.filledAvgPrice),
    order_type: "limit",
    type: "limit",
    side: "",
    limit_price: money(order.limitPrice),
    legs: order.legs.map((leg) => legJson(order, leg)),
  };
}

export function positionJson(position: SimPosition, mark: number | null) {
  const price = mark ?? position.avgEntryPrice;
  const shares = multiplier(position.symbol);
  const costBasis = position.qty * position.avgEntryPrice * shares;
  const marketValue = position.qty * price * shares;
  const pl = marketValue - costBasis;
  return {
    asset_id: stableId(position.symbol),
    symbol: position.symbol,
    exchange: shares === 1 ? "ARCA" : "",
    asset_class: shares === 1 ? "us_equity" : "us_option",
    asset_marginable: shares === 1,
    qty: String(position.qty),
    qty_available: String(position.qty),
    avg_entry_price: money(position.avgEntryPrice),
    side: position.qty < 0 ? "short" : "long",
    market_value: money(marketValue),
    cost_basis: money(costBasis),
    unrealized_pl: money(pl),
    unrealized_plpc: money(costBasis === 0 ? 0 : pl / Math.abs(costBasis)),
    unrealized_intraday_pl: money(pl),
    unrealized_intraday_plpc: money(costBasis === 0 ? 0 : pl / Math.abs(costBasis)),
    current_price: money(price),
    lastday_price: money(price),
    change_today: "0",
  };
}

/** GET /v2/account. `optionsLevel` (a knob, 3 by default) is both the approved and the trading level. */
export function accountJson(figures: AccountFigures, createdAt: number, optionsLevel = 3) {
  return {
    id: stableId("sandbox-account"),
    account_number: "PA3SANDBOX01",
    status: "ACTIVE",
    crypto_status: "INACTIVE",
    options_approved_level: optionsLevel,
    options_trading_level: optionsLevel,
    currency: "USD",
    buying_power: money(figures.optionsBuyingPower),
    regt_buying_power: money(figures.optionsBuyingPower),
    daytrading_buying_power: "0",
    effective_buying_power: money(figures.optionsBuyingPower),
    non_marginable_buying_power: money(figures.optionsBuyingPower),
    options_buying_power: money(figures.optionsBuyingPower),
    bod_dtbp: "0",
    cash: money(figures.cash),
    accrued_fees: "0",
    portfolio_value: money(figures.equity),
    pattern_day_trader: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    created_at: new Date(createdAt).toISOString(),
    trade_suspended_by_user: false,
    multiplier: "1",
    shorting_enabled: false,
    equity: money(figures.equity),
    last_equity: money(figures.equity),
    long_market_value: money(figures.longMarketValue),
    short_market_value: money(figures.shortMarketValue),
    position_market_value: money(figures.longMarketValue + figures.shortMarketValue),
    initial_margin: "0",
    maintenance_margin: "0",
    last_maintenance_margin: "0",
    sma: "0",
    daytrade_count: 0,
    balance_asof: previousTradingDay(new Date(createdAt).toISOString().slice(0, 10)),
    crypto_tier: 0,
    intraday_adjustments: "0",
    pending_reg_taf_fees: "0",
  };
}

/** GET /v2/calendar: NYSE sessions (holidays skipped, 13:00 on early-close days). */
export function calendarJson(start: string, end: string) {
  const out = [];
  for (let d = start; d <= end && out.length < 1000; d = addDays(d, 1)) {
    const session = sessionOf(d);
    if (!session) continue;
    out.push({
      date: d,
      open: session.open,
      close: session.close,
      session_open: "0400",
      session_close: session.close === "13:00" ? "1700" : "2000",
      settlement_date: nextTradingDay(d),
    });
  }
  return out;
}

/**
 * GET /v2/clock. `open` is the simulator's switch, not the wall clock: while it is on, the
 * market is open whatever the time, `next_close` is today's close when that is still ahead
 * (13:00 New York on an early-close day) and four hours ahead otherwise.
 */
export function clockJson(now: number, open: boolean, today: string) {
  const todayClose = isTradingDay(today) ? closeInstant(today) : null;
  let nextClose = open && todayClose !== null && todayClose > now ? todayClose : now + 4 * 3_600_000;
  let day = isTradingDay(today) ? today : nextTradingDay(today);
  while (utcInstant(day, "09:30") <= (open ? nextClose : now)) day = nextTradingDay(day);
  if (!open) nextClose = closeInstant(day);
  return {
    timestamp: new Date(now).toISOString(),
    is_open: open,
    next_open: iso(utcInstant(day, "09:30")),
    next_close: iso(nextClose),
  };
}
