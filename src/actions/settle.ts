// Applying what the broker says about one of our orders to our records. Used right after a
// submit, by the monitor for orders still working, and to resolve a lost submit response.
// Every write is conditional on the state it expects, so applying the same order twice is safe.
import type { PositionRow, RecommendationRow, TradeStatus } from "../../drizzle/schema";
import type { App } from "../app";
import type { BrokerOrder } from "../broker/port";

const WORKING = new Set(["new", "pending_new", "accepted", "partially_filled", "pending_cancel", "replaced"]);
const DEAD = new Set(["canceled", "expired", "rejected", "done_for_day"]);

export function tradeStatusOf(order: BrokerOrder): TradeStatus {
  if (order.status === "filled") return "filled";
  if (order.status === "partially_filled") return "partially_filled";
  if (order.status === "rejected") return "rejected";
  if (order.status === "expired" || order.status === "done_for_day") return "expired";
  if (order.status === "canceled") return "canceled";
  return "submitted";
}

/** The opening order of a recommendation: submitted, filled (a position opens) or dead. */
export async function applyOpenOrder(
  app: App,
  rec: RecommendationRow,
  order: BrokerOrder,
  now: number,
  /** Why the order ended, when the bot knows better than the broker's status (it canceled it). */
  endedBecause?: string,
): Promise<void> {
  await app.trades.update(
    rec.clientOrderId,
    {
      status: tradeStatusOf(order),
      brokerOrderId: order.id,
      fillPrice: order.filledAvgPrice,
      filledAt: order.filledAt,
    },
    now,
  );
  const limit = order.limitPrice === null ? null : Math.abs(order.limitPrice);
  if (order.status === "filled") {
    // A credit fill is reported negative (like the limit); the position keeps it positive.
    const credit = order.filledAvgPrice === null ? (limit ?? rec.credit) : Math.abs(order.filledAvgPrice);
    const contracts = order.filledQty > 0 ? order.filledQty : order.qty;
    await app.positions.open({
      recommendationId: rec.id,
      symbol: rec.symbol,
      strategy: rec.strategy,
      expiration: rec.expiration,
      shortSymbol: rec.shortSymbol,
      longSymbol: rec.longSymbol,
      shortStrike: rec.shortStrike,
      longStrike: rec.longStrike,
      contracts,
      entryCredit: credit,
      maxLoss: Math.round((rec.width - credit) * 100 * contracts * 100) / 100,
      status: "open",
      openedAt: order.filledAt ?? now,
      updatedAt: now,
    });
    await app.recommendations.transition(rec.id, ["approving", "submitted"], "filled", now, {
      brokerOrderId: order.id,
      limitPrice: limit,
      statusReason: null,
    });
    return;
  }
  if (DEAD.has(order.status)) {
    await app.recommendations.transition(rec.id, ["approving", "submitted"], "failed", now, {
      brokerOrderId: order.id,
      statusReason:
        endedBecause ?? `The broker ${order.status === "rejected" ? "rejected" : "ended"} the order (${order.status}).`,
    });
    return;
  }
  if (WORKING.has(order.status)) {
    await app.recommendations.transition(rec.id, ["approving"], "submitted", now, {
      brokerOrderId: order.id,
      limitPrice: limit,
      statusReason: null,
    });
  }
}

/** The closing order of a position: filled closes it with its realized P/L; dead reopens it. */
export async function applyCloseOrder(
  app: App,
  position: PositionRow,
  order: BrokerOrder,
  now: number,
): Promise<"closed" | "reopened" | "working"> {
  if (position.closeClientOrderId) {
    await app.trades.update(
      position.closeClientOrderId,
      {
        status: tradeStatusOf(order),
        brokerOrderId: order.id,
        fillPrice: order.filledAvgPrice,
        filledAt: order.filledAt,
      },
      now,
    );
  }
  if (order.status === "filled") {
    const debit = Math.abs(order.filledAvgPrice ?? order.limitPrice ?? 0);
    const realized = Math.round((position.entryCredit - debit) * 100 * position.contracts * 100) / 100;
    await app.positions.closed(position.id, debit, realized, order.filledAt ?? now);
    return "closed";
  }
  if (DEAD.has(order.status)) {
    await app.positions.reopen(position.id, now);
    return "reopened";
  }
  return "working";
}
