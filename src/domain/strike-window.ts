// The strikes a scan fetches around the underlying's price: only those the screener can use.
// A short leg sits between SHORT_DELTA_MIN and SHORT_DELTA_MAX, out of the money, and its long
// leg one spread width further out; the ATM IV (IV rank) and put-call parity read the strikes
// next to the money. So the window reaches, on each side, the strike whose delta is the
// smallest a short may have at the longest DTE, plus the widest spread.
//
// Where that strike is depends on volatility, known only once the chain is read: the window is
// sized on the newest recorded ATM IV taken VOLATILITY_MARGIN times higher (the put skew prices
// out-of-the-money puts above the ATM IV, and volatility can jump overnight), and never wider
// than the fixed fallback (±MAX_FRACTION, used as is when no IV is recorded). A day when the
// volatility more than doubles fetches a narrower chain than it would need: the screener then
// finds fewer spreads (fewer ideas), never a wrong one, since every spread is priced from the
// quotes fetched.
import { normalCdf } from "./option-math";

/** The fallback: ±15 % of the price holds 0.20-0.30 delta shorts at 30-45 DTE at most volatilities. */
export const MAX_FRACTION = 0.15;
/** The recorded ATM IV is taken this many times higher when sizing the window. */
export const VOLATILITY_MARGIN = 2;

export interface WindowInput {
  spot: number;
  /** The newest recorded ATM implied volatility (annualized), or null when none is recorded. */
  atmIv: number | null;
  dteMax: number;
  shortDeltaMin: number;
  widths: readonly number[];
  /** Continuously compounded risk-free rate. */
  rate: number;
}

/** z with N(z) = p, by bisection on the normal CDF (p strictly between 0 and 1). */
function normalQuantile(p: number): number {
  let low = -10;
  let high = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (normalCdf(mid) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** Strikes from `from` to `to` (whole dollars, outward) are the ones the scan needs. */
export function strikeWindow(w: WindowInput): { from: number; to: number } {
  const widest = { from: Math.floor(w.spot * (1 - MAX_FRACTION)), to: Math.ceil(w.spot * (1 + MAX_FRACTION)) };
  const iv = w.atmIv;
  if (iv === null || !(iv > 0) || !(w.spot > 0) || !(w.shortDeltaMin > 0 && w.shortDeltaMin < 0.5)) return widest;
  const volatility = iv * VOLATILITY_MARGIN;
  // A day past the DTE: the expiry's close is later in the day than any scan.
  const years = (w.dteMax + 1) / 365;
  const spread = volatility * Math.sqrt(years);
  // |delta| = shortDeltaMin at d1 = ±z. Put: N(-d1) = Δ, so ln(S/K) = zσ√T - (r + σ²/2)T, which
  // is at most zσ√T; call: N(d1) = Δ, so ln(K/S) = zσ√T + (r + σ²/2)T.
  const z = normalQuantile(1 - w.shortDeltaMin);
  const widestSpread = Math.max(0, ...w.widths);
  const putFloor = w.spot * Math.exp(-z * spread) - widestSpread;
  const callCeiling =
    w.spot * Math.exp(z * spread + (Math.max(0, w.rate) + volatility ** 2 / 2) * years) + widestSpread;
  return {
    from: Math.max(widest.from, Math.floor(putFloor)),
    to: Math.min(widest.to, Math.ceil(callCeiling)),
  };
}
