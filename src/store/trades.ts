// Broker orders we sent (opening and closing). The unique client order id means a second
// record of the same order is refused by the database itself.
import { eq } from "drizzle-orm";
import { type NewTrade, type TradeRow, type TradeStatus, trades } from "../../drizzle/schema";
import type { Db } from "./db";

export function tradeStore(db: Db) {
  return {
    /** Records an order; a second call with the same client order id is a no-op. */
    async record(trade: NewTrade): Promise<void> {
      await db.insert(trades).values(trade).onConflictDoNothing({ target: trades.clientOrderId }).run();
    },

    async byClientOrderId(clientOrderId: string): Promise<TradeRow | undefined> {
      return db.select().from(trades).where(eq(trades.clientOrderId, clientOrderId)).get();
    },

    async forRecommendation(recommendationId: string): Promise<TradeRow[]> {
      return db.select().from(trades).where(eq(trades.recommendationId, recommendationId)).all();
    },

    async update(
      clientOrderId: string,
      patch: {
        status: TradeStatus;
        fillPrice?: number | null;
        filledAt?: number | null;
        filledQty?: number;
        brokerOrderId?: string | null;
      },
      now: number,
    ): Promise<void> {
      await db
        .update(trades)
        .set({ ...patch, updatedAt: now })
        .where(eq(trades.clientOrderId, clientOrderId))
        .run();
    },
  };
}
