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

/**
 * Standard normal CDF: Hart's algorithm 5666 as given by West (2005), double precision
 * (relative error ~1e-15 for |x| < 5, ~1e-8 in the far tail). Far tails matter: the IV solver
 * prices deep OTM options whose value is a difference of two tiny tail probabilities.
 * N(x) + N(-x) = 1 to within one rounding, so put-call parity holds.
 */
export function normalCdf(x: number): number {
  const a = Math.abs(x);
  let tail = 0;
  if (a <= 37) {
    const e = Math.exp(-0.5 * a * a);
    if (a < 7.07106781186547) {
      let n = 3.52624965998911e-2 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 8.83883476483184e-2 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      tail = (e * n) / d;
    } else {
      let b = a + 0.65;
      b = a + 4 / b;
      b = a + 3 / b;
      b = a + 2 / b;
      b = a + 1 / b;
      tail = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - tail : tail;
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

/** The no-arbitrage bounds of a European price: any volatility prices strictly between them. */
function priceBounds(p: Omit<PricingInput, "volatility">): { lower: number; upper: number } {
  const fwdSpot = p.spot * Math.exp(-p.dividendYield * p.years);
  const pvStrike = p.strike * Math.exp(-p.rate * p.years);
  return p.type === "call"
    ? { lower: Math.max(fwdSpot - pvStrike, 0), upper: fwdSpot }
    : { lower: Math.max(pvStrike - fwdSpot, 0), upper: pvStrike };
}

const IV_LOW = 1e-6;
const IV_HIGH = 20; // 2000 %: beyond this a quote is noise, not volatility

/** Why a price has no (European) implied volatility. */
export type NoIvReason =
  /** A number that is not finite, a spot or strike not positive, or no time left. */
  | "invalid_input"
  /**
   * At or below the European floor: forward spot − discounted strike for a call, the other way
   * for a put. No volatility gives it. For an American option that is no arbitrage when the floor
   * is above intrinsic: a call on an underlying paying more dividends than the model assumes
   * (exercised before the ex-date) can trade between S − K and S·e^(−qT) − K·e^(−rT).
   */
  | "below_european_bound"
  /** At or above the forward spot (call) or the discounted strike (put). */
  | "above_upper_bound"
  /** Outside what 0.0001 % to 2000 % volatility prices. */
  | "no_solution";

export type IvSolution = { kind: "solved"; volatility: number } | { kind: "none"; reason: NoIvReason };

/**
 * The volatility at which the Black-Scholes-Merton (European) price equals `marketPrice`, or
 * why none exists. The floor is the European one: an American quote is checked against its own
 * floor, intrinsic, before it comes here (greeks-from-quotes.ts). Newton steps on vega, kept
 * inside a shrinking bracket and replaced by bisection whenever they would leave it, so deep
 * ITM/OTM and near-expiry quotes (where vega is almost zero) still converge.
 */
export function solveImpliedVolatility(input: Omit<PricingInput, "volatility">, marketPrice: number): IvSolution {
  const none = (reason: NoIvReason): IvSolution => ({ kind: "none", reason });
  const values = [input.spot, input.strike, input.years, input.rate, input.dividendYield, marketPrice];
  if (!values.every(Number.isFinite) || input.spot <= 0 || input.strike <= 0 || input.years <= 0)
    return none("invalid_input");
  const { lower, upper } = priceBounds(input);
  if (!(marketPrice > lower)) return none("below_european_bound");
  if (!(marketPrice < upper)) return none("above_upper_bound");

  const at = pricerAtVolatility(input);
  let lo = IV_LOW;
  let hi = IV_HIGH;
  const tolerance = 1e-12 * Math.max(1, marketPrice);
  if (at(lo).price - marketPrice > tolerance || at(hi).price - marketPrice < -tolerance) return none("no_solution");

  let sigma = 0.3;
  for (let i = 0; i < 200; i++) {
    const { price: priced, vega } = at(sigma);
    const diff = priced - marketPrice;
    if (Math.abs(diff) <= tolerance) return { kind: "solved", volatility: sigma };
    if (diff > 0) hi = sigma;
    else lo = sigma;
    const newton = vega > 0 ? sigma - diff / vega : Number.NaN;
    sigma = newton > lo && newton < hi ? newton : 0.5 * (lo + hi);
    if (hi - lo <= 1e-14 * hi) return { kind: "solved", volatility: sigma };
  }
  return { kind: "solved", volatility: sigma };
}

/**
 * The option's price and vega at a volatility, as price() and greeks() give them, with what does
 * not depend on the volatility worked out once: the solver's Newton steps ask for both a dozen
 * times a quote, and a scan solves hundreds of quotes.
 */
function pricerAtVolatility(
  p: Omit<PricingInput, "volatility">,
): (volatility: number) => { price: number; vega: number } {
  const sqrtT = Math.sqrt(p.years);
  const logMoneyness = Math.log(p.spot / p.strike);
  const fwdSpot = p.spot * Math.exp(-p.dividendYield * p.years);
  const pvStrike = p.strike * Math.exp(-p.rate * p.years);
  const carry = p.rate - p.dividendYield;
  return (volatility) => {
    const d1 = (logMoneyness + (carry + 0.5 * volatility * volatility) * p.years) / (volatility * sqrtT);
    const d2 = d1 - volatility * sqrtT;
    const price =
      p.type === "call"
        ? fwdSpot * normalCdf(d1) - pvStrike * normalCdf(d2)
        : pvStrike * normalCdf(-d2) - fwdSpot * normalCdf(-d1);
    return { price, vega: fwdSpot * normalPdf(d1) * sqrtT };
  };
}

/** solveImpliedVolatility's volatility, or null when there is none (see its reasons). */
export function impliedVolatility(input: Omit<PricingInput, "volatility">, marketPrice: number): number | null {
  const solved = solveImpliedVolatility(input, marketPrice);
  return solved.kind === "solved" ? solved.volatility : null;
}

/**
 * Risk-neutral probability that the option expires out of the money: N(-d2) for a call
 * (S_T < K), N(d2) for a put (S_T > K). With no time or no volatility, 1 or 0 by where spot is.
 */
export function probabilityOtm(input: PricingInput): number {
  if (input.years <= 0 || input.volatility <= 0) {
    const otm = input.type === "call" ? input.spot <= input.strike : input.spot >= input.strike;
    return otm ? 1 : 0;
  }
  const { d2 } = d1d2(input);
  return input.type === "call" ? normalCdf(-d2) : normalCdf(d2);
}

/** One standard deviation of the price move over `days` calendar days: spot × σ × √(days/365). */
export function expectedMove(spot: number, volatility: number, days: number): number {
  if (days <= 0 || volatility <= 0) return 0;
  return spot * volatility * Math.sqrt(days / 365);
}
