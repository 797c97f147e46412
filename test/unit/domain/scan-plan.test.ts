import { describe, expect, it } from "vitest";
import { clientOrderId } from "../../../src/domain/orders";
import {
  chainBySide,
  claudeCallsWithinBudget,
  NOTICE_OPS,
  REQUESTS_PER_SIDED_CHAIN,
  rankIdeas,
  readsLeft,
  recommendationExpiry,
  recommendationRow,
  SCAN_STORAGE_OPS,
  SUBREQUESTS_PER_CLAUDE_CALL,
  slotsFilledAbove,
} from "../../../src/domain/scan-plan";
import { profitAtExitProbability, type SpreadCandidate } from "../../../src/domain/screener";
import type { OptionQuote } from "../../../src/domain/types";
import { T0 } from "../../support/builders";

const idea = (underlying: string, score: number) => ({ candidate: { underlying, score } });

describe("slotsFilledAbove", () => {
  it("is true once as many scores as slots beat the bound: an idea scoring at most the bound would be crowded out", () => {
    expect(slotsFilledAbove([0.9, 0.7], 2, 0.5)).toBe(true);
    expect(slotsFilledAbove([0.9, 0.4], 2, 0.5)).toBe(false);
    expect(slotsFilledAbove([0.9], 2, -1)).toBe(false);
    expect(slotsFilledAbove([], 0, 0)).toBe(true);
  });

  it("is false on a tie: rankIdeas gives the slot to the earlier idea, which may be the one not yet listed", () => {
    expect(slotsFilledAbove([0.9, 0.5], 2, 0.5)).toBe(false);
    const ideas = [idea("SPY", 0.5), idea("QQQ", 0.9), idea("IWM", 0.5)];
    expect(rankIdeas(ideas, 2).chosen.map((i) => i.candidate.underlying)).toEqual(["QQQ", "SPY"]);
  });
});

describe("rankIdeas", () => {
  it("posts the best scores across the watchlist, and says which lost the last slot", () => {
    const ideas = [idea("SPY", 0.4), idea("QQQ", 0.9), idea("IWM", 0.1), idea("GLD", 0.7)];
    const { chosen, crowdedOut } = rankIdeas(ideas, 2);
    expect(chosen.map((i) => i.candidate.underlying)).toEqual(["QQQ", "GLD"]);
    expect(crowdedOut.map((i) => i.candidate.underlying)).toEqual(["SPY", "IWM"]);
  });

  it("keeps the watchlist's order between equal scores", () => {
    const ideas = [idea("SPY", 0.5), idea("QQQ", 0.5), idea("IWM", 0.5)];
    expect(rankIdeas(ideas, 3).chosen.map((i) => i.candidate.underlying)).toEqual(["SPY", "QQQ", "IWM"]);
  });

  it("leaves the ideas it was given in their order", () => {
    const ideas = [idea("IWM", 0.1), idea("SPY", 0.9)];
    rankIdeas(ideas, 1);
    expect(ideas.map((i) => i.candidate.underlying)).toEqual(["IWM", "SPY"]);
  });

  it("posts every idea when there are fewer than the limit, and none at a limit of 0", () => {
    expect(rankIdeas([idea("SPY", 1)], 5)).toEqual({ chosen: [idea("SPY", 1)], crowdedOut: [] });
    expect(rankIdeas([idea("SPY", 1)], 0)).toEqual({ chosen: [], crowdedOut: [idea("SPY", 1)] });
  });
});

describe("readsLeft", () => {
  it("keeps the storage, the notice, a post a slot and, while chains are read, a listing a slot", () => {
    // 50 − 14 spent − 9 storage − 3 notice − 5 posts − 5 listings.
    expect(NOTICE_OPS).toBe(3);
    expect(readsLeft({ spent: 14, budget: 50, slots: 5, listingsToCome: true })).toBe(14);
    // Once the listings are being made they are reads themselves: only the posts stay kept.
    expect(readsLeft({ spent: 14, budget: 50, slots: 5, listingsToCome: false })).toBe(19);
  });

  it("is none (or less) once what was spent reaches what must follow", () => {
    expect(readsLeft({ spent: 28, budget: 50, slots: 5, listingsToCome: true })).toBe(0);
    expect(readsLeft({ spent: 40, budget: 50, slots: 5, listingsToCome: false })).toBeLessThan(1);
    // A paid plan's budget leaves room for any watchlist.
    expect(readsLeft({ spent: 200, budget: 1000, slots: 5, listingsToCome: true })).toBe(778);
  });
});

