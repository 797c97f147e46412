// Test data builders: a valid row with overrides, so each test states only what it is about.
import type { NewPosition, NewRecommendation } from "../../drizzle/schema";

let counter = 0;
export const uniqueId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export const T0 = Date.UTC(2027, 0, 15, 15, 0); // 2027-01-15 10:00 New York

export function aRecommendation(overrides: Partial<NewRecommendation> = {}): NewRecommendation {
  const id = overrides.id ?? uniqueId("r");
  return {
    id,
    createdAt: T0,
    updatedAt: T0,
    symbol: "SPY",
    strategy: "bull_put",
    expiration: "2027-02-19",
    shortSymbol: "SPY270219P00580000",
    longSymbol: "SPY270219P00575000",
    shortStrike: 580,
    longStrike: 575,
    width: 5,
    underlyingPrice: 600,
    credit: 1.2,
    shortDelta: -0.24,
    maxLoss: 380,
    breakeven: 578.8,
    probabilityOfProfit: 0.72,
    ivRank: 42,
    score: 0.5,
    contracts: 2,
    maxContracts: 5,
    analyst: "Rule-based analyst",
    thesis: "Put credit spread below support.",
    confidence: 0.6,
    risks: ["IV rank from a short history"],
    status: "pending",
    expiresAt: T0 + 30 * 60_000,
    clientOrderId: `sd-open-${id}`,
    ...overrides,
  };
}

export function aPosition(
  recommendationId: string,
  overrides: Partial<NewPosition> = {},
): NewPosition & { openedContracts: number } {
  return {
    recommendationId,
    symbol: "SPY",
    strategy: "bull_put",
    expiration: "2027-02-19",
    shortSymbol: "SPY270219P00580000",
    longSymbol: "SPY270219P00575000",
    shortStrike: 580,
    longStrike: 575,
    contracts: 2,
    entryCredit: 1.2,
    maxLoss: 760,
    status: "open",
    openedAt: T0,
    updatedAt: T0,
    ...overrides,
    openedContracts: overrides.openedContracts ?? overrides.contracts ?? 2,
  };
}
