// Probabilities a credit-spread seller reads, consistent with the market's own prices: the
// forward from put-call parity (so dividends are what the chain says, not assumed zero), each
// leg at its own IV, and the smile's slope in the digital (the chance of finishing above a
// strike is minus the slope of the call price along the smile, not N(d2) at one flat IV).
import { normalCdf, normalPdf, price } from "./option-math";
import type { Strategy } from "./recommendation-state";
import { quoteMid } from "./spread-pricing";
import type { OptionQuote, OptionType } from "./types";

/** Dividend yields outside this range are a bad quote, not a dividend: not believed. */
const YIELD_RANGE = { min: -0.05, max: 0.25 } as const;

export interface Rates {
  spot: number;
  years: number;
  rate: number;
  dividendYield: number;
}

/**
 * The continuous dividend yield the chain implies at one strike: forward F = K + e^{rT}(C − P),
 * q = r − ln(F/S)/T. Null on unusable inputs or a yield outside −5 %..25 %.
 */
export function impliedDividendYield(p: {
  spot: number;
  strike: number;
  years: number;
  rate: number;
  callMid: number;
  putMid: number;
}): number | null {
  const values = [p.spot, p.strike, p.years, p.rate, p.callMid, p.putMid];
  if (!values.every(Number.isFinite) || p.spot <= 0 || p.strike <= 0 || p.years <= 0) return null;
  const forward = p.strike + Math.exp(p.rate * p.years) * (p.callMid - p.putMid);
  if (!(forward > 0)) return null;
  const q = p.rate - Math.log(forward / p.spot) / p.years;
  return q >= YIELD_RANGE.min && q <= YIELD_RANGE.max ? q : null;
}

/**
 * The implied dividend yield of one expiration, read at the strike nearest the underlying that
 * has a two-sided call and put; null when no such pair is quoted.
 */
export function impliedForwardYield(p: {
  spot: number;
  years: number;
  rate: number;
  quotes: Pick<OptionQuote, "type" | "strike" | "bid" | "ask">[];
}): number | null {
  const mids = new Map<number, { call?: number; put?: number }>();
  for (const q of p.quotes) {
    const mid = quoteMid(q);
    if (mid === null) continue;
    const pair = mids.get(q.strike) ?? {};
    pair[q.type] = mid;
    mids.set(q.strike, pair);
  }
  let best: { strike: number; callMid: number; putMid: number } | null = null;
  for (const [strike, { call, put }] of mids) {
    if (call === undefined || put === undefined) continue;
    if (!best || Math.abs(strike - p.spot) < Math.abs(best.strike - p.spot))
      best = { strike, callMid: call, putMid: put };
  }
  return best ? impliedDividendYield({ spot: p.spot, years: p.years, rate: p.rate, ...best }) : null;
}

export interface SmilePoint {
  strike: number;
  iv: number;
}

/**
 * IV and its slope dσ/dK at a strike, linear between the nearest quoted strikes; flat (slope 0)
 * beyond the outermost ones, where nothing says how the smile goes on. Null without points.
 */
export function smileAt(points: SmilePoint[], strike: number): { iv: number; slope: number } | null {
  const sorted = points
    .filter((p) => Number.isFinite(p.strike) && Number.isFinite(p.iv) && p.iv > 0)
    .sort((a, b) => a.strike - b.strike);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || !Number.isFinite(strike)) return null;
  if (strike <= first.strike) return { iv: first.iv, slope: 0 };
  if (strike >= last.strike) return { iv: last.iv, slope: 0 };
  // Here first.strike < strike < last.strike, so the segment found has hi.strike > lo.strike.
  for (let i = 1; i < sorted.length; i++) {
    const lo = sorted[i - 1];
    const hi = sorted[i];
    if (!lo || !hi || strike > hi.strike) continue;
    const slope = (hi.iv - lo.iv) / (hi.strike - lo.strike);
    return { iv: lo.iv + slope * (strike - lo.strike), slope };
  }
  return { iv: last.iv, slope: 0 };
}

/**
 * Risk-neutral P(S_T > K) on a smile: N(d2) − F·φ(d1)·√T·σ'(K), which is −e^{rT}·dC/dK with the
 * call priced along the smile (a put skew, σ' < 0, makes finishing above K likelier than N(d2)
 * says). Clamped into [0, 1]: a steep quoted slope can push the formula past either end. With
 * no time or no volatility, 1 or 0 by where spot is (spot = K counts as above, as probabilityOtm).
 */
export function probabilityAbove(p: Rates & { strike: number; volatility: number; slope: number }): number {
  if (p.years <= 0 || p.volatility <= 0) return p.spot >= p.strike ? 1 : 0;
  const forward = p.spot * Math.exp((p.rate - p.dividendYield) * p.years);
  const sqrtT = Math.sqrt(p.years);
  const d1 = (Math.log(forward / p.strike) + 0.5 * p.volatility * p.volatility * p.years) / (p.volatility * sqrtT);
  const d2 = d1 - p.volatility * sqrtT;
  const digital = normalCdf(d2) - forward * normalPdf(d1) * sqrtT * p.slope;
  return Math.min(1, Math.max(0, digital));
}

