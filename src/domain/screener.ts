// The credit-spread screener: from one underlying's chain, every bull put and bear call that
// passes the rules, scored and ranked best first. Every spread looked at either becomes a
// candidate or is counted under exactly one rejection reason (checked in the order below),
// so `considered = candidates + sum(rejected)` and a scan can say why it found nothing.
//
// All candidates are returned (several strikes and widths per expiration); the scan job
// decides how many to post.

import { withComputedGreeks } from "./greeks-from-quotes";
import { daysToExpiration } from "./market-time";
import { probabilityOtm } from "./option-math";
import type { Strategy } from "./recommendation-state";
import { quoteMid, spreadMid } from "./spread-pricing";
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
}

export interface ScreenContext {
  now: number;
  ivRank: number | null;
  rate: number;
  dividendYield: number;
}

export interface SpreadCandidate {
  strategy: Strategy;
  underlying: string;
  expiration: string;
  dte: number;
  short: OptionQuote;
  long: OptionQuote;
  width: number;
  /** Mid credit per share. */
  credit: number;
  /** Short bid − long ask: the credit if both legs filled at once at the touch. */
  naturalCredit: number;
  /** Dollars lost per contract at worst: (width − credit) × 100. */
  maxLoss: number;
  breakeven: number;
  probabilityOfProfit: number | null;
  /** Credit / max loss (per dollar at risk). */
  returnOnRisk: number;
  /** Dollars per contract, see expectedValue below. */
  expectedValue: number;
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
  | "no_greeks"
  | "delta_out_of_range"
  | "low_open_interest"
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

const key = (type: string, expiration: string, strike: number) => `${type}|${expiration}|${Math.round(strike * 1000)}`;

export function screenCreditSpreads(chain: OptionChain, settings: ScreenSettings, ctx: ScreenContext): ScreenResult {
  const spot = chain.underlying.price;
  const byKey = new Map(chain.contracts.map((c) => [key(c.type, c.expiration, c.strike), c]));
  const analysed = new Map<string, Analysed | null>();
  const rejected: Record<string, number> = {};
  const candidates: SpreadCandidate[] = [];
  let considered = 0;
  const reject = (reason: RejectReason) => {
    rejected[reason] = (rejected[reason] ?? 0) + 1;
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
      const dte = daysToExpiration(short.expiration, ctx.now);
      if (dte < settings.dteMin || dte > settings.dteMax) {
        reject("dte_out_of_window");
        continue;
      }
      if (short.bid === null || short.bid <= 0 || quoteMid(short) === null) {
        reject("short_no_quote");
        continue;
      }
      const years = dte / 365;
      const shortKey = key(short.type, short.expiration, short.strike);
      if (!analysed.has(shortKey)) analysed.set(shortKey, analyse(short, spot, years, ctx));
      const a = analysed.get(shortKey) ?? null;
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
      const longLiquidity = liquidity(long, settings);
      if (longLiquidity) {
        reject(longLiquidity);
        continue;
      }
      const credit = spreadMid(short, long);
      if (credit === null || credit <= 0 || credit >= width) {
        reject("no_credit");
        continue;
      }
      if (credit / width < settings.minCreditToWidth) {
        reject("credit_too_small");
        continue;
      }
      candidates.push(
        measure({ strategy, short, long, width, credit, dte, years, spot, analysed: a, ctx, underlying: chain }),
      );
    }
  }

  candidates.sort((x, y) => y.score - x.score || x.short.symbol.localeCompare(y.short.symbol) || x.width - y.width);
  return { candidates, rejected, considered };
}

interface MeasureInput {
  strategy: Strategy;
  short: OptionQuote;
  long: OptionQuote;
  width: number;
  credit: number;
  dte: number;
  years: number;
  spot: number;
  analysed: Analysed;
  ctx: ScreenContext;
  underlying: OptionChain;
}

function measure(m: MeasureInput): SpreadCandidate {
  const { strategy, short, long, width, credit, analysed: a } = m;
  const isPut = strategy === "bull_put";
  const breakeven = isPut ? short.strike - credit : short.strike + credit;
  const maxLoss = (width - credit) * 100;
  const otm = (strike: number) =>
    a.iv === null
      ? null
      : probabilityOtm({
          type: short.type,
          spot: m.spot,
          strike,
          years: m.years,
          volatility: a.iv,
          rate: m.ctx.rate,
          dividendYield: m.ctx.dividendYield,
        });
  const pop = otm(breakeven);

  // Expected value per contract, a three-zone approximation of the payoff at expiry:
  //   beyond the short strike (OTM)  → keep the whole credit;
  //   beyond the long strike         → lose the whole max loss;
  //   between the strikes            → the payoff is linear; take its average, credit − width/2.
  // Probabilities are risk-neutral from the short leg's IV. Without an IV the short's delta
  // stands in for P(short ITM), and the whole ITM zone is counted as the full loss (cautious).
  const pShortOtm = otm(short.strike) ?? 1 - Math.abs(a.greeks.delta);
  const longOtm = otm(long.strike);
  const pLongItm = longOtm === null ? 1 - pShortOtm : 1 - longOtm;
  const pBetween = Math.max(0, 1 - pShortOtm - pLongItm);
  const expectedValue = (pShortOtm * credit - pLongItm * (width - credit) + pBetween * (credit - width / 2)) * 100;

  // Score: expected value per dollar at risk, plus a tenth of the probability of profit so that
  // between two trades of similar edge the one that wins more often ranks first.
  const returnOnRisk = (credit * 100) / maxLoss;
  const score = expectedValue / maxLoss + 0.1 * (pop ?? pShortOtm);

  return {
    strategy,
    underlying: m.underlying.underlying.symbol,
    expiration: short.expiration,
    dte: m.dte,
    short,
    long,
    width,
    credit,
    naturalCredit: (short.bid ?? 0) - (long.ask ?? 0),
    maxLoss,
    breakeven,
    probabilityOfProfit: pop,
    returnOnRisk,
    expectedValue,
    score,
    shortDelta: a.greeks.delta,
    ivRank: m.ctx.ivRank,
    greeksSource: a.source,
  };
}
