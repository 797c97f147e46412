import { describe, expect, it } from "vitest";
import {
  type ActiveRule,
  ivRegime,
  lessonScore,
  playbookFor,
  proposeRules,
  type ReviewedTrade,
  relevantLessons,
  relevantRules,
} from "../../../src/domain/playbook";

let nextId = 1;
function trade(overrides: Partial<ReviewedTrade> = {}): ReviewedTrade {
  const positionId = nextId++;
  return {
    positionId,
    symbol: "SPY",
    strategy: "bull_put",
    ivRegime: "low",
    dte: 40,
    realizedPl: 50,
    closedDay: "2027-01-10",
    lesson: `lesson ${positionId}`,
    ...overrides,
  };
}

function rule(overrides: Partial<ActiveRule> = {}): ActiveRule {
  return {
    id: nextId++,
    rule: "r",
    symbol: null,
    strategy: null,
    ivRegime: null,
    supportingTrades: [],
    createdAt: 1,
    ...overrides,
  };
}

const SPY_IDEA = { symbol: "SPY", strategy: "bull_put", ivRegime: "low", dte: 38 } as const;

describe("IV regime", () => {
  it("is low below rank 30, normal from 30 to below 50, high from 50, unknown without a rank", () => {
    expect([0, 29.9, 30, 49.9, 50, 100].map(ivRegime)).toEqual(["low", "low", "normal", "normal", "high", "high"]);
    expect(ivRegime(null)).toBeNull();
    expect(ivRegime(Number.NaN)).toBeNull();
  });
});

describe("proposed rules", () => {
  it("asks for care after 3 SPY bull puts at low IV rank made +$60, −$240, −$180: 2 losses, expectancy −$120 a trade", () => {
    const trades = [trade({ realizedPl: 60 }), trade({ realizedPl: -240 }), trade({ realizedPl: -180 })];
    const [proposal, ...more] = proposeRules(trades, new Set());
    expect(more).toEqual([]);
    expect(proposal).toEqual({
      key: "avoid|SPY|bull_put|low",
      symbol: "SPY",
      strategy: "bull_put",
      ivRegime: "low",
      rule: "Be wary of SPY bull puts at low IV rank: 3 trades, 1 won, 2 lost, -$360.00 (expectancy -$120.00 a trade). Ask for more credit or a farther short strike, or pass.",
      supportingTrades: trades.map((t) => t.positionId),
    });
  });

  it("needs 3 trades, 2 of them losses and a negative total, before asking for care", () => {
    expect(proposeRules([trade({ realizedPl: -240 }), trade({ realizedPl: -180 })], new Set())).toEqual([]);
    // 2 losses but +$10 in all: not a losing kind of trade.
    const positive = [trade({ realizedPl: 430 }), trade({ realizedPl: -240 }), trade({ realizedPl: -180 })];
    expect(proposeRules(positive, new Set())).toEqual([]);
  });

  it("keeps doing what worked only after 4 trades with 75% won and a positive total: +$50 ×3 and −$100 → +$50", () => {
    const three = [trade({ ivRegime: "high" }), trade({ ivRegime: "high" }), trade({ ivRegime: "high" })];
    expect(proposeRules(three, new Set())).toEqual([]);
    const four = [...three, trade({ ivRegime: "high", realizedPl: -100 })];
    expect(proposeRules(four, new Set()).map((p) => p.rule)).toEqual([
      "SPY bull puts at high IV rank have worked: 4 trades, 3 won, 1 lost, +$50.00 (expectancy +$12.50 a trade). Keep the same filters.",
    ]);
  });

  it("speaks about the narrowest group: the IV regime's rule, not a second one for the symbol and strategy", () => {
    const trades = [trade({ realizedPl: -100 }), trade({ realizedPl: -100 }), trade({ realizedPl: -100 })];
    expect(proposeRules(trades, new Set()).map((p) => p.key)).toEqual(["avoid|SPY|bull_put|low"]);
  });

  it("groups trades of mixed regimes by symbol and strategy when no regime has enough: 1 low, 1 normal, 1 unknown", () => {
    const trades = [
      trade({ ivRegime: "low", realizedPl: -100 }),
      trade({ ivRegime: "normal", realizedPl: -100 }),
      trade({ ivRegime: null, realizedPl: 20 }),
    ];
    expect(proposeRules(trades, new Set()).map((p) => [p.key, p.supportingTrades.length])).toEqual([
      ["avoid|SPY|bull_put|*", 3],
    ]);
  });

  it("never proposes a key already written, retired ones included", () => {
    const trades = [trade({ realizedPl: -100 }), trade({ realizedPl: -100 }), trade({ realizedPl: -100 })];
    expect(proposeRules(trades, new Set(["avoid|SPY|bull_put|low"]))).toEqual([]);
  });
});