describe("chainBySide", () => {
  // The first chain of a 10-symbol scan with five slots: 50 − 5 spent − 9 − 3 − 10 = 23 reads left.
  const first = { readsLeft: 23, chainsAfter: 9 };

  it("on the free plan reads a 10-symbol watchlist's chains whole, with Claude or without", () => {
    expect(chainBySide({ ...first, claudeIdeas: 5 })).toBe(false);
    expect(chainBySide({ ...first, claudeIdeas: 0 })).toBe(false);
  });

  it("splits only while every chain left could still be read by side, beside Claude for every slot", () => {
    // The last three chains of a scan without Claude: enough reads to take each of them by side.
    const lastThree = 3 * REQUESTS_PER_SIDED_CHAIN;
    expect(chainBySide({ readsLeft: lastThree, chainsAfter: 2, claudeIdeas: 0 })).toBe(true);
    expect(chainBySide({ readsLeft: lastThree - 1, chainsAfter: 2, claudeIdeas: 0 })).toBe(false);
    // With Claude, its calls for every slot come first.
    const claude = 5 * SUBREQUESTS_PER_CLAUDE_CALL;
    expect(chainBySide({ readsLeft: lastThree + claude, chainsAfter: 2, claudeIdeas: 5 })).toBe(true);
    expect(chainBySide({ readsLeft: lastThree + claude - 1, chainsAfter: 2, claudeIdeas: 5 })).toBe(false);
  });

  it("on the paid plan's 1000 splits every chain of a long watchlist", () => {
    expect(chainBySide({ readsLeft: 960, chainsAfter: 49, claudeIdeas: 5 })).toBe(true);
  });
});

describe("claudeCallsWithinBudget", () => {
  it("lets the rules write every idea when no Claude is configured, whatever the budget", () => {
    expect(claudeCallsWithinBudget({ claude: false, ideas: 4, spent: 49, budget: 50 })).toBe(4);
  });

  it("on the free plan's 50, after 30 broker requests, leaves Claude one of three ideas", () => {
    // 50 − 30 spent − 9 storage − 3 posts = 8 left: one call of 5.
    expect(SCAN_STORAGE_OPS).toBe(9);
    expect(SUBREQUESTS_PER_CLAUDE_CALL).toBe(5);
    expect(claudeCallsWithinBudget({ claude: true, ideas: 3, spent: 30, budget: 50 })).toBe(1);
  });

  it("never asks for more calls than ideas, nor fewer than none", () => {
    expect(claudeCallsWithinBudget({ claude: true, ideas: 3, spent: 0, budget: 1000 })).toBe(3);
    expect(claudeCallsWithinBudget({ claude: true, ideas: 3, spent: 60, budget: 50 })).toBe(0);
  });

  it("counts what the invocation spent before the scan (the midday review)", () => {
    const budget = { claude: true, ideas: 2, budget: 50 };
    expect(claudeCallsWithinBudget({ ...budget, spent: 29 })).toBe(2);
    expect(claudeCallsWithinBudget({ ...budget, spent: 29 + 1 })).toBe(1);
  });
});

describe("recommendationExpiry", () => {
  it("is the configured minutes from now, but never past the close", () => {
    expect(recommendationExpiry(T0, 30, T0 + 60 * 60_000)).toBe(T0 + 30 * 60_000);
    expect(recommendationExpiry(T0, 30, T0 + 10 * 60_000)).toBe(T0 + 10 * 60_000);
  });
});

