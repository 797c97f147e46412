// IV rank and IV percentile: where today's implied volatility sits in its own history.
// Rank = (current − low) / (high − low); percentile = share of past days below current.
// A short or flat history gives no honest answer, so it says "unavailable" and why.

/** The history IV rank looks back over: a year of trading days. */
export const IV_RANK_DAYS = 252;

export type IvRank =
  | { kind: "ok"; rank: number; percentile: number; observations: number }
  | { kind: "unavailable"; reason: string };

export function ivRank(history: number[], current: number, minObservations = 20): IvRank {
  if (!(Number.isFinite(current) && current > 0))
    return { kind: "unavailable", reason: `current implied volatility is not a positive number (${current})` };
  const past = history.filter((v) => Number.isFinite(v) && v > 0);
  if (past.length < minObservations)
    return {
      kind: "unavailable",
      reason: `only ${past.length} of the ${minObservations} days of IV history needed`,
    };
  // The range includes today, so a new high ranks 100 and a new low ranks 0.
  const low = past.reduce((m, v) => Math.min(m, v), current);
  const high = past.reduce((m, v) => Math.max(m, v), current);
  if (high - low < 1e-12) return { kind: "unavailable", reason: "IV history is flat: no range to rank against" };
  const rank = ((current - low) / (high - low)) * 100;
  const percentile = (past.filter((v) => v < current).length / past.length) * 100;
  return { kind: "ok", rank, percentile, observations: past.length };
}
