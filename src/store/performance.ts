// Daily performance rows (one per trading day, written once by the end-of-day job), the equity the
// monitor last read each trading day, and the playbook of reflections the analyst reads back.
import { and, asc, desc, eq, gte, isNotNull, lt, max, sql, sum } from "drizzle-orm";
import {
  type DailyPerformanceRow,
  dailyPerformance,
  intradayEquity,
  type PlaybookRow,
  playbook,
  positions,
} from "../../drizzle/schema";
import type { Db } from "./db";

export function performanceStore(db: Db) {
  return {
    /** Writes the day's row once; returns false when the day already has one. */
    async recordDay(row: DailyPerformanceRow): Promise<boolean> {
      const inserted = await db
        .insert(dailyPerformance)
        .values(row)
        .onConflictDoNothing()
        .returning({ day: dailyPerformance.tradingDay })
        .all();
      return inserted.length === 1;
    },

    /**
     * Records the account equity the monitor just read, replacing the day's earlier reading: the
     * Approve claim's total-risk limit is a share of it (store/recommendations.ts reads it in the
     * claim's own batch). A minutes-old equity is good enough there; the recheck reads the account.
     */
    async recordIntradayEquity(tradingDay: string, equity: number, at: number): Promise<void> {
      await db
        .insert(intradayEquity)
        .values({ tradingDay, equity, recordedAt: at })
        .onConflictDoUpdate({ target: intradayEquity.tradingDay, set: { equity, recordedAt: at } })
        .run();
    },

    async setSummaryMessage(tradingDay: string, messageId: string): Promise<void> {
      await db
        .update(dailyPerformance)
        .set({ summaryMessageId: messageId })
        .where(eq(dailyPerformance.tradingDay, tradingDay))
        .run();
    },

    async day(tradingDay: string): Promise<DailyPerformanceRow | undefined> {
      return db.select().from(dailyPerformance).where(eq(dailyPerformance.tradingDay, tradingDay)).get();
    },

    async recentDays(limit = 10): Promise<DailyPerformanceRow[]> {
      return db.select().from(dailyPerformance).orderBy(desc(dailyPerformance.tradingDay)).limit(limit).all();
    },

    /** End-of-day account equity from `fromDay` on, oldest first (days without a reading left out). */
    /**
     * The end-of-day equity from `fromDay` on, led by the last close before it (when there is
     * one): a period that starts during `fromDay`'s session then counts that day too, from the
     * close before (track-record.ts closesFrom picks the close the period's start follows).
     */
    async equitySince(fromDay: string): Promise<{ tradingDay: string; equity: number }[]> {
      const before = db
        .select({ day: max(dailyPerformance.tradingDay) })
        .from(dailyPerformance)
        .where(and(lt(dailyPerformance.tradingDay, fromDay), isNotNull(dailyPerformance.equity)));
      const rows = await db
        .select({ tradingDay: dailyPerformance.tradingDay, equity: dailyPerformance.equity })
        .from(dailyPerformance)
        .where(
          and(
            gte(dailyPerformance.tradingDay, sql`coalesce((${before}), ${fromDay})`),
            isNotNull(dailyPerformance.equity),
          ),
        )
        .orderBy(asc(dailyPerformance.tradingDay))
        .all();
      return rows.flatMap((r) => (r.equity === null ? [] : [{ tradingDay: r.tradingDay, equity: r.equity }]));
    },

    /** Realized P/L of every closed position, all time. */
    async totalRealized(): Promise<number> {
      const row = await db
        .select({ total: sum(positions.realizedPl) })
        .from(positions)
        .where(eq(positions.status, "closed"))
        .get();
      return Number(row?.total ?? 0);
    },

    async addPlaybook(entry: Omit<PlaybookRow, "id">): Promise<void> {
      await db.insert(playbook).values(entry).run();
    },

    /** The day's entry of this kind, if one was kept (a rerun of the day reuses it). */
    async playbookEntry(tradingDay: string, kind: PlaybookRow["kind"]): Promise<PlaybookRow | undefined> {
      return db
        .select()
        .from(playbook)
        .where(and(eq(playbook.tradingDay, tradingDay), eq(playbook.kind, kind)))
        .orderBy(desc(playbook.id))
        .limit(1)
        .get();
    },

    async recentPlaybook(limit = 5): Promise<PlaybookRow[]> {
      return db.select().from(playbook).orderBy(desc(playbook.createdAt), desc(playbook.id)).limit(limit).all();
    },
  };
}
