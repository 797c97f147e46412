// The one implied volatility per symbol per day that IV rank is built from: the at-the-money
// IV of the first expiration at or after `minDte` days, averaging the put and call at the
// strike nearest the underlying. Null when the chain has no usable IV there.
import { daysToExpiration } from "./market-time";
import type { OptionChain } from "./types";

export function atmImpliedVolatility(chain: OptionChain, now: number, minDte: number): number | null {
  const spot = chain.underlying.price;
  const withIv = chain.contracts.filter(
    (c) => c.impliedVolatility !== null && c.impliedVolatility > 0 && daysToExpiration(c.expiration, now) >= minDte,
  );
  if (withIv.length === 0 || !(spot > 0)) return null;
  const expiration = withIv.map((c) => c.expiration).sort()[0];
  const sameExpiry = withIv.filter((c) => c.expiration === expiration);
  const nearest = Math.min(...sameExpiry.map((c) => Math.abs(c.strike - spot)));
  const atm = sameExpiry.filter((c) => Math.abs(c.strike - spot) === nearest);
  const ivs = atm.map((c) => c.impliedVolatility ?? 0);
  return ivs.reduce((a, b) => a + b, 0) / ivs.length;
}
