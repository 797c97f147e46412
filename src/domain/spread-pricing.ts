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
