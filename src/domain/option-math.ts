// Black-Scholes-Merton for European options with a continuous dividend yield. US equity
// options are American; for the short-dated OTM contracts a credit spread uses, the early
// exercise premium is small, and this is what brokers quote greeks with.
import type { Greeks, OptionType } from "./types";

export interface PricingInput {
  type: OptionType;
  spot: number;
  strike: number;
  /** Years to expiry (calendar days / 365). */
  years: number;
  /** Annualised volatility, 0.2 = 20 %. */
  volatility: number;
  /** Continuously compounded risk-free rate. */
  rate: number;
  /** Continuous dividend yield. */
  dividendYield: number;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal CDF. Relative error below 1.2e-7, and N(x) + N(-x) = 1 exactly (parity holds). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfcc (Chebyshev fit): fractions of a cent on any option price.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

function d1d2(p: PricingInput): { d1: number; d2: number; sqrtT: number } {
  const sqrtT = Math.sqrt(p.years);
  const d1 =
    (Math.log(p.spot / p.strike) + (p.rate - p.dividendYield + 0.5 * p.volatility * p.volatility) * p.years) /
    (p.volatility * sqrtT);
  return { d1, d2: d1 - p.volatility * sqrtT, sqrtT };
}

/** Intrinsic value: what the option is worth at expiry. */
export function intrinsic(type: OptionType, spot: number, strike: number): number {
  return type === "call" ? Math.max(spot - strike, 0) : Math.max(strike - spot, 0);
}

export function price(p: PricingInput): number {
  if (p.years <= 0 || p.volatility <= 0) return intrinsic(p.type, p.spot, p.strike);
  const { d1, d2 } = d1d2(p);
  const dfq = Math.exp(-p.dividendYield * p.years);
  const dfr = Math.exp(-p.rate * p.years);
  return p.type === "call"
    ? p.spot * dfq * normalCdf(d1) - p.strike * dfr * normalCdf(d2)
    : p.strike * dfr * normalCdf(-d2) - p.spot * dfq * normalCdf(-d1);
}

export function greeks(p: PricingInput): Greeks {
  if (p.years <= 0 || p.volatility <= 0) {
    const itm = intrinsic(p.type, p.spot, p.strike) > 0;
    return { delta: itm ? (p.type === "call" ? 1 : -1) : 0, gamma: 0, theta: 0, vega: 0 };
  }
  const { d1, d2, sqrtT } = d1d2(p);
  const dfq = Math.exp(-p.dividendYield * p.years);
  const dfr = Math.exp(-p.rate * p.years);
  const pdf = normalPdf(d1);
  const gamma = (dfq * pdf) / (p.spot * p.volatility * sqrtT);
  const vega = p.spot * dfq * pdf * sqrtT;
  const decay = -(p.spot * dfq * pdf * p.volatility) / (2 * sqrtT);
  if (p.type === "call") {
    const theta = decay - p.rate * p.strike * dfr * normalCdf(d2) + p.dividendYield * p.spot * dfq * normalCdf(d1);
    return { delta: dfq * normalCdf(d1), gamma, theta: theta / 365, vega };
  }
  const theta = decay + p.rate * p.strike * dfr * normalCdf(-d2) - p.dividendYield * p.spot * dfq * normalCdf(-d1);
  return { delta: -dfq * normalCdf(-d1), gamma, theta: theta / 365, vega };
}
