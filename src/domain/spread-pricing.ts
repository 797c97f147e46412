// Prices of a two-leg spread from its legs' quotes, per share. A quote without both sides
// (or with a crossed market) has no price: callers treat null as "no quote", never as zero.
import type { OptionQuote } from "./types";

/** The mid of a two-sided quote, or null when a side is missing, negative or crossed. */
export function quoteMid(q: Pick<OptionQuote, "bid" | "ask">): number | null {
  if (q.bid === null || q.ask === null) return null;
  if (!Number.isFinite(q.bid) || !Number.isFinite(q.ask) || q.bid < 0 || q.ask <= 0 || q.ask < q.bid) return null;
  return (q.bid + q.ask) / 2;
}

/** Mid credit for selling `short` and buying `long`: short mid − long mid. */
export function spreadMid(short: OptionQuote, long: OptionQuote): number | null {
  const s = quoteMid(short);
  const l = quoteMid(long);
  return s === null || l === null ? null : s - l;
}

/**
 * What it costs to close a credit spread now (buy back the short, sell the long):
 * `natural` pays the short's ask and receives the long's bid, the price that fills at once;
 * `mid` is the fair middle a patient limit can aim for.
 */
export function closeDebit(short: OptionQuote, long: OptionQuote): { natural: number; mid: number } | null {
  const mid = spreadMid(short, long);
  if (mid === null || short.ask === null || long.bid === null) return null;
  return { natural: short.ask - long.bid, mid };
}

/** A credit spread's entry prices per share, all three a trader reads on the card. */
export interface SpreadPrices {
  /** Short mid − long mid: where the order starts. */
  mid: number;
  /** Short bid − long ask: what crossing both legs at the touch would get. */
  natural: number;
  /** `towardNatural` of the way from mid to natural: the credit screened, sized and promised. */
  fillable: number;
}

/**
 * Entry prices for selling `short` and buying `long`, or null without two-sided quotes. The
 * fillable estimate never exceeds the mid (a crossed natural above it is ignored).
 */
export function entryPrices(short: OptionQuote, long: OptionQuote, towardNatural: number): SpreadPrices | null {
  const mid = spreadMid(short, long);
  if (mid === null || short.bid === null || long.ask === null) return null;
  const natural = short.bid - long.ask;
  const fillable = mid - towardNatural * Math.max(0, mid - natural);
  return { mid, natural, fillable };
}
