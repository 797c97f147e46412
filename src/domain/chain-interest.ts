// Which of the fetched contracts a scan reads. Alpaca's chain request takes one strike range for
// both sides, so the strike window (strike-window.ts) brings puts and calls across the whole
// range, and the expiry a week short of the window (for the 30-day ATM IV) at every strike. About
// half of that can never matter: a short is out of the money and its long leg further out, and
// the ATM IV, put-call parity and the screener's reference volatility read the strikes nearest
// the money. Dropping the rest before a snapshot is mapped keeps the mapping, the screener and
// the garbage they make in proportion to what is kept (BENCHMARKS.md), with the same request.
//
// Kept, on every expiry, both sides of:
// - the strikes within NEAR_MONEY_FRACTION of the price (never less than NEAR_MONEY_MIN dollars);
// - the NEAR_STRIKES listed strikes on each side of the price, however wide the grid ($10 strikes
//   on a $205 stock have none within 2 %), so that when the nearest strike has no IV or no mid on
//   one side, the ATM IV and put-call parity still find the next one as they would in the whole
//   chain;
// and from `wingsFrom` (the first expiry the screener may pick), puts up to the price and calls
// from it, plus the puts a little in the money whose |delta| can still be under 0.5 (ln(K/S)
// under (r + σ²/2)T, at the volatility the strike window is sized on), since SHORT_DELTA_MAX may
// be 0.5.
import type { OccParts } from "./occ";
import { VOLATILITY_MARGIN } from "./strike-window";

export const NEAR_MONEY_FRACTION = 0.02;
export const NEAR_MONEY_MIN = 2.5;
/** Listed strikes kept on each side of the price on every expiry, whatever their distance. */
export const NEAR_STRIKES = 2;
/** The volatility the in-the-money reach is judged at when no ATM IV is recorded. */
const FALLBACK_VOLATILITY = 1;

export interface InterestInput {
  spot: number;
  /** The newest recorded ATM IV (annualized), or null: as the strike window takes it. */
  atmIv: number | null;
  dteMax: number;
  rate: number;
  /** The first expiration (YYYY-MM-DD) the screener may pick: earlier ones are read near the money only. */
  wingsFrom: string;
}

export type ContractParts = Pick<OccParts, "type" | "strike" | "expiration">;

/** Given every contract of a chain (its symbols' parts), which of them the caller reads. */
export type ChainSelector = (available: readonly ContractParts[]) => (contract: ContractParts) => boolean;

/** The near-money band's half-width, and the highest put strike whose |delta| may be under 0.5. */
function reaches(input: InterestInput): { band: number; putReach: number } {
  const { spot } = input;
  const band = Math.max(spot * NEAR_MONEY_FRACTION, NEAR_MONEY_MIN);
  const volatility = input.atmIv !== null && input.atmIv > 0 ? input.atmIv * VOLATILITY_MARGIN : FALLBACK_VOLATILITY;
  const years = (input.dteMax + 1) / 365;
  const putReach = Math.max(spot + band, spot * Math.exp((Math.max(0, input.rate) + volatility ** 2 / 2) * years));
  return { band, putReach };
}

/** The scan's selector: everything when the price is unusable. */
export function chainInterest(input: InterestInput): ChainSelector {
  const { spot } = input;
  if (!(spot > 0)) return () => () => true;
  const { band, putReach } = reaches(input);
  return (available) => {
    const nearest = nearestStrikes(available, spot);
    return (c) => {
      if (Math.abs(c.strike - spot) <= band || nearest.get(c.expiration)?.has(c.strike)) return true;
      if (c.expiration < input.wingsFrom) return false;
      return c.type === "put" ? c.strike <= putReach : c.strike >= spot;
    };
  };
}

/** Per expiration, the NEAR_STRIKES listed strikes at or under the price and those at or over it. */
function nearestStrikes(available: readonly ContractParts[], spot: number): Map<string, Set<number>> {
  const strikes = new Map<string, Set<number>>();
  for (const c of available) {
    const set = strikes.get(c.expiration) ?? new Set<number>();
    set.add(c.strike);
    strikes.set(c.expiration, set);
  }
  const nearest = new Map<string, Set<number>>();
  for (const [expiration, set] of strikes) {
    const all = [...set];
    const under = all.filter((k) => k <= spot).sort((a, b) => b - a);
    const over = all.filter((k) => k >= spot).sort((a, b) => a - b);
    nearest.set(expiration, new Set([...under.slice(0, NEAR_STRIKES), ...over.slice(0, NEAR_STRIKES)]));
  }
  return nearest;
}

export interface StrikeRange {
  from: number;
  to: number;
}

/**
 * The strike window split by side, for a chain fetched as two requests (a put and a call one):
 * puts up to the in-the-money reach above, calls from the near-money band below, each inside
 * `window`, in whole dollars outward. The band (2 % of the price, at least $2.50) holds the
 * strike nearest the price on both sides of any grid up to $5 or 4 % of the price apart, so the
 * ATM IV and put-call parity read what they read in the whole chain; the next strike out, their
 * fallback when the nearest has no quote on one side, only where the band reaches it. On a wider
 * grid (a $10 grid on a $220 stock) the nearest strike may come on one side only, and the ATM IV
 * is read from the nearest that came, as on a chain quoted on one side.
 * Null when the price is unusable: the chain is then fetched whole.
 */
export function sideStrikes(input: InterestInput, window: StrikeRange): { put: StrikeRange; call: StrikeRange } | null {
  if (!(input.spot > 0)) return null;
  const { band, putReach } = reaches(input);
  return {
    put: { from: window.from, to: Math.max(window.from, Math.min(window.to, Math.ceil(putReach))) },
    call: { from: Math.min(window.to, Math.max(window.from, Math.floor(input.spot - band))), to: window.to },
  };
}
