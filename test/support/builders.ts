// Test data builders: a valid row with overrides, so each test states only what it is about.
import type { DailyPerformanceRow, NewPosition, NewRecommendation } from "../../drizzle/schema";
import { yearsToExpiration } from "../../src/domain/greeks-from-quotes";
import { buildOccSymbol } from "../../src/domain/occ";
import { greeks, price } from "../../src/domain/option-math";
import type { ScreenSettings } from "../../src/domain/screener";
import type { OptionQuote, OptionType } from "../../src/domain/types";

let counter = 0;
export const uniqueId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export const T0 = Date.UTC(2027, 0, 15, 15, 0); // 2027-01-15 10:00 New York

/**
 * A live idea is one per symbol (a unique index): each built recommendation gets a symbol of
 * its own unless the test names one (the legs stay SPY's; nothing here reads them against it).
 */
const uniqueSymbol = () => `SPY${(counter++).toString(36).toUpperCase()}`;

export function aRecommendation(overrides: Partial<NewRecommendation> = {}): NewRecommendation {
  const id = overrides.id ?? uniqueId("r");
  return {
    id,
    createdAt: T0,
    updatedAt: T0,
    symbol: uniqueSymbol(),
    strategy: "bull_put",
    expiration: "2027-02-19",
    shortSymbol: "SPY270219P00580000",
    longSymbol: "SPY270219P00575000",
    shortStrike: 580,
    longStrike: 575,
    width: 5,
    underlyingPrice: 600,
    credit: 1.2,
    shortDelta: -0.24,
    maxLoss: 380,
    breakeven: 578.8,
    probabilityOfProfit: 0.72,
    ivRank: 42,
    score: 0.5,
    contracts: 2,
    maxContracts: 5,
    analyst: "Rule-based analyst",
    thesis: "Put credit spread below support.",
    confidence: 0.6,
    risks: ["IV rank from a short history"],
    status: "pending",
    expiresAt: T0 + 30 * 60_000,
    clientOrderId: `sd-open-${id}`,
    ...overrides,
  };
}

export function aPosition(
  recommendationId: string,
  overrides: Partial<NewPosition> = {},
): NewPosition & { openedContracts: number } {
  return {
    recommendationId,
    symbol: "SPY",
    strategy: "bull_put",
    expiration: "2027-02-19",
    shortSymbol: "SPY270219P00580000",
    longSymbol: "SPY270219P00575000",
    shortStrike: 580,
    longStrike: 575,
    contracts: 2,
    entryCredit: 1.2,
    maxLoss: 760,
    status: "open",
    openedAt: T0,
    updatedAt: T0,
    ...overrides,
    openedContracts: overrides.openedContracts ?? overrides.contracts ?? 2,
  };
}

/** An end-of-day row of a quiet day (nothing traded), with the account's equity as read then. */
export function aDailyPerformance(tradingDay: string, equity: number | null, createdAt = T0): DailyPerformanceRow {
  return {
    tradingDay,
    realizedPl: 0,
    unrealizedPl: 0,
    totalRealizedPl: 0,
    tradesOpened: 0,
    tradesClosed: 0,
    wins: 0,
    losses: 0,
    openPositions: 0,
    openRisk: 0,
    equity,
    recommendationsPosted: 0,
    recommendationsApproved: 0,
    recommendationsRejected: 0,
    recommendationsExpired: 0,
    breakerHalted: false,
    summaryMessageId: null,
    createdAt,
  };
}

/** The screener's settings at the defaults a test reasons about: 30-45 DTE, Δ 0.20-0.30, $5 wide. */
export function screenSettings(overrides: Partial<ScreenSettings> = {}): ScreenSettings {
  return {
    dteMin: 30,
    dteMax: 45,
    shortDeltaMin: 0.2,
    shortDeltaMax: 0.3,
    widths: [5],
    minCreditToWidth: 0.2,
    maxBidAskToMid: 0.25,
    minOpenInterest: 100,
    ivRankMin: 30,
    ivRankRequired: false,
    fillTowardNatural: 0.5,
    maxQuoteAgeSeconds: 60,
    ...overrides,
  };
}

export interface ModelQuoteAt {
  type: OptionType;
  strike: number;
  expiration: string;
  now: number;
  spot: number;
  /** Flat volatility (20 % unless given); rates 4 % and 1.3 % dividends, as the screener tests read them. */
  volatility?: number;
}

/**
 * A SPY contract priced by Black-Scholes, quoted a few cents either side of fair (2 %), with the
 * broker's greeks and IV and open interest 1,000, quoted at `now`. `overrides` replace fields; the
 * IV and greeks sources follow what is left (null when the override removed them).
 */
export function modelQuote(at: ModelQuoteAt, overrides: Partial<OptionQuote> = {}): OptionQuote {
  const volatility = at.volatility ?? 0.2;
  const p = {
    type: at.type,
    spot: at.spot,
    strike: at.strike,
    years: yearsToExpiration(at.expiration, at.now),
    volatility,
    rate: 0.04,
    dividendYield: 0.013,
  };
  const fair = price(p);
  const half = Math.max(0.01, Math.round(fair * 0.02 * 100) / 100);
  const q = {
    symbol: buildOccSymbol({ underlying: "SPY", expiration: at.expiration, type: at.type, strike: at.strike }),
    underlying: "SPY",
    type: at.type,
    strike: at.strike,
    expiration: at.expiration,
    bid: Math.max(0, fair - half),
    ask: fair + half,
    last: fair,
    volume: 500,
    openInterest: 1000,
    impliedVolatility: volatility,
    greeks: greeks(p),
    quotedAt: at.now,
    ...overrides,
  };
  return {
    ...q,
    ivSource: overrides.ivSource ?? (q.impliedVolatility === null ? null : "broker"),
    greeksSource: overrides.greeksSource ?? (q.greeks === null ? null : "broker"),
  };
}
