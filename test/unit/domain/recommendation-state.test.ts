// The state machine as production reads it: TRANSITIONS and fromStatusesFor are what the store's
// WHERE is built from (src/store/recommendations.ts), so these tests read them, not a copy.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type FromStatus,
  fromStatusesFor,
  type LiveStatus,
  RECOMMENDATION_STATUSES,
  type ReachableStatus,
  type RecommendationStatus,
  TRANSITIONS,
} from "../../../src/domain/recommendation-state";

const movesFrom = (status: RecommendationStatus): readonly RecommendationStatus[] => TRANSITIONS[status];

describe("recommendation state machine", () => {
  it("reaches every status from pending, where every recommendation starts: none is dead", () => {
    const seen = new Set<RecommendationStatus>(["pending"]);
    const queue: RecommendationStatus[] = ["pending"];
    for (let status = queue.shift(); status; status = queue.shift())
      for (const next of movesFrom(status))
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
    expect([...seen].sort()).toEqual([...RECOMMENDATION_STATUSES].sort());
  });

  it("has no move from a status to itself: a same-status write is a note, not a transition", () => {
    for (const status of RECOMMENDATION_STATUSES) expect(movesFrom(status)).not.toContain(status);
  });

  it("never leads back to pending: once clicked or withdrawn, an idea is never offered again", () => {
    expect(fromStatusesFor("approving")).toEqual(["pending"]);
    for (const status of RECOMMENDATION_STATUSES) expect(movesFrom(status)).not.toContain("pending");
  });

  it("ends in the statuses with no moves, and every path ends (no cycle)", () => {
    const ends = (status: RecommendationStatus, depth = 0): boolean =>
      depth <= RECOMMENDATION_STATUSES.length && movesFrom(status).every((next) => ends(next, depth + 1));
    for (const status of RECOMMENDATION_STATUSES) expect(ends(status)).toBe(true);
    const terminal = RECOMMENDATION_STATUSES.filter((s) => movesFrom(s).length === 0);
    expect(terminal).toEqual(["filled", "failed", "refused", "rejected", "expired"]);
  });

  it.each(RECOMMENDATION_STATUSES.filter((to): to is ReachableStatus => to !== "pending"))(
    "lets the store leave, for %s, exactly the statuses whose moves list it, in table order",
    (to) => {
      const expected = RECOMMENDATION_STATUSES.filter((from) => movesFrom(from).includes(to));
      expect(fromStatusesFor(to)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    },
  );

  it.each([
    ["a person rejects a pending idea", "rejected", "pending"],
    ["an unanswered idea expires", "expired", "pending"],
    ["a day order that ended unfilled expires a submitted entry", "expired", "submitted"],
    ["the recheck refuses a claimed entry", "refused", "approving"],
    ["an entry fills straight from the approval", "filled", "approving"],
    ["a working entry fills later", "filled", "submitted"],
    ["the broker refuses a claimed entry", "failed", "approving"],
    ["a walked order never reached the broker", "failed", "submitted"],
    ["the broker accepts a claimed entry", "submitted", "approving"],
  ] as const)("allows what production does: %s (%s from %s)", (_scenario, to, from) => {
    expect(fromStatusesFor(to)).toContain(from);
  });

  it.each([
    [
      "a refused, rejected or expired idea is never approved after all",
      "approving",
      ["refused", "rejected", "expired"],
    ],
    ["a decided idea is never rejected", "rejected", ["approving", "submitted", "filled"]],
    ["the recheck never refuses what has an order", "refused", ["submitted", "filled", "pending"]],
    ["a filled entry never fails", "failed", ["filled", "pending"]],
  ] as const)("forbids: %s", (_scenario, to, from) => {
    for (const status of from) expect(fromStatusesFor(to)).not.toContain(status);
  });

  it("types a caller's narrowing as a subset of the table's from-statuses", () => {
    expectTypeOf<FromStatus<"expired">>().toEqualTypeOf<"pending" | "submitted">();
    expectTypeOf<FromStatus<"failed">>().toEqualTypeOf<"approving" | "submitted">();
    expectTypeOf<FromStatus<"approving">>().toEqualTypeOf<"pending">();
    expectTypeOf<LiveStatus>().toEqualTypeOf<"pending" | "approving" | "submitted">();
    expectTypeOf<ReachableStatus>().toEqualTypeOf<Exclude<RecommendationStatus, "pending">>();
  });
});
