// Test data for the analyst: a plausible SPY bull put, with overrides per scenario.
import type { IdeaForAnalysis } from "../../../src/analyst/port";

export function anIdea(overrides: Partial<IdeaForAnalysis> = {}): IdeaForAnalysis {
  return {
    symbol: "SPY",
    strategy: "bull_put",
    expiration: "2027-02-19",
    dte: 35,
    shortStrike: 580,
    longStrike: 575,
    width: 5,
    credit: 1.25,
    maxLoss: 375,
    breakeven: 578.75,
    probabilityOfProfit: 0.74,
    ivRank: 42,
    underlyingPrice: 600,
    shortDelta: -0.22,
    impliedVolatility: 0.16,
    ...overrides,
  };
}