describe("relevant rules", () => {
  it("apply when every scope they name matches the idea; the most specific first, then the newest", () => {
    const everyIdea = rule({ createdAt: 5 });
    const spy = rule({ symbol: "SPY", createdAt: 1 });
    const spyPutsLow = rule({ symbol: "SPY", strategy: "bull_put", ivRegime: "low", createdAt: 1 });
    const qqq = rule({ symbol: "QQQ" });
    const calls = rule({ strategy: "bear_call" });
    const high = rule({ ivRegime: "high" });
    const newerEveryIdea = rule({ createdAt: 9 });
    const got = relevantRules(SPY_IDEA, [everyIdea, spy, spyPutsLow, qqq, calls, high, newerEveryIdea], 10);
    expect(got).toEqual([spyPutsLow, spy, newerEveryIdea, everyIdea]);
    expect(relevantRules(SPY_IDEA, [everyIdea, spy, spyPutsLow], 2)).toEqual([spyPutsLow, spy]);
  });
});

describe("relevant lessons", () => {
  it("score 3 for the symbol, 2 for the strategy, 1 for the IV regime, 1 for DTE within 10 days", () => {
    expect(lessonScore(SPY_IDEA, trade())).toBe(7);
    expect(lessonScore(SPY_IDEA, trade({ symbol: "QQQ" }))).toBe(4);
    expect(lessonScore(SPY_IDEA, trade({ symbol: "QQQ", ivRegime: "high" }))).toBe(3);
    expect(lessonScore(SPY_IDEA, trade({ strategy: "bear_call", ivRegime: "high", dte: 60 }))).toBe(3);
    expect(lessonScore(SPY_IDEA, trade({ dte: 48 }))).toBe(7);
    expect(lessonScore(SPY_IDEA, trade({ dte: 49 }))).toBe(6);
    expect(lessonScore({ ...SPY_IDEA, ivRegime: null }, trade({ ivRegime: null }))).toBe(6);
  });

  it("keep lessons scoring 4 or more, the closest first, then the latest closed: not merely the latest", () => {
    const sameKind = trade({ closedDay: "2026-10-01" });
    const sameKindNewer = trade({ closedDay: "2026-12-01" });
    const otherSymbolSameSetup = trade({ symbol: "QQQ", closedDay: "2027-01-14" });
    const sameSymbolOtherSetup = trade({ strategy: "bear_call", ivRegime: "high", dte: 60, closedDay: "2027-01-14" });
    const unrelatedLatest = trade({ symbol: "TLT", strategy: "bear_call", closedDay: "2027-01-15" });
    const got = relevantLessons(
      SPY_IDEA,
      [unrelatedLatest, sameSymbolOtherSetup, otherSymbolSameSetup, sameKind, sameKindNewer],
      5,
    );
    expect(got).toEqual([sameKindNewer, sameKind, otherSymbolSameSetup]);
  });
});

describe("the analyst's playbook lines", () => {
  it("are the rules that apply, then the lessons, each saying where it came from", () => {
    const lines = playbookFor(
      SPY_IDEA,
      [rule({ id: 7, rule: "Ask 30% of width on SPY.", symbol: "SPY", supportingTrades: [3, 4, 5] })],
      [trade({ positionId: 12, realizedPl: -240, closedDay: "2027-01-08", lesson: "Too close to support." })],
    );
    expect(lines).toEqual([
      "Rule 7 (3 trades): Ask 30% of width on SPY.",
      "Lesson from SPY bull put #12 (closed 2027-01-08, -$240.00): Too close to support.",
    ]);
  });
});
