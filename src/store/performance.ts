// Daily performance rows (one per trading day, written once by the end-of-day job), the equity the
// monitor last read each trading day, and the playbook of reflections the analyst reads back.
import { and, asc, desc, eq, gt, gte, isNotNull, lt, max, type SQL, sql, sum } from "drizzle-orm";
import {
  type DailyPerformanceRow,
  dailyPerformance,
  intradayEquity,
  type PlaybookRow,
  playbook,
  positions,
} from "../../drizzle/schema";
import type { Db } from "./db";

/**
 * The equity the limits are a share of without asking the broker: the one the monitor recorded on
 * this trading day (intraday_equity), else the last end-of-day equity (daily_performance), else
 * null. The Approve claim reads it in its batch; /resume, to say whether the daily loss still trips.
 */
export function recordedEquitySql(day: SQL | string) {
  return sql<number | null>`coalesce(
    (select equity from intraday_equity where trading_day = ${day} and equity > 0),
    (select equity from daily_performance where equity > 0 order by trading_day desc limit 1))`;
}

/** The equity the last end of day before `day` recorded: where the day's loss limit is measured from. */
export const closeEquityBefore = (db: Db, day: SQL | string) =>
  db
    .select({ equity: dailyPerformance.equity })
    .from(dailyPerformance)
    .where(and(lt(dailyPerformance.tradingDay, day), gt(dailyPerformance.equity, 0)))
    .orderBy(desc(dailyPerformance.tradingDay))
    .limit(1);

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

    /** The equity the last end of day before `day` recorded, or null before the first one. */
    async closeEquityBefore(day: string): Promise<number | null> {
      return (await closeEquityBefore(db, day).get())?.equity ?? null;
    },

    /** The equity recorded on `day`, else at the last end of day (recordedEquitySql). */
    async recordedEquity(day: string): Promise<number | null> {
      const row = await db.get<{ equity: number | null }>(sql`select ${recordedEquitySql(day)} as equity`);
      return row?.equity ?? null;
    },

    async recentDays(limit = 10): Promise<DailyPerformanceRow[]> {
      return db.select().from(dailyPerformance).orderBy(desc(dailyPerformance.tradingDay)).limit(limit).all();
    },

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
