// Open interest, judged on the spreads the scan would offer rather than on the whole chain.
// Alpaca publishes it only with the contracts listing (not the snapshots), a second answer the
// size of the chain itself: reading it for every strike was most of the bytes, and so of the
// CPU, of a scan. The screener runs on the snapshots alone; then one small listing, of the best
// spread's expiry and side, holds the legs of every candidate there, and the liquid ones remain.
// A lower-ranked expiry or side is not looked up: one more request per symbol for a spread the
// rules ranked lower (the next scan looks again).
import type { RejectReason, SpreadCandidate } from "./screener";
import type { OptionType } from "./types";

/** A listed contract as the contracts listing has it. */
export interface ListedContract {
  openInterest: number | null;
  tradable: boolean;
}

/** The listing that holds the legs of the best spread's group: one expiry, one side, a strike range. */
export interface ListingRequest {
  underlying: string;
  expiration: string;
  type: OptionType;
  strikeFrom: number;
  strikeTo: number;
}

/** The candidates of the best one's expiry and strategy, best first, and the listing holding all their legs. */
export function bestGroup(
  candidates: readonly SpreadCandidate[],
  best: SpreadCandidate,
): { group: SpreadCandidate[]; listing: ListingRequest } {
  const group = candidates.filter((c) => c.expiration === best.expiration && c.strategy === best.strategy);
  const strikes = group.flatMap((c) => [c.short.strike, c.long.strike]);
  return {
    group,
    listing: {
      underlying: best.underlying,
      expiration: best.expiration,
      type: best.short.type,
      strikeFrom: Math.min(...strikes),
      strikeTo: Math.max(...strikes),
    },
  };
}

function legsProblem(
  short: ListedContract | undefined,
  long: ListedContract | undefined,
  minOpenInterest: number,
): RejectReason | null {
  if (!short?.tradable || !long?.tradable) return "not_tradable";
  const thin = (leg: ListedContract) => leg.openInterest === null || leg.openInterest < minOpenInterest;
  return thin(short) || thin(long) ? "low_open_interest" : null;
}

/**
 * The candidates whose two legs are listed, tradable and held at least `minOpenInterest` times
 * (their quotes now carry it), best first; and how many were refused, by the screener's reasons.
 */
export function keepLiquid(
  group: readonly SpreadCandidate[],
  listed: ReadonlyMap<string, ListedContract>,
  minOpenInterest: number,
): { liquid: SpreadCandidate[]; rejected: Record<string, number> } {
  const liquid: SpreadCandidate[] = [];
  const rejected: Record<string, number> = {};
  for (const candidate of group) {
    const short = listed.get(candidate.short.symbol);
    const long = listed.get(candidate.long.symbol);
    const reason = legsProblem(short, long, minOpenInterest);
    if (reason || !short || !long) {
      const why = reason ?? "not_tradable";
      rejected[why] = (rejected[why] ?? 0) + 1;
      continue;
    }
    liquid.push({
      ...candidate,
      short: { ...candidate.short, openInterest: short.openInterest },
      long: { ...candidate.long, openInterest: long.openInterest },
    });
  }
  return { liquid, rejected };
}
