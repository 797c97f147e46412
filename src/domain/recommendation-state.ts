// The life of a recommendation, as a state machine: the one place its statuses and moves are
// written. The Drizzle schema builds the status CHECK constraint from RECOMMENDATION_STATUSES;
// the store (src/store/recommendations.ts) builds the WHERE of every status change from
// fromStatusesFor(to), so a move the table does not list changes no row, and a move two callers
// race for changes it once. A caller may narrow the from-statuses to a subset (FromStatus<To>
// checks it is one) where its own read says more, never widen them.

export const RECOMMENDATION_STATUSES = [
  "pending", // posted, waiting for a person
  "approving", // claimed by one Approve click; rechecks and order submission in flight
  "submitted", // order accepted by the broker, not yet filled
  "filled", // opening order filled: a position exists
  "failed", // the broker refused or the order died; reason says why
  "refused", // the recheck said no (drift, breaker, market closed…); reason says why
  "rejected", // a person said no
  "expired", // nobody decided before expires_at, it could not be posted, or the day order died unfilled
] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

/** A live idea: waiting for a person, or being placed. One per symbol at most (schema.ts). */
export const LIVE_STATUSES = ["pending", "approving", "submitted"] as const satisfies readonly RecommendationStatus[];

export const STRATEGIES = ["bull_put", "bear_call"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** The option type both legs of a strategy's spread are: puts for a bull put, calls for a bear call. */
export const optionTypeOf = (strategy: Strategy): "put" | "call" => (strategy === "bull_put" ? "put" : "call");

/**
 * How far a strategy's strike is in the money at `price` (negative: out of it): a put's below
 * the strike, a call's above.
 */
export const inTheMoneyBy = (strategy: Strategy, strike: number, price: number): number =>
  strategy === "bull_put" ? strike - price : price - strike;

/** The legal moves. Anything absent is illegal (a status to itself too); the empty lists are the terminal states. */
export const TRANSITIONS = {
  // approving: only through the store's claim, which also checks expiry and the risk limits.
  pending: ["approving", "rejected", "expired"],
  // No way back to pending: once a click claimed it, the outcome is recorded, never retried.
  approving: ["submitted", "filled", "refused", "failed"],
  submitted: ["filled", "failed", "expired"], // expired: the day order died unfilled
  filled: [],
  failed: [],
  refused: [],
  rejected: [],
  expired: [],
} as const satisfies Record<RecommendationStatus, readonly RecommendationStatus[]>;

type Moves = typeof TRANSITIONS;

/** A status some move leads to (pending is only ever inserted). */
export type ReachableStatus = Moves[RecommendationStatus][number];

/** The statuses `To` may be entered from, as a type: a caller's narrower from-list must fit in it. */
export type FromStatus<To extends ReachableStatus> = {
  [From in RecommendationStatus]: To extends Moves[From][number] ? From : never;
}[RecommendationStatus];

/** A status with moves left (not terminal): the only ones a row may be noted in without moving. */
export type LiveStatus = {
  [S in RecommendationStatus]: Moves[S] extends readonly [] ? never : S;
}[RecommendationStatus];

/** The statuses from which `to` is legal, in the order of RECOMMENDATION_STATUSES (the store's `WHERE status IN (…)`). */
export function fromStatusesFor<To extends ReachableStatus>(to: To): FromStatus<To>[] {
  return RECOMMENDATION_STATUSES.filter((from): from is FromStatus<To> =>
    (TRANSITIONS[from] as readonly RecommendationStatus[]).includes(to),
  );
}
