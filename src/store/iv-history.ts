// One implied volatility per symbol per trading day: the history IV rank is computed from.
import { and, desc, eq, inArray } from "drizzle-orm";
import { ivHistory } from "../../drizzle/schema";
import type { Db } from "./db";

export function ivHistoryStore(db: Db) {
  return {
    async record(symbol: string, tradingDay: string, iv: number): Promise<void> {
      await db.insert(ivHistory).values({ symbol, tradingDay, iv }).onConflictDoNothing().run();
    },

    /** Records a day's IVs for several symbols in one atomic batch (one subrequest). */
    async recordMany(tradingDay: string, observations: { symbol: string; iv: number }[]): Promise<void> {
      const [first, ...rest] = observations.map(({ symbol, iv }) =>
        db.insert(ivHistory).values({ symbol, tradingDay, iv }).onConflictDoNothing(),
      );
      if (first) await db.batch([first, ...rest]);
    },

    /** The newest `days` observations of each symbol, newest first, in one query. */
    async historyMany(symbols: string[], days = 252): Promise<Map<string, number[]>> {
      const rows = await db
        .select()
        .from(ivHistory)
        .where(inArray(ivHistory.symbol, symbols))
        .orderBy(desc(ivHistory.tradingDay))
        .all();
      const out = new Map<string, number[]>();
      for (const row of rows) {
        const list = out.get(row.symbol) ?? [];
        if (list.length < days) list.push(row.iv);
        out.set(row.symbol, list);
      }
      return out;
    },

    /** The newest `days` observations, newest first. */
    async history(symbol: string, days = 252): Promise<number[]> {
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
