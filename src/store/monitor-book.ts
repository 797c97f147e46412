// What a monitor run reads, in one D1 round trip at its start instead of one (or several) a step:
// the recommendations it expires and the stale runs it finishes (the two writes it always makes),
// the entries in flight, the positions, the breaker state and the records its limits count.
// When a step changes positions, the monitor reads them again (`positions`), in one round trip.
// The statements are built once per isolate (store/db.ts batchPrepared), not once per run.
import { sql } from "drizzle-orm";
import type { BrokerActivityRow, JobRunRow, PositionRow, RecommendationRow } from "../../drizzle/schema";
import { type BreakerSnapshot, breakerSnapshotOf, breakerStateRows, lastResumeRows } from "./breakers";
import { earlyAssignments } from "./broker-activities";
import { batchPrepared, type Db, perDatabase } from "./db";
import { failStaleRuns } from "./job-runs";
import { closeEquityBefore } from "./performance";
import { activePositions, positionsClosedSince, positionsWithShares, recentlyClosedPositions } from "./positions";
import { expireDueRecommendations, recommendationsWithStatus } from "./recommendations";

/** Today, as the book reads it: where "closed today" starts, and the trading day. */
export interface RunDay {
  dayStart: number;
  day: string;
}

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
  /** Early assignments of the short legs of `active` positions, as booked (early-assignment.ts). */
  assignedEarly: BrokerActivityRow[];
  /** The equity the last end of day before today recorded (the daily loss limit's base), or null. */
  lastCloseEquity: number | null;
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

/**
 * The run's statements, built once per database (isolate) rather than once per run; what varies
 * from run to run is a placeholder: `now`, `dayStart` (where "closed today" starts) and `reason`.
 */
function statements(db: Db) {
  const now = sql`${sql.placeholder("now")}`;
  const positionReads = [
    activePositions(db).prepare(),
    positionsWithShares(db).prepare(),
    positionsClosedSince(db, sql`${sql.placeholder("dayStart")}`).prepare(),
    recentlyClosedPositions(db, STREAK_WINDOW).prepare(),
    lastResumeRows(db).prepare(),
    earlyAssignments(db).prepare(),
    closeEquityBefore(db, sql`${sql.placeholder("day")}`).prepare(),
  ] as const;
  return {
    opening: [
      expireDueRecommendations(db, now).prepare(),
      failStaleRuns(db, now, sql`${sql.placeholder("reason")}`).prepare(),
      recommendationsWithStatus(db, ["approving", "submitted"]).prepare(),
      breakerStateRows(db).prepare(),
      ...positionReads,
    ] as const,
    positionReads,
  };
}
const statementsOf = perDatabase(statements);

export function monitorBookStore(db: Db) {
  const prepared = () => statementsOf(db);
  const book = ([active, withShares, closedToday, recentClosed, resumed, assigned, closeEquity]: readonly [
    PositionRow[],
    PositionRow[],
    PositionRow[],
    PositionRow[],
    { at: number }[],
    { activity: BrokerActivityRow }[],
    { equity: number | null }[],
  ]): PositionBook => ({
    active,
    withShares,
    closedToday,
    recentClosed,
    resumedAt: resumed[0]?.at ?? null,
    assignedEarly: assigned.map((row) => row.activity),
    lastCloseEquity: closeEquity[0]?.equity ?? null,
  });

  return {
    /**
     * The run's opening round trip: expires what is due, marks stale runs failed (`staleReason`)
     * and reads everything else, in one atomic batch. `dayStart` bounds "closed today"; `day` is
     * today's trading day (the last close is the end of day before it).
     */
    async open(now: number, { dayStart, day }: RunDay, staleReason: string): Promise<MonitorBook> {
      const [expired, staleRuns, inFlight, state, ...positions] = await batchPrepared(db, prepared().opening, {
        now,
        dayStart,
        day,
        reason: staleReason,
      });
      return { expired, staleRuns, inFlight, breaker: breakerSnapshotOf(state), ...book(positions) };
    },

    /** The positions again, after a step changed them: one round trip. */
    async positions({ dayStart, day }: RunDay): Promise<PositionBook> {
      return book(await batchPrepared(db, prepared().positionReads, { dayStart, day }));
    },
  };
}
