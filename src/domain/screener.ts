// The credit-spread screener: from one underlying's chain, every bull put and bear call that
// passes the rules, scored and ranked best first. Every spread looked at either becomes a
// candidate or is counted under exactly one rejection reason (checked in the order below),
// so `considered = candidates + sum(rejected)` and a scan can say why it found nothing.
//
// All candidates are returned (several strikes and widths per expiration); the scan job
// decides how many to post.

import { type FeeSettings, spreadBreakeven, spreadFillFees, spreadMaxLoss } from "./fees";
import { withComputedGreeks, yearsToExpiration } from "./greeks-from-quotes";
import { daysToExpiration } from "./market-time";
import { fairSpreadValue, impliedForwardYield, popToExpiry, probabilityInProfitOnExitDay } from "./probabilities";
import { quoteFreshness } from "./quote-age";
import type { Strategy } from "./recommendation-state";
import { entryPrices, quoteMid, type SpreadPrices } from "./spread-pricing";
import type { FigureSource, Greeks, OptionChain, OptionQuote } from "./types";

/** The same field names as Config["strategy"], so config.strategy can be passed as is. */
export interface ScreenSettings {
  dteMin: number;
  dteMax: number;
  shortDeltaMin: number;
  shortDeltaMax: number;
  widths: number[];
  minCreditToWidth: number;
  maxBidAskToMid: number;
  minOpenInterest: number;
  ivRankMin: number;
  ivRankRequired: boolean;
  /** The credit screened and promised: this share of the way from mid to natural (0-1). */
  fillTowardNatural: number;
  /** A leg whose quote is older than this (or has no time) is not traded on: see quote-age.ts. */
  maxQuoteAgeSeconds: number;
}

export interface ScreenContext {
  now: number;
  ivRank: number | null;
  rate: number;
  /** Used where the chain gives no forward (no call/put pair near the money to read it from). */
  dividendYield: number;
  /** The fees a fill pays: in the max loss (entry and close) and the breakeven (entry). */
  fees: FeeSettings;
}

export interface SpreadCandidate {
  strategy: Strategy;
  underlying: string;
  /** The underlying's price the chain was read at. */
  spot: number;
  expiration: string;
  dte: number;
  short: OptionQuote;
  long: OptionQuote;
  width: number;
  /** Per share, the fillable estimate (see SpreadPrices): what is screened, sized and promised. */
  credit: number;
  /** Short mid − long mid. */
  midCredit: number;
  /** Short bid − long ask: the credit if both legs filled at once at the touch. */
  naturalCredit: number;
  /** Dollars lost per contract at worst: (width − credit) × 100 plus the entry's and the close's fees. */
  maxLoss: number;
  /** The underlying's price at expiry where the trade books $0, the entry's fees counted (fees.ts). */
  breakeven: number;
  /** P(the underlying finishes past the breakeven at expiry), from the smile: see popToExpiry. */
  probabilityOfProfit: number | null;
  /** Credit less the entry's fees, per dollar of max loss. */
  returnOnRisk: number;
  /** Dollars per contract: the credit against the spread at the expiry's ATM IV (see measure). */
  edge: number | null;
  /** The expiry's at-the-money IV the edge is measured against. */
  referenceVolatility: number | null;
  /** The dividend yield the probabilities use, and where it came from. */
  dividendYield: number;
  dividendYieldSource: "put-call parity" | "assumed";
  /** Each leg's IV (the broker's, or read from its quote): the smile the odds use. */
  legIvs: { short: number | null; long: number | null };
  /** Years to the expiration's close, as the odds were computed with. */
  years: number;
  score: number;
  shortDelta: number;
  ivRank: number | null;
  /** Where the short leg's delta came from: the broker, or computed from its quote. */
  greeksSource: FigureSource;
}

export type RejectReason =
  | "iv_rank_unavailable"
  | "iv_rank_below_min"
  | "dte_out_of_window"
  | "short_no_quote"
  | "stale_quote"
  | "quote_time_unknown"
  | "no_greeks"
  | "delta_out_of_range"
  | "low_open_interest"
  /** A leg the contracts listing does not have as tradable (open-interest.ts). */
  | "not_tradable"
  | "wide_bid_ask"
  | "no_long_leg"
  | "long_no_quote"
  | "no_credit"
  | "credit_too_small";

