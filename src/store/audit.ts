// The audit log: every decision, who made it, when, and the prices seen. Append-only.
import { desc, eq } from "drizzle-orm";
import { type AuditRow, auditLog, type NewAudit } from "../../drizzle/schema";
import type { Db } from "./db";

export type AuditStore = ReturnType<typeof auditStore>;

export function auditStore(db: Db) {
  return {
    /** The insert statement, for callers that batch it with the change it records. */
    entry: (row: NewAudit) => db.insert(auditLog).values(row),

    async record(row: NewAudit): Promise<void> {
      await db.insert(auditLog).values(row).run();
    },

    async forRecommendation(recommendationId: string): Promise<AuditRow[]> {
      return db
        .select()
        .from(auditLog)
        .where(eq(auditLog.recommendationId, recommendationId))
        .orderBy(auditLog.at, auditLog.id)
        .all();
    },

    async recent(limit = 50): Promise<AuditRow[]> {
      return db.select().from(auditLog).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit).all();
    },
  };
}