/**
 * POP to expiry: P(the underlying finishes past the breakeven), above it for a bull put, below
 * it for a bear call, at the smile's IV and slope there. Null when no leg has an IV or the
 * breakeven or spot is not positive.
 */
export function popToExpiry(p: Rates & { strategy: Strategy; breakeven: number; smile: SmilePoint[] }): number | null {
  const at = smileAt(p.smile, p.breakeven);
  if (at === null || !(p.breakeven > 0) || !(p.spot > 0)) return null;
  const above = probabilityAbove({ ...p, strike: p.breakeven, volatility: at.iv, slope: at.slope });
  return p.strategy === "bull_put" ? above : 1 - above;
}

export interface SpreadLegsAt {
  type: OptionType;
  shortStrike: number;
  longStrike: number;
}

/** The spread's value per share (short leg − long leg), each leg at its own volatility. */
export function spreadValueAt(legs: SpreadLegsAt, p: Rates & { shortIv: number; longIv: number }): number {
  const leg = (strike: number, volatility: number) => price({ ...p, type: legs.type, strike, volatility });
  return leg(legs.shortStrike, p.shortIv) - leg(legs.longStrike, p.longIv);
}

/** Both legs at one reference volatility: what the spread is worth if the smile were flat there. */
export function fairSpreadValue(p: Rates & SpreadLegsAt & { volatility: number }): number {
  return spreadValueAt(p, { ...p, shortIv: p.volatility, longIv: p.volatility });
}

/**
 * The chance that at the bot's time exit (`yearsLeftAtExit` before expiry, `yearsToExit` from
 * now) the spread is worth at most `target` per share: `target = credit` is "in profit at the
 * exit", half the credit "at the 50 % target". At a fixed date the spread's value falls as the
 * underlying moves away from the short strike toward safety (with unequal leg IVs it can turn
 * only far out, where both legs are worth ~0, never near a credit), so the threshold is one S*,
 * found by bisection (0 when even 5× away it is worth more, 1 when even 5× the wrong way it is
 * worth less). The chance of being past S* is lognormal at the legs' IV interpolated at S*, with
 * no slope term: that is a probability of where spot is at the exit, not a digital on the smile.
 * An estimate: no expiry at the exit date is read, so this expiry's smile stands in for it.
 * Null on non-finite or non-positive inputs, or strikes the wrong way round for the strategy.
 */
export function probabilityInProfitOnExitDay(p: {
  strategy: Strategy;
  shortStrike: number;
  longStrike: number;
  shortIv: number;
  longIv: number;
  credit: number;
  spot: number;
  yearsToExit: number;
  yearsLeftAtExit: number;
  rate: number;
  dividendYield: number;
  target: number;
}): number | null {
  const { shortStrike, longStrike, shortIv, longIv } = p;
  const inputs = [shortStrike, longStrike, shortIv, longIv, p.credit, p.spot, p.yearsToExit, p.yearsLeftAtExit];
  if (![...inputs, p.rate, p.dividendYield, p.target].every(Number.isFinite)) return null;
  if (shortIv <= 0 || longIv <= 0 || p.spot <= 0 || p.yearsToExit <= 0 || p.yearsLeftAtExit < 0) return null;
  const isPut = p.strategy === "bull_put";
  if (longStrike <= 0 || (isPut ? shortStrike <= longStrike : shortStrike >= longStrike)) return null;

  const legs: SpreadLegsAt = { type: isPut ? "put" : "call", shortStrike, longStrike };
  const rates = { rate: p.rate, dividendYield: p.dividendYield, years: p.yearsLeftAtExit, shortIv, longIv };
  const valueAt = (spot: number) => spreadValueAt(legs, { ...rates, spot });
  // Safety is up for a bull put, down for a bear call.
  let unsafe = isPut ? p.spot * 0.2 : p.spot * 5;
  let safe = isPut ? p.spot * 5 : p.spot * 0.2;
  if (valueAt(safe) > p.target) return 0;
  if (valueAt(unsafe) <= p.target) return 1;
  for (let i = 0; i < 200 && Math.abs(safe - unsafe) > 1e-12 * p.spot; i++) {
    const mid = 0.5 * (safe + unsafe);
    if (valueAt(mid) <= p.target) safe = mid;
    else unsafe = mid;
  }
  const threshold = 0.5 * (safe + unsafe);
  const smile = [
    { strike: shortStrike, iv: shortIv },
    { strike: longStrike, iv: longIv },
  ];
  const volatility = smileAt(smile, threshold)?.iv ?? shortIv;
  const above = probabilityAbove({
    spot: p.spot,
    years: p.yearsToExit,
    rate: p.rate,
    dividendYield: p.dividendYield,
    strike: threshold,
    volatility,
    slope: 0,
  });
  return isPut ? above : 1 - above;
}
