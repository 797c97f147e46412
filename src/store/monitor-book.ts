// What a monitor run reads, in one D1 round trip at its start instead of one (or several) a step:
// the recommendations it expires and the stale runs it finishes (the two writes it always makes),
// the entries in flight, the positions, the breaker state and the records its limits count.
// When a step changes positions, the monitor reads them again (`positions`), in one round trip.
import type { JobRunRow, PositionRow, RecommendationRow } from "../../drizzle/schema";
import { type BreakerSnapshot, breakerSnapshotOf, breakerStateRows, lastResumeRows } from "./breakers";
import type { Db } from "./db";
import { failStaleRuns } from "./job-runs";
import { activePositions, positionsClosedSince, positionsWithShares, recentlyClosedPositions } from "./positions";
import { expireDueRecommendations, recommendationsWithStatus } from "./recommendations";

/** The losing streak is counted over this many closed positions at most. */
export const STREAK_WINDOW = 50;

/** The positions a monitor run works on, and the records the breaker's numbers come from. */
export interface PositionBook {
  /** Open and closing positions, oldest first. */
  active: PositionRow[];
  /** Closed positions whose expiry left shares not yet flattened. */
  withShares: PositionRow[];
  /** Positions closed since the start of the trading day, newest first. */
  closedToday: PositionRow[];
  /** The last positions closed, newest first (the losing streak). */
  recentClosed: PositionRow[];
  /** When trading was last resumed, or null if never. */
  resumedAt: number | null;
}

export interface MonitorBook extends PositionBook {
  /** Pending recommendations whose time was up: this read expired them. */
  expired: RecommendationRow[];
  /** Runs stuck in "running" too long: this read marked them failed. */
  staleRuns: JobRunRow[];
  /** Entries approved whose order is working, or whose submit answer was lost. */
  inFlight: RecommendationRow[];
  /** The breaker's authoritative state. */
  breaker: BreakerSnapshot;
}

export function monitorBookStore(db: Db) {
  const positionReads = (dayStart: number) =>
    [
      activePositions(db),
      positionsWithShares(db),
      positionsClosedSince(db, dayStart),
      recentlyClosedPositions(db, STREAK_WINDOW),
      lastResumeRows(db),
    ] as const;
  const book = ([active, withShares, closedToday, recentClosed, resumed]: readonly [
    PositionRow[],
    PositionRow[],
    PositionRow[],
    PositionRow[],
    { at: number }[],
  ]): PositionBook => ({ active, withShares, closedToday, recentClosed, resumedAt: resumed[0]?.at ?? null });

  return {
    /**
     * The run's opening round trip: expires what is due, marks stale runs failed (`staleReason`)
     * and reads everything else, in one atomic batch. `dayStart` bounds "closed today".
     */
    async open(now: number, dayStart: number, staleReason: string): Promise<MonitorBook> {
      const [expired, staleRuns, inFlight, breaker, ...positions] = await db.batch([
        expireDueRecommendations(db, now),
        failStaleRuns(db, now, staleReason),
        recommendationsWithStatus(db, ["approving", "submitted"]),
        breakerStateRows(db),
        ...positionReads(dayStart),
      ]);
      return { expired, staleRuns, inFlight, breaker: breakerSnapshotOf(breaker), ...book(positions) };
    },

    /** The positions again, after a step changed them: one round trip. */
    async positions(dayStart: number): Promise<PositionBook> {
      return book(await db.batch(positionReads(dayStart)));
    },
  };
}
