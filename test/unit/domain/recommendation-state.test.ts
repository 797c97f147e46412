import { describe, expect, it } from "vitest";
import {
  canTransition,
  fromStatusesFor,
  isTerminal,
  RECOMMENDATION_STATUSES,
  type RecommendationStatus,
} from "../../../src/domain/recommendation-state";

describe("recommendation state machine", () => {
  it("keeps the statuses the table's CHECK constraint was generated from", () => {
    expect(RECOMMENDATION_STATUSES).toEqual([
      "pending",
      "approving",
      "submitted",
      "filled",
      "failed",
      "refused",
      "rejected",
      "expired",
      "blocked",
    ]);
  });

  const legal: [RecommendationStatus, RecommendationStatus][] = [
    ["pending", "approving"],
    ["pending", "rejected"],
    ["pending", "expired"],
    ["pending", "blocked"],
    ["approving", "submitted"],
    ["approving", "filled"],
    ["approving", "refused"],
    ["approving", "failed"],
    ["submitted", "filled"],
    ["submitted", "failed"],
    ["submitted", "expired"],
  ];

  it.each(legal)("%s → %s is legal", (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  const illegal = RECOMMENDATION_STATUSES.flatMap((from) =>
    RECOMMENDATION_STATUSES.map((to) => [from, to] as [RecommendationStatus, RecommendationStatus]),
  ).filter(([from, to]) => !legal.some(([f, t]) => f === from && t === to));

  it.each(illegal)("%s → %s is illegal", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it.each([
    ["approving", ["pending"]],
    ["expired", ["pending", "submitted"]],
    ["filled", ["approving", "submitted"]],
    ["failed", ["approving", "submitted"]],
    ["pending", []],
  ] as const)("%s can be reached from %j", (to, from) => {
    expect(fromStatusesFor(to)).toEqual(from);
  });

  it.each([
    ["filled", true],
    ["failed", true],
    ["refused", true],
    ["rejected", true],
    ["expired", true],
    ["blocked", true],
    ["pending", false],
    ["approving", false],
    ["submitted", false],
  ] as const)("%s is terminal: %s", (status, terminal) => {
    expect(isTerminal(status)).toBe(terminal);
  });
});
