// The open interest of a scan's chosen spreads, read only as far as the scan's slots need.
// Open interest comes with Alpaca's contracts listing alone, a request per symbol (one expiry and
// side, domain/open-interest.ts says why).
import type { App } from "../app";
import type { ConstantMaturityIv } from "../domain/atm-iv";
import { type Allowed, type EventsVerdict, firstAllowed } from "../domain/events";
import { bestGroup, keepLiquid } from "../domain/open-interest";
import { slotsFilledAbove } from "../domain/scan-plan";
import type { ScreenResult, SpreadCandidate } from "../domain/screener";
import type { IvRank } from "../domain/volatility";
import { errorFields, log } from "../log";
import type { ScanReport } from "./scan";

/** A symbol's screened chain, and where its chosen spread stands on open interest. */
export interface Screened {
  symbol: string;
  price: number;
  /** How many contracts the chain read, and when its newest quote was taken (null: none dated). */
  contracts: number;
  newestQuote: number | null;
  atm: ConstantMaturityIv | null;
  rank: IvRank | null;
  screened: ScreenResult;
  judge: (candidate: SpreadCandidate) => EventsVerdict;
  allowed: Allowed<SpreadCandidate>;
  /**
   * "unread": better ideas filled the slots before its listing was needed (checkOpenInterest);
   * "over budget": its listing would have spent subrequests the posts and records need.
   */
  openInterest: "unread" | "read" | "not required" | "failed" | "over budget";
}

/**
 * Open interest comes with a listing per symbol (one expiry and side, domain/open-interest.ts). A
 * listing only ever takes spreads away, so a symbol's chosen spread before it bounds its score
 * after it. Symbols are listed best first, and once listed ideas fill every slot with scores above
 * the next symbol's bound, the rest are not listed: they would lose the last slot anyway. The same
 * ideas are posted as if every symbol were listed, with a request fewer for each one left. A
 * listing `requestsLeft` has no room for is not made: without its open interest the spread is
 * not offered (fail closed), and the scan says the budget stopped it.
 */
export async function checkOpenInterest(
  app: App,
  pool: Screened[],
  report: ScanReport,
  requestsLeft: () => number,
): Promise<void> {
  const minimum = app.config.strategy.minOpenInterest;
  if (minimum <= 0) {
    for (const s of pool) s.openInterest = "not required";
    return;
  }
  const bound = (s: Screened) => s.allowed.chosen?.candidate.score ?? Number.NEGATIVE_INFINITY;
  const listed: number[] = [];
  for (const s of pool.filter((p) => p.allowed.chosen).sort((a, b) => bound(b) - bound(a))) {
    const chosen = s.allowed.chosen;
    if (!chosen || slotsFilledAbove(listed, app.config.risk.maxRecommendationsPerScan, bound(s))) break;
    if (requestsLeft() < 1) {
      s.openInterest = "over budget";
      continue;
    }
    try {
      const { group, listing } = bestGroup(s.screened.candidates, chosen.candidate);
      const kept = keepLiquid(group, await app.broker.listedContracts(listing), minimum);
      for (const [reason, n] of Object.entries(kept.rejected))
        s.screened.rejected[reason] = (s.screened.rejected[reason] ?? 0) + n;
      s.allowed = firstAllowed(kept.liquid, s.judge);
      s.openInterest = "read";
      if (s.allowed.chosen) listed.push(s.allowed.chosen.candidate.score);
    } catch (error) {
      s.openInterest = "failed";
      skipUnavailable(report, s.symbol, error);
    }
  }
}

export function skipUnavailable(report: ScanReport, symbol: string, error: unknown): void {
  log.warn("scan: symbol failed", { symbol, ...errorFields(error) });
  report.skipped.push({
    symbol,
    reason: `data unavailable: ${error instanceof Error ? error.message : String(error)}`,
  });
}
