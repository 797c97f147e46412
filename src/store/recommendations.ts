// Recommendations in D1. Every status change is a conditional UPDATE that names the statuses
// it may leave (from the domain's state machine): a change that lost a race changes no row.
import { and, asc, desc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import {
  auditLog,
  type NewAudit,
  type NewRecommendation,
  type RecommendationRow,
  type RecommendationStatus,
  recommendations,
} from "../../drizzle/schema";
import { changes, type Db } from "./db";

export type RecommendationPatch = Partial<
  Pick<
    RecommendationRow,
    | "statusReason"
    | "brokerOrderId"
    | "limitPrice"
    | "contracts"
    | "decidedBy"
    | "decidedAt"
    | "discordChannelId"
    | "discordMessageId"
  >
>;

export function recommendationStore(db: Db) {
  return {
    /** Stores new recommendations in one atomic batch and returns them as stored. */
    async insert(rows: NewRecommendation[]): Promise<RecommendationRow[]> {
      const [first, ...rest] = rows.map((row) => db.insert(recommendations).values(row).returning());
      if (!first) return [];
      const stored = await db.batch([first, ...rest]);
      return stored.flat();
    },

    async get(id: string): Promise<RecommendationRow | undefined> {
      return db.select().from(recommendations).where(eq(recommendations.id, id)).get();
    },

    /**
     * Claims a pending, unexpired recommendation for approval. Exactly one caller gets true:
     * the UPDATE only matches while status is 'pending' and the row has not expired.
     */
    async claimForApproval(id: string, by: string, contracts: number, now: number): Promise<boolean> {
      return (await this.claimForApprovalAudited(id, by, contracts, now, null)).claimed;
    },

    /**
     * The claim, its audit row and the row as it is after, in one atomic batch (one round trip
     * while Discord waits). The audit row records "claimed" or "not_claimed" from SQLite's
     * changes(): the rows the claim itself changed, inside the same transaction.
     */
    async claimForApprovalAudited(
      id: string,
      by: string,
      contracts: number,
      now: number,
      audit: Omit<NewAudit, "outcome"> | null,
    ): Promise<{ claimed: boolean; row: RecommendationRow | undefined }> {
      const claim = db
        .update(recommendations)
        .set({ status: "approving", decidedBy: by, decidedAt: now, contracts, updatedAt: now })
        .where(
          and(eq(recommendations.id, id), eq(recommendations.status, "pending"), gt(recommendations.expiresAt, now)),
        );
      const read = db.select().from(recommendations).where(eq(recommendations.id, id));
      if (!audit) {
        const [result, rows] = await db.batch([claim, read]);
        return { claimed: changes(result) === 1, row: rows[0] };
      }
      const record = db
        .insert(auditLog)
        .values({ ...audit, outcome: sql`case when changes() = 1 then 'claimed' else 'not_claimed' end` });
      const [result, , rows] = await db.batch([claim, record, read]);
      return { claimed: changes(result) === 1, row: rows[0] };
    },

    /** Moves a recommendation from one of `from` to `to`. True when this call made the change. */
    async transition(
      id: string,
      from: readonly RecommendationStatus[],
      to: RecommendationStatus,
      now: number,
      patch: RecommendationPatch = {},
    ): Promise<boolean> {
      const result = await db
        .update(recommendations)
        .set({ ...patch, status: to, updatedAt: now })
        .where(and(eq(recommendations.id, id), inArray(recommendations.status, [...from])))
        .run();
      return changes(result) === 1;
    },

    /** Keeps the message id of each posted embed, in one atomic batch. */
    async setMessages(posted: { id: string; messageId: string }[], channelId: string, now: number): Promise<void> {
      const [first, ...rest] = posted.map(({ id, messageId }) =>
        db
          .update(recommendations)
          .set({ discordChannelId: channelId, discordMessageId: messageId, updatedAt: now })
          .where(eq(recommendations.id, id)),
      );
      if (first) await db.batch([first, ...rest]);
    },

    async withStatus(statuses: readonly RecommendationStatus[], limit = 100): Promise<RecommendationRow[]> {
      return db
        .select()
        .from(recommendations)
        .where(inArray(recommendations.status, [...statuses]))
        .orderBy(asc(recommendations.createdAt))
        .limit(limit)
        .all();
    },

    /** Pending recommendations whose time is up become expired; returns the rows it changed. */
    async expireDue(now: number): Promise<RecommendationRow[]> {
      return db
        .update(recommendations)
        .set({ status: "expired", statusReason: "Nobody decided before it expired.", updatedAt: now })
        .where(and(eq(recommendations.status, "pending"), lte(recommendations.expiresAt, now)))
        .returning()
        .all();
    },

    async createdBetween(from: number, to: number): Promise<RecommendationRow[]> {
      return db
        .select()
        .from(recommendations)
        .where(and(gt(recommendations.createdAt, from - 1), lte(recommendations.createdAt, to)))
        .orderBy(desc(recommendations.createdAt))
        .all();
    },
  };
}

export type RecommendationStore = ReturnType<typeof recommendationStore>;