export interface ScreenResult {
  candidates: SpreadCandidate[];
  /** Count per RejectReason; reasons that never happened are absent. */
  rejected: Record<string, number>;
  considered: number;
}

interface Analysed {
  greeks: Greeks;
  iv: number | null;
  source: FigureSource;
}

/**
 * The quote's greeks and IV as they came (the broker adapter has already filled in what it
 * could), and whatever is still missing read from the quote the same way (greeks-from-quotes.ts).
 */
function analyse(q: OptionQuote, spot: number, years: number, ctx: ScreenContext): Analysed | null {
  const filled = withComputedGreeks(q, { spot, years, rate: ctx.rate, dividendYield: ctx.dividendYield });
  if (filled.greeks === null) return null;
  const iv = filled.impliedVolatility !== null && filled.impliedVolatility > 0 ? filled.impliedVolatility : null;
  return { greeks: filled.greeks, iv, source: filled.greeksSource ?? "broker" };
}

function liquidity(q: OptionQuote, s: ScreenSettings): "low_open_interest" | "wide_bid_ask" | null {
  if (s.minOpenInterest > 0 && (q.openInterest === null || q.openInterest < s.minOpenInterest))
    return "low_open_interest";
  const mid = quoteMid(q);
  if (mid === null || mid <= 0 || q.bid === null || q.ask === null) return "wide_bid_ask";
  return (q.ask - q.bid) / mid > s.maxBidAskToMid ? "wide_bid_ask" : null;
}

/** What one expiration's quotes say about the market, read once per expiration. */
interface ExpiryMarket {
  years: number;
  dividendYield: number;
  dividendYieldSource: "put-call parity" | "assumed";
  /** IV at the strike nearest the underlying (call and put averaged): the edge's reference. */
  referenceVolatility: number | null;
}

function readExpiry(
  contracts: OptionQuote[],
  spot: number,
  years: number,
  ctx: ScreenContext,
  ivOf: (q: OptionQuote) => number | null,
): ExpiryMarket {
  const parity = impliedForwardYield({ spot, years, rate: ctx.rate, quotes: contracts });
  const nearest = contracts.reduce((best, q) => Math.min(best, Math.abs(q.strike - spot)), Number.POSITIVE_INFINITY);
  const atm = contracts.filter((q) => Math.abs(q.strike - spot) === nearest).flatMap((q) => ivOf(q) ?? []);
  return {
    years,
    dividendYield: parity ?? ctx.dividendYield,
    dividendYieldSource: parity === null ? "assumed" : "put-call parity",
    referenceVolatility: atm.length === 0 ? null : atm.reduce((a, b) => a + b, 0) / atm.length,
  };
}

const key = (type: string, expiration: string, strike: number) => `${type}|${expiration}|${Math.round(strike * 1000)}`;

