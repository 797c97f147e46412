// One implied volatility per symbol per trading day: the history IV rank is computed from.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { ivHistory } from "../../drizzle/schema";
import { IV_RANK_DAYS } from "../domain/volatility";
import type { Db } from "./db";

/**
 * The newest `days` of each symbol only, and only the two columns read: the table keeps every day
 * ever recorded, and the scan reads it for the whole watchlist at once. One row per symbol, its
 * IVs newest first as a JSON array (read it with ivHistoriesOf): a year of ten symbols is 2,520
 * rows otherwise, and reading them row by row was a measurable share of a scan's CPU.
 */
export function newestIvs(db: Db, symbols: string[], days: number) {
  const newest = db
    .select({
      symbol: ivHistory.symbol,
      iv: ivHistory.iv,
      n: sql<number>`row_number() over (partition by ${ivHistory.symbol} order by ${ivHistory.tradingDay} desc)`.as(
        "n",
      ),
    })
    .from(ivHistory)
    .where(inArray(ivHistory.symbol, symbols))
    .as("newest");
  return db
    .select({ symbol: newest.symbol, ivs: sql<string>`json_group_array(${newest.iv} order by n)` })
    .from(newest)
    .where(sql`n <= ${days}`)
    .groupBy(newest.symbol);
}

/** D1 binds at most 100 parameters a statement; an iv_history row takes 3. */
const ROWS_PER_STATEMENT = 33;

/** The inserts of `rows`, keeping a day's first IV, in as few statements as D1's limit allows. */
export function insertIvRows(db: Db, rows: (typeof ivHistory.$inferInsert)[]) {
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    statements.push(
      db
        .insert(ivHistory)
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .onConflictDoNothing(),
    );
  return statements;
}

/** newestIvs' rows as each symbol's IVs, newest first. */
export function ivHistoriesOf(rows: { symbol: string; ivs: string }[]): Map<string, number[]> {
  return new Map(rows.map((row) => [row.symbol, JSON.parse(row.ivs) as number[]]));
}

export function ivHistoryStore(db: Db) {
  return {
    async record(symbol: string, tradingDay: string, iv: number): Promise<void> {
      await db.insert(ivHistory).values({ symbol, tradingDay, iv }).onConflictDoNothing().run();
    },

    /** Records a day's IVs for several symbols in one round trip: one statement for a watchlist. */
    async recordMany(tradingDay: string, observations: { symbol: string; iv: number }[]): Promise<void> {
      const [first, ...rest] = insertIvRows(
        db,
        observations.map(({ symbol, iv }) => ({ symbol, tradingDay, iv })),
      );
      if (first) await db.batch([first, ...rest]);
    },

    /** The newest `days` observations, newest first. */
    async history(symbol: string, days = IV_RANK_DAYS): Promise<number[]> {
      const rows = await db
        .select({ iv: ivHistory.iv })
        .from(ivHistory)
        .where(and(eq(ivHistory.symbol, symbol)))
        .orderBy(desc(ivHistory.tradingDay))
        .limit(days)
        .all();
      return rows.map((r) => r.iv);
    },
  };
}
