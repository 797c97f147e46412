// Option events the broker booked (expiry, assignment, exercise), each applied to our books once.
import { and, eq, inArray } from "drizzle-orm";
import { type BrokerActivityRow, brokerActivities, positions } from "../../drizzle/schema";
import { type AssignedSoFar, earlyByPosition } from "../domain/broker-book";
import type { Db } from "./db";

/**
 * Assignments booked on positions still open or closing: early assignments of their short leg
 * (one at expiry is booked with the position's settlement, which closes it).
 */
export const earlyAssignments = (db: Db) =>
  db
    .select({ activity: brokerActivities })
    .from(brokerActivities)
    .innerJoin(positions, eq(positions.id, brokerActivities.positionId))
    .where(and(eq(brokerActivities.kind, "assigned"), inArray(positions.status, ["open", "closing"])));

export function brokerActivityStore(db: Db) {
  return {
    /** The ids among `ids` already booked. */
    async known(ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await db
        .select({ id: brokerActivities.id })
        .from(brokerActivities)
        .where(inArray(brokerActivities.id, ids))
        .all();
      return new Set(rows.map((r) => r.id));
    },

    /** The early assignments booked on positions still open or closing. */
    async earlyAssignments(): Promise<BrokerActivityRow[]> {
      return (await earlyAssignments(db).all()).map((row) => row.activity);
    },

    /** The early assignments booked on a position, together (undefined when its short leg had none). */
    async assignedEarly(positionId: number): Promise<AssignedSoFar | undefined> {
      const rows = await db
        .select()
        .from(brokerActivities)
        .where(and(eq(brokerActivities.positionId, positionId), eq(brokerActivities.kind, "assigned")))
        .all();
      return earlyByPosition(rows).get(positionId);
    },

    /** Records events as booked; one already recorded is left as it was. */
    async record(rows: BrokerActivityRow[]): Promise<void> {
      const [first, ...rest] = rows.map((row) => db.insert(brokerActivities).values(row).onConflictDoNothing());
      if (first) await db.batch([first, ...rest]);
    },
  };
}