export function screenCreditSpreads(chain: OptionChain, settings: ScreenSettings, ctx: ScreenContext): ScreenResult {
  const spot = chain.underlying.price;
  const byKey = new Map(chain.contracts.map((c) => [key(c.type, c.expiration, c.strike), c]));
  const analysed = new Map<string, Analysed | null>();
  const rejected: Record<string, number> = {};
  const candidates: SpreadCandidate[] = [];
  let considered = 0;
  const analysedQuote = (q: OptionQuote, years: number) => {
    const k = key(q.type, q.expiration, q.strike);
    if (!analysed.has(k)) analysed.set(k, analyse(q, spot, years, ctx));
    return analysed.get(k) ?? null;
  };
  const markets = new Map<string, ExpiryMarket>();
  const marketOf = (expiration: string): ExpiryMarket => {
    let market = markets.get(expiration);
    if (!market) {
      const years = yearsToExpiration(expiration, ctx.now);
      const sameExpiry = chain.contracts.filter((q) => q.expiration === expiration);
      market = readExpiry(sameExpiry, spot, years, ctx, (q) => analysedQuote(q, years)?.iv ?? null);
      markets.set(expiration, market);
    }
    return market;
  };
  const dtes = new Map<string, number>();
  const dteOf = (expiration: string): number => {
    let dte = dtes.get(expiration);
    if (dte === undefined) {
      dte = daysToExpiration(expiration, ctx.now);
      dtes.set(expiration, dte);
    }
    return dte;
  };
  const reject = (reason: RejectReason) => {
    rejected[reason] = (rejected[reason] ?? 0) + 1;
  };
  // A leg quoted too long ago (or at no known time) prices nothing: unknown is not fresh.
  const ageProblem = (q: OptionQuote): RejectReason | null => {
    const f = quoteFreshness(q.quotedAt, ctx.now, settings.maxQuoteAgeSeconds);
    return f.kind === "fresh" ? null : f.kind === "stale" ? "stale_quote" : "quote_time_unknown";
  };

  const ivGate: RejectReason | null =
    ctx.ivRank === null
      ? settings.ivRankRequired
        ? "iv_rank_unavailable"
        : null
      : ctx.ivRank < settings.ivRankMin
        ? "iv_rank_below_min"
        : null;

  for (const short of chain.contracts) {
    for (const width of settings.widths) {
      considered++;
      if (ivGate) {
        reject(ivGate);
        continue;
      }
      const dte = dteOf(short.expiration);
      if (dte < settings.dteMin || dte > settings.dteMax) {
        reject("dte_out_of_window");
        continue;
      }
      if (short.bid === null || short.bid <= 0 || quoteMid(short) === null) {
        reject("short_no_quote");
        continue;
      }
      const shortAge = ageProblem(short);
      if (shortAge) {
        reject(shortAge);
        continue;
      }
      const { years } = marketOf(short.expiration);
      const a = analysedQuote(short, years);
      if (!a) {
        reject("no_greeks");
        continue;
      }
      const absDelta = Math.abs(a.greeks.delta);
      if (absDelta < settings.shortDeltaMin || absDelta > settings.shortDeltaMax) {
        reject("delta_out_of_range");
        continue;
      }
      const shortLiquidity = liquidity(short, settings);
      if (shortLiquidity) {
        reject(shortLiquidity);
        continue;
      }
      // Bull put: the long put is `width` below; bear call: the long call is `width` above.
      const strategy: Strategy = short.type === "put" ? "bull_put" : "bear_call";
      const longStrike = strategy === "bull_put" ? short.strike - width : short.strike + width;
      const long = byKey.get(key(short.type, short.expiration, longStrike));
      if (!long) {
        reject("no_long_leg");
        continue;
      }
      if (quoteMid(long) === null) {
        reject("long_no_quote");
        continue;
      }
      const longAge = ageProblem(long);
      if (longAge) {
        reject(longAge);
        continue;
      }
      const longLiquidity = liquidity(long, settings);
      if (longLiquidity) {
        reject(longLiquidity);
        continue;
      }
      const prices = entryPrices(short, long, settings.fillTowardNatural);
      if (prices === null || prices.fillable <= 0 || prices.mid >= width) {
        reject("no_credit");
        continue;
      }
      if (prices.fillable / width < settings.minCreditToWidth) {
        reject("credit_too_small");
        continue;
      }
      candidates.push(
        measure({
          strategy,
          short,
          long,
          width,
          prices,
          dte,
          spot,
          shortAnalysed: a,
          longIv: analysedQuote(long, years)?.iv ?? null,
          market: marketOf(short.expiration),
          ctx,
          underlying: chain,
        }),
      );
    }
  }

  // Best edge per dollar at risk first; between equals, the likelier win.
  candidates.sort(
    (x, y) =>
      y.score - x.score ||
      (y.probabilityOfProfit ?? 0) - (x.probabilityOfProfit ?? 0) ||
      x.short.symbol.localeCompare(y.short.symbol) ||
      x.width - y.width,
  );
  return { candidates, rejected, considered };
}

