// The one implied volatility per symbol per day that IV rank is built from: a constant-maturity
// at-the-money IV, 30 calendar days ahead. An expiry-by-expiry figure ("the first expiry past
// DTE_MIN") wanders between about 30 and 37 days as the weeks pass, and a longer maturity has a
// lower ATM IV in a calm market (higher in a panic), so IV rank would read the calendar as much
// as the market. Each expiration's ATM IV (put and call averaged at the strike nearest the
// underlying) becomes a total variance w = σ²T; the two expirations that bracket 30 days are
// interpolated linearly in w, the way variance accrues with time (the VIX's method), and
// σ₃₀ = √(w₃₀ / T₃₀). With expirations on one side only, the nearest one's IV is used as is
// (flat in vol). Expirations inside a week are left out: their IV is a few days' events.
import { yearsToExpiration } from "./greeks-from-quotes";
import type { OptionChain } from "./types";

/** The maturity IV rank compares, in calendar days. */
export const ATM_IV_TENOR_DAYS = 30;
/** Expirations closer than this are not read: a few days' IV is about events, not the month. */
const MIN_EXPIRY_DAYS = 7;
const DAY_YEARS = 1 / 365;

/** One expiration's at-the-money IV and its time to expiry in years. */
export interface ExpiryAtmIv {
  expiration: string;
  years: number;
  iv: number;
}

export interface ConstantMaturityIv {
  /** The ATM IV `tenorDays` ahead. */
  iv: number;
  tenorDays: number;
  /** "interpolated" between the two bracketing expirations, or "flat" from the nearest one. */
  method: "interpolated" | "flat";
  /** The expirations it was read from (one or two). */
  from: ExpiryAtmIv[];
}

/** Each expiration's ATM IV: the put and call with an IV at the strike nearest the underlying, averaged. */
export function atmIvByExpiry(chain: OptionChain, now: number): ExpiryAtmIv[] {
  const spot = chain.underlying.price;
  if (!(spot > 0)) return [];
  const withIv = chain.contracts.filter((c) => c.impliedVolatility !== null && c.impliedVolatility > 0);
  const out: ExpiryAtmIv[] = [];
  for (const expiration of [...new Set(withIv.map((c) => c.expiration))].sort()) {
    const years = yearsToExpiration(expiration, now);
    if (!(years > 0)) continue;
    const sameExpiry = withIv.filter((c) => c.expiration === expiration);
    const nearest = Math.min(...sameExpiry.map((c) => Math.abs(c.strike - spot)));
    const ivs = sameExpiry.filter((c) => Math.abs(c.strike - spot) === nearest).map((c) => c.impliedVolatility ?? 0);
    out.push({ expiration, years, iv: ivs.reduce((a, b) => a + b, 0) / ivs.length });
  }
  return out;
}

/**
 * The ATM IV `tenorDays` calendar days ahead, interpolated in total variance between the
 * expirations that bracket it (flat in vol from the nearest one when only one side exists);
 * null when no expiration a week or more out has an ATM IV.
 */
export function constantMaturityIv(points: ExpiryAtmIv[], tenorDays = ATM_IV_TENOR_DAYS): ConstantMaturityIv | null {
  const target = tenorDays * DAY_YEARS;
  const usable = points
    .filter((p) => p.years >= MIN_EXPIRY_DAYS * DAY_YEARS && p.iv > 0 && Number.isFinite(p.iv))
    .sort((a, b) => a.years - b.years);
  const near = usable.filter((p) => p.years <= target).at(-1);
  const far = usable.find((p) => p.years >= target);
  if (near && far) {
    if (far.years - near.years < 1e-12) return { iv: near.iv, tenorDays, method: "interpolated", from: [near] };
    const wNear = near.iv * near.iv * near.years;
    const wFar = far.iv * far.iv * far.years;
    const w = wNear + ((wFar - wNear) * (target - near.years)) / (far.years - near.years);
    return { iv: Math.sqrt(w / target), tenorDays, method: "interpolated", from: [near, far] };
  }
  const only = near ?? far;
  return only ? { iv: only.iv, tenorDays, method: "flat", from: [only] } : null;
}

/** The chain's constant-maturity ATM IV (see constantMaturityIv). */
export function atmImpliedVolatility(
  chain: OptionChain,
  now: number,
  tenorDays = ATM_IV_TENOR_DAYS,
): ConstantMaturityIv | null {
  return constantMaturityIv(atmIvByExpiry(chain, now), tenorDays);
}
