// IV and greeks for quotes the broker sent without them, read from the quote itself: the mid
// solved for implied volatility (option-math's solver), then Black-Scholes greeks at that
// volatility. What is filled in is marked "computed" on the quote, never passed off as the
// broker's. Real snapshots lack greeks or IV on some contracts (no trade yet, a feed gap);
// filled in by the chain step, they reach the scan's ATM IV (IV rank) and the analyst's
// expected move as well as the screener, which reads any quote still missing them the same way.
//
// US equity options are American, and the solver is European (option-math.ts). So a quote is
// read only where the two agree, and skipped with a named reason elsewhere (tryReadQuote):
// - below intrinsic: no American option trades under what exercising it pays (a stale or
//   crossed quote); the European floor alone (K·e^(−rT) − S for a put) is lower and would have
//   read a 640 put at 39.50 with spot 600 as a volatility;
// - in the money by half the mid or more: the price carries an early-exercise premium the
//   European model would read as volatility (that 640 put at exactly its intrinsic 40 reads as
//   17.9 % over 0.1 year at 4 %);
// - below the European floor though above intrinsic (a call on an underlying paying more
//   dividends than the model assumes): there is no European volatility for it.
// A credit spread's legs are out of the money, so nothing the screener needs is lost; a deep
// in-the-money contract's volatility is its out-of-the-money twin's at the same strike.
import { nyseSession, utcInstant } from "./market-time";
import { intrinsic, greeks as modelGreeks, type NoIvReason, solveImpliedVolatility } from "./option-math";
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

/** Why a quote was not read (see the header): the quote's own, or the solver's. */
export type QuoteSkipReason =
  | "no_bid"
  | "no_two_sided_quote"
  | "no_time_or_spot"
  | "below_intrinsic"
  | "early_exercise_premium"
  | NoIvReason;

export type QuoteRead = ({ kind: "read" } & QuoteReading) | { kind: "skipped"; reason: QuoteSkipReason };

/**
 * The IV the quote's mid implies and the greeks at that IV, or why the quote cannot give them:
 * no bid (the mid would be half an offer, not a price), no two-sided quote, no time or spot, a
 * mid under intrinsic, intrinsic half the mid or more (early exercise, see the header), or a mid
 * no European volatility explains.
 */
export function tryReadQuote(q: Pick<OptionQuote, "type" | "strike" | "bid" | "ask">, m: ReadingMarket): QuoteRead {
  const skip = (reason: QuoteSkipReason): QuoteRead => ({ kind: "skipped", reason });
  if (q.bid === null || !(q.bid > 0)) return skip("no_bid");
  const mid = quoteMid(q);
  if (mid === null) return skip("no_two_sided_quote");
  if (!(m.spot > 0) || !(m.years > 0)) return skip("no_time_or_spot");
  const exercise = intrinsic(q.type, m.spot, q.strike);
  if (mid < exercise) return skip("below_intrinsic");
  if (exercise >= mid / 2) return skip("early_exercise_premium");
  const input = pricingInput(q, m);
  const solved = solveImpliedVolatility(input, mid);
  if (solved.kind === "none") return skip(solved.reason);
  const iv = solved.volatility;
  return { kind: "read", impliedVolatility: iv, greeks: modelGreeks({ ...input, volatility: iv }) };
}

/** tryReadQuote's reading, or null when the quote was skipped. */
export function readQuote(
  q: Pick<OptionQuote, "type" | "strike" | "bid" | "ask">,
  m: ReadingMarket,
): QuoteReading | null {
  const read = tryReadQuote(q, m);
  return read.kind === "read" ? { impliedVolatility: read.impliedVolatility, greeks: read.greeks } : null;
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
  // A chain has a few expiries and a thousand quotes: each expiry's close is looked up once.
  const years = new Map<string, number>();
  const yearsTo = (expiration: string) => {
    const found = years.get(expiration) ?? yearsToExpiration(expiration, now);
    years.set(expiration, found);
    return found;
  };
  return {
    underlying: chain.underlying,
    contracts: chain.contracts.map((q) => withComputedGreeks(q, { spot, years: yearsTo(q.expiration), ...rates })),
  };
}