function leg(symbol: string, strike: number, quotedAt: number | null): OptionQuote {
  return {
    symbol,
    underlying: "SPY",
    type: "put",
    strike,
    expiration: "2027-02-19",
    bid: 1,
    ask: 1.1,
    last: null,
    volume: null,
    openInterest: 500,
    impliedVolatility: 0.2,
    greeks: null,
    ivSource: "broker",
    greeksSource: null,
    quotedAt,
  };
}

function aCandidate(overrides: Partial<SpreadCandidate> = {}): SpreadCandidate {
  return {
    strategy: "bull_put",
    underlying: "SPY",
    spot: 600,
    expiration: "2027-02-19",
    dte: 35,
    short: leg("SPY270219P00580000", 580, T0 - 5_000),
    long: leg("SPY270219P00575000", 575, T0 - 2_000),
    width: 5,
    credit: 1.2,
    midCredit: 1.25,
    naturalCredit: 1.1,
    maxLoss: 382.6,
    breakeven: 578.8,
    probabilityOfProfit: 0.78,
    returnOnRisk: 0.31,
    edge: 4.2,
    referenceVolatility: 0.18,
    dividendYield: 0.013,
    dividendYieldSource: "assumed",
    // No leg IVs: the probability at the time exit is null, so the row does not depend on the odds' maths.
    legIvs: { short: null, long: null },
    years: 35 / 365,
    score: 0.62,
    shortDelta: -0.2,
    ivRank: 41,
    greeksSource: "broker",
    ...overrides,
  };
}

describe("recommendationRow", () => {
  const events = { exDividendChecked: true, blackoutDates: 0, found: [] };
  const input = {
    id: "SPY-abc-1234",
    now: T0,
    scanRunId: 7,
    candidate: aCandidate(),
    underlyingPrice: 600.5,
    ivRankDays: 120,
    events,
    sizing: { contracts: 3, maxContracts: 8 },
    thesis: { author: "Rule-based analyst", thesis: "Sold below support.", confidence: 0.6, risks: ["gap down"] },
    expiresAt: T0 + 30 * 60_000,
    profitAtExitProbability: 0.64,
  };

  it("is a pending recommendation with the spread's prices, the size, the thesis and its own client order id", () => {
    expect(recommendationRow(input)).toEqual({
      id: "SPY-abc-1234",
      createdAt: T0,
      updatedAt: T0,
      scanRunId: 7,
      symbol: "SPY",
      strategy: "bull_put",
      expiration: "2027-02-19",
      shortSymbol: "SPY270219P00580000",
      longSymbol: "SPY270219P00575000",
      shortStrike: 580,
      longStrike: 575,
      width: 5,
      underlyingPrice: 600.5,
      credit: 1.2,
      shortDelta: -0.2,
      maxLoss: 382.6,
      breakeven: 578.8,
      probabilityOfProfit: 0.78,
      midCredit: 1.25,
      naturalCredit: 1.1,
      edge: 4.2,
      referenceVolatility: 0.18,
      profitAtExitProbability: 0.64,
      ivRank: 41,
      ivRankDays: 120,
      // The older leg's quote time.
      quotesAt: T0 - 5_000,
      events,
      score: 0.62,
      contracts: 3,
      maxContracts: 8,
      analyst: "Rule-based analyst",
      thesis: "Sold below support.",
      confidence: 0.6,
      risks: ["gap down"],
      status: "pending",
      expiresAt: T0 + 30 * 60_000,
      clientOrderId: clientOrderId("SPY-abc-1234", "open"),
    });
  });

  it("has no quote time when a leg's quote has none (unknown is not fresh)", () => {
    const candidate = aCandidate({ long: leg("SPY270219P00575000", 575, null) });
    expect(recommendationRow({ ...input, candidate }).quotesAt).toBeNull();
  });
});

describe("profitAtExitProbability", () => {
  it("gives the chance of profit at the bot's time exit when both legs have an IV, and none without", () => {
    const p = profitAtExitProbability(aCandidate({ legIvs: { short: 0.2, long: 0.22 } }), 21, 0.04);
    expect(p).not.toBeNull();
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    expect(profitAtExitProbability(aCandidate(), 21, 0.04)).toBeNull();
  });
});
