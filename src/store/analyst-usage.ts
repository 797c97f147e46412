// The analyst's spend per trading day and model, in D1: the daily budget is read from here
// before every Claude call. One row per (day, model); each call adds to it with one upsert.
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { analystUsage } from "../../drizzle/schema";
import type { UsageLedger } from "../analyst/usage-ledger";

export function usageLedger(d1: D1Database): UsageLedger {
  const db = drizzle(d1);
  return {
    async spentToday(tradingDay) {
      const [row] = await db
        .select({ spent: sql<number>`coalesce(sum(${analystUsage.costUsd}), 0)` })
        .from(analystUsage)
        .where(eq(analystUsage.tradingDay, tradingDay));
      return Number(row?.spent ?? 0);
    },

    async record(tradingDay, model, tokensIn, tokensOut, costUsd) {
      await db
        .insert(analystUsage)
        .values({ tradingDay, model, requests: 1, inputTokens: tokensIn, outputTokens: tokensOut, costUsd })
        .onConflictDoUpdate({
          target: [analystUsage.tradingDay, analystUsage.model],
          set: {
            requests: sql`${analystUsage.requests} + 1`,
            inputTokens: sql`${analystUsage.inputTokens} + excluded.input_tokens`,
            outputTokens: sql`${analystUsage.outputTokens} + excluded.output_tokens`,
            costUsd: sql`${analystUsage.costUsd} + excluded.cost_usd`,
          },
        })
        .run();
    },
  };
}
