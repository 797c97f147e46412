// The life of a recommendation, as a state machine. The Drizzle schema takes its status list
// from here (CHECK constraint), and the store claims a recommendation with one conditional
// UPDATE whose WHERE names `fromStatusesFor(to)`: a transition the table cannot make twice.

export const RECOMMENDATION_STATUSES = [
  "pending", // posted, waiting for a person
  "approving", // claimed by one Approve click; rechecks and order submission in flight
  "submitted", // order accepted by the broker, not yet filled
  "filled", // opening order filled: a position exists
  "failed", // the broker refused or the order died; reason says why
  "refused", // the recheck said no (drift, breaker, market closed…); reason says why
  "rejected", // a person said no
  "expired", // nobody decided before expires_at, or the day order died unfilled
  "blocked", // never offered: breakers were tripped when it was made
] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

export const STRATEGIES = ["bull_put", "bear_call"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** The legal moves. Anything absent is illegal; the empty lists are the terminal states. */
export const TRANSITIONS: Readonly<Record<RecommendationStatus, readonly RecommendationStatus[]>> = {
  pending: ["approving", "rejected", "expired", "blocked"],
  // No way back to pending: once a click claimed it, the outcome is recorded, never retried.
  approving: ["submitted", "filled", "refused", "failed"],
  submitted: ["filled", "failed", "expired"], // expired: the day order died unfilled
  filled: [],
  failed: [],
  refused: [],
  rejected: [],
  expired: [],
  blocked: [],
};

export function canTransition(from: RecommendationStatus, to: RecommendationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses from which `to` is legal, in the order of RECOMMENDATION_STATUSES (for `WHERE status IN (…)`). */
export function fromStatusesFor(to: RecommendationStatus): RecommendationStatus[] {
  return RECOMMENDATION_STATUSES.filter((from) => canTransition(from, to));
}

export function isTerminal(status: RecommendationStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

export function isRecommendationStatus(value: string): value is RecommendationStatus {
  return (RECOMMENDATION_STATUSES as readonly string[]).includes(value);
}
