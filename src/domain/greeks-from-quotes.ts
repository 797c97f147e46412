// IV and greeks for quotes the broker sent without them, read from the quote itself: the mid
// solved for implied volatility (option-math's solver), then Black-Scholes greeks at that
// volatility. What is filled in is marked "computed" on the quote, never passed off as the
// broker's. Real snapshots lack greeks or IV on some contracts (no trade yet, a feed gap);
// filled in by the chain step, they reach the scan's ATM IV (IV rank) and the analyst's
// expected move as well as the screener, which reads any quote still missing them the same way.
//
// Only quotes whose price is mostly time value are read: out of the money, or in the money by
// less than half the mid. Deeper in the money an American option carries an early-exercise
// premium the European model does not price, and the solver would read it as volatility (issue
// 13 notes the solver's European bound); there the quote stays without greeks. A credit
// spread's legs are out of the money, so nothing the screener needs is lost.
import { nyseSession, utcInstant } from "./market-time";
import { impliedVolatility, intrinsic, greeks as modelGreeks } from "./option-math";
import { quoteMid } from "./spread-pricing";
import type { Greeks, OptionChain, OptionQuote } from "./types";

/** The rates a quote is read at. */
export interface RateAssumptions {
  /** Continuously compounded risk-free rate. */
  rate: number;
  /** Continuous dividend yield. */
  dividendYield: number;
}

/**
 * The rates the bot reads quotes at: 4 % risk-free (about the T-bill yield; at 30-45 DTE a
 * point of rate moves a 0.25-delta leg's delta by well under 0.01), dividends ignored (0).
 */
export const MODEL_RATES: RateAssumptions = { rate: 0.04, dividendYield: 0 };

/** The market a quote is read against. */
export interface ReadingMarket extends RateAssumptions {
  spot: number;
  /** Years to expiry (see yearsToExpiration). */
  years: number;
}

export interface QuoteReading {
  impliedVolatility: number;
  greeks: Greeks;
}

const YEAR_MS = 365 * 86_400_000;

/** Years from `now` to the close of the expiration day (16:00 New York, 13:00 on an early close). */
export function yearsToExpiration(expiration: string, now: number): number {
  const close = utcInstant(expiration, nyseSession(expiration)?.close ?? "16:00");
  return Math.max(0, (close - now) / YEAR_MS);
}

const pricingInput = (q: Pick<OptionQuote, "type" | "strike">, m: ReadingMarket) => ({
  type: q.type,
  spot: m.spot,
  strike: q.strike,
  years: m.years,
  rate: m.rate,
  dividendYield: m.dividendYield,
});

/**
 * The IV the quote's mid implies and the greeks at that IV, or null when the quote cannot give
 * them: no bid (the mid would be half an offer, not a price), no two-sided quote, intrinsic
 * value half the mid or more (see the header), expired, or a mid no volatility explains.
 */
export function readQuote(
  q: Pick<OptionQuote, "type" | "strike" | "bid" | "ask">,
  m: ReadingMarket,
): QuoteReading | null {
  if (q.bid === null || !(q.bid > 0)) return null;
  const mid = quoteMid(q);
  if (mid === null || !(m.spot > 0) || !(m.years > 0)) return null;
  if (intrinsic(q.type, m.spot, q.strike) >= mid / 2) return null;
  const input = pricingInput(q, m);
  const iv = impliedVolatility(input, mid);
  if (iv === null) return null;
  return { impliedVolatility: iv, greeks: modelGreeks({ ...input, volatility: iv }) };
}

/**
 * The quote with the IV and greeks the broker left out filled in and marked "computed": greeks
 * at the broker's IV when it sent one, otherwise the IV read from the mid (and greeks at it
 * when the broker sent none). A complete quote, or one that cannot be read, comes back as is.
 */
export function withComputedGreeks(q: OptionQuote, m: ReadingMarket): OptionQuote {
  if (q.greeks !== null && q.impliedVolatility !== null) return q;
  const brokerIv = q.impliedVolatility;
  if (brokerIv !== null) {
    if (!(brokerIv > 0) || !(m.spot > 0) || !(m.years > 0)) return q;
    const greeks = modelGreeks({ ...pricingInput(q, m), volatility: brokerIv });
    return { ...q, greeks, greeksSource: "computed" };
  }
  const read = readQuote(q, m);
  if (!read) return q;
  return {
    ...q,
    impliedVolatility: read.impliedVolatility,
    ivSource: "computed",
    ...(q.greeks === null ? { greeks: read.greeks, greeksSource: "computed" as const } : {}),
  };
}

/** Every quote of a chain filled in where it can be, read at the chain's spot at `now`. */
export function withComputedChainGreeks(chain: OptionChain, now: number, rates = MODEL_RATES): OptionChain {
  const spot = chain.underlying.price;
  return {
    underlying: chain.underlying,
    contracts: chain.contracts.map((q) =>
      withComputedGreeks(q, { spot, years: yearsToExpiration(q.expiration, now), ...rates }),
    ),
  };
}