interface MeasureInput {
  strategy: Strategy;
  short: OptionQuote;
  long: OptionQuote;
  width: number;
  prices: SpreadPrices;
  dte: number;
  spot: number;
  shortAnalysed: Analysed;
  longIv: number | null;
  market: ExpiryMarket;
  ctx: ScreenContext;
  underlying: OptionChain;
}

function measure(m: MeasureInput): SpreadCandidate {
  const { strategy, short, long, width, prices, market } = m;
  const credit = prices.fillable;
  const breakeven = spreadBreakeven(short.type, short.strike, credit, m.ctx.fees);
  const maxLoss = spreadMaxLoss(width, credit, m.ctx.fees);
  const rates = { spot: m.spot, years: market.years, rate: m.ctx.rate, dividendYield: market.dividendYield };
  const smile = [
    ...(m.shortAnalysed.iv === null ? [] : [{ strike: short.strike, iv: m.shortAnalysed.iv }]),
    ...(m.longIv === null ? [] : [{ strike: long.strike, iv: m.longIv }]),
  ];
  const pop = popToExpiry({ strategy, breakeven, smile, ...rates });

  // The edge: what the fillable credit pays beyond the spread's value with both legs at the
  // expiry's at-the-money IV, the market's own forecast of the move. On a flat smile it is
  // only the cost of crossing part of the bid/ask, the same on either side; where the smile
  // prices one wing richer (a put skew), selling that wing earns more. Per dollar at risk, it
  // is the score: no side is favoured by construction.
  const fair =
    market.referenceVolatility === null
      ? null
      : fairSpreadValue({
          type: short.type,
          shortStrike: short.strike,
          longStrike: long.strike,
          volatility: market.referenceVolatility,
          ...rates,
        });
  const edge = fair === null ? null : (credit - fair) * 100;
  const returnOnRisk = (credit * 100 - spreadFillFees(1, m.ctx.fees)) / maxLoss;
  // Without a reference volatility the spread can still be offered, ranked below any with one.
  const score = edge === null ? -1 + returnOnRisk / 100 : edge / maxLoss;

  return {
    strategy,
    underlying: m.underlying.underlying.symbol,
    spot: m.spot,
    expiration: short.expiration,
    dte: m.dte,
    short,
    long,
    width,
    credit,
    midCredit: prices.mid,
    naturalCredit: prices.natural,
    maxLoss,
    breakeven,
    probabilityOfProfit: pop,
    returnOnRisk,
    edge,
    referenceVolatility: market.referenceVolatility,
    dividendYield: market.dividendYield,
    dividendYieldSource: market.dividendYieldSource,
    legIvs: { short: m.shortAnalysed.iv, long: m.longIv },
    years: market.years,
    score,
    shortDelta: m.shortAnalysed.greeks.delta,
    ivRank: m.ctx.ivRank,
    greeksSource: m.shortAnalysed.source,
  };
}

/** When the older leg's quote was taken; null when either has no time (unknown is not fresh). */
export function quotesAsOf(c: Pick<SpreadCandidate, "short" | "long">): number | null {
  const { quotedAt: a } = c.short;
  const { quotedAt: b } = c.long;
  return a === null || b === null ? null : Math.min(a, b);
}

/**
 * The chance the spread is in profit (worth less than its credit) at the bot's own time exit,
 * `exitDte` days before expiry; null without both legs' IVs or when that day has passed.
 */
export function profitAtExitProbability(c: SpreadCandidate, exitDte: number, rate: number): number | null {
  const yearsLeftAtExit = exitDte / 365;
  const yearsToExit = c.years - yearsLeftAtExit;
  if (c.legIvs.short === null || c.legIvs.long === null || !(yearsToExit > 0)) return null;
  return probabilityInProfitOnExitDay({
    strategy: c.strategy,
    shortStrike: c.short.strike,
    longStrike: c.long.strike,
    shortIv: c.legIvs.short,
    longIv: c.legIvs.long,
    credit: c.credit,
    spot: c.spot,
    yearsToExit,
    yearsLeftAtExit,
    rate,
    dividendYield: c.dividendYield,
    target: c.credit,
  });
}
