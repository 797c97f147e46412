// One implied volatility per symbol per trading day: the history IV rank is computed from.
import { and, desc, eq } from "drizzle-orm";
import { ivHistory } from "../../drizzle/schema";
import type { Db } from "./db";

export function ivHistoryStore(db: Db) {
  return {
    /** Records today's IV (the first observation of the day stands). */
    statement: (symbol: string, tradingDay: string, iv: number) =>
      db.insert(ivHistory).values({ symbol, tradingDay, iv }).onConflictDoNothing(),

    async record(symbol: string, tradingDay: string, iv: number): Promise<void> {
      await db.insert(ivHistory).values({ symbol, tradingDay, iv }).onConflictDoNothing().run();
    },

    /** The last `days` observations before `beforeDay`, newest first. */
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

export type IvHistoryStore = ReturnType<typeof ivHistoryStore>;
