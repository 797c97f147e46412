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
 * `natural` pays the short's ask and receives the long's bid, the price that fills at once and
 * the one exits are judged on; `mid` is the fair middle, the position's mark. A long leg with no
 * bid (quoted 0 × 0 far out of the money) is worth nothing and never blocks the close; only a
 * short leg without an ask leaves no price.
 */
export function closeDebit(short: OptionQuote, long: OptionQuote): { natural: number; mid: number } | null {
  if (short.ask === null || !Number.isFinite(short.ask) || short.ask <= 0) return null;
  const longBid = long.bid !== null && Number.isFinite(long.bid) && long.bid > 0 ? long.bid : 0;
  const shortMid = quoteMid(short) ?? short.ask;
  const longMid = quoteMid(long) ?? longBid;
  return { natural: short.ask - longBid, mid: Math.max(0, shortMid - longMid) };
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
