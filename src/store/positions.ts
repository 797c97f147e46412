// Spreads we hold. Opening is keyed by the recommendation (one position per recommendation);
// a close is claimed with a conditional UPDATE so two Close clicks send one order.
import { and, desc, eq, gte, inArray, isNotNull } from "drizzle-orm";
import { type NewPosition, type PositionRow, positions } from "../../drizzle/schema";
import { changes, type Db } from "./db";

export function positionStore(db: Db) {
  return {
    /** Opens the position for a filled recommendation; a second call changes nothing. */
    async open(position: NewPosition): Promise<void> {
      await db.insert(positions).values(position).onConflictDoNothing({ target: positions.recommendationId }).run();
    },

    async get(id: number): Promise<PositionRow | undefined> {
      return db.select().from(positions).where(eq(positions.id, id)).get();
    },

    async byRecommendation(recommendationId: string): Promise<PositionRow | undefined> {
      return db.select().from(positions).where(eq(positions.recommendationId, recommendationId)).get();
    },

    async active(): Promise<PositionRow[]> {
      return db
        .select()
        .from(positions)
        .where(inArray(positions.status, ["open", "closing"]))
        .orderBy(positions.openedAt)
        .all();
    },

    async mark(id: number, mark: number | null, unrealizedPl: number | null, now: number): Promise<void> {
      await db
        .update(positions)
        .set({ mark, unrealizedPl, markedAt: now, updatedAt: now })
        .where(eq(positions.id, id))
        .run();
    },

    /** Records that an exit alert was posted for this trigger (so it is posted once). */
    async setExitAlert(id: number, trigger: string, messageId: string | null, now: number): Promise<boolean> {
      const result = await db
        .update(positions)
        .set({ exitAlert: trigger, exitAlertMessageId: messageId, updatedAt: now })
        .where(and(eq(positions.id, id), eq(positions.status, "open")))
        .run();
      return changes(result) === 1;
    },

    /** Claims an open position for closing. Exactly one caller gets true. */
    async claimForClose(id: number, clientOrderId: string, reason: string, now: number): Promise<boolean> {
      const result = await db
        .update(positions)
        .set({ status: "closing", closeClientOrderId: clientOrderId, closeReason: reason, updatedAt: now })
        .where(and(eq(positions.id, id), eq(positions.status, "open")))
        .run();
      return changes(result) === 1;
    },

    /** A close that did not go through: the position is open again and can be closed again. */
    async reopen(id: number, now: number): Promise<void> {
      await db
        .update(positions)
        .set({ status: "open", closeClientOrderId: null, updatedAt: now })
        .where(and(eq(positions.id, id), eq(positions.status, "closing")))
        .run();
    },

    async closed(id: number, closePrice: number, realizedPl: number, now: number): Promise<boolean> {
      const result = await db
        .update(positions)
        .set({ status: "closed", closePrice, realizedPl, closedAt: now, updatedAt: now })
        .where(and(eq(positions.id, id), inArray(positions.status, ["open", "closing"])))
        .run();
      return changes(result) === 1;
    },

    async closedSince(from: number): Promise<PositionRow[]> {
      return db
        .select()
        .from(positions)
        .where(and(eq(positions.status, "closed"), isNotNull(positions.closedAt), gte(positions.closedAt, from)))
        .orderBy(desc(positions.closedAt))
        .all();
    },

    async recentClosed(limit: number): Promise<PositionRow[]> {
      return db
        .select()
        .from(positions)
        .where(eq(positions.status, "closed"))
        .orderBy(desc(positions.closedAt))
        .limit(limit)
        .all();
    },
  };
}

export type PositionStore = ReturnType<typeof positionStore>;
