// Applying what the broker says about one of our orders to our records. Used right after a
// submit, by the monitor for orders still working, and to resolve a lost submit response.
// Fills are booked as they are: an order can fill in part and then end (canceled, or expired at
// the close), and whatever filled is a position the bot watches. Every write is conditional on
// the state it expects, so applying the same order twice is safe.
import type { PositionRow, RecommendationRow, TradeStatus } from "../../drizzle/schema";
import type { App } from "../app";
import type { BrokerOrder } from "../broker/port";
import { spreadMaxLoss } from "../domain/fees";

/** Still able to fill: includes a cancel Alpaca has not confirmed yet (pending_cancel). */
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

/** Contracts an order filled: Alpaca's filled_qty, or all of it when it says filled without a count. */
function filledOf(order: BrokerOrder): number {
  if (order.filledQty > 0) return order.filledQty;
  return order.status === "filled" ? order.qty : 0;
}

async function recordTrade(app: App, clientOrderId: string, order: BrokerOrder, now: number): Promise<void> {
  await app.trades.update(
    clientOrderId,
    {
      status: tradeStatusOf(order),
      brokerOrderId: order.id,
      filledQty: filledOf(order),
      fillPrice: order.filledAvgPrice,
      filledAt: order.filledAt,
    },
    now,
  );
}

function endedWhy(order: BrokerOrder): string {
  if (order.status === "rejected") return "The broker rejected the order.";
  if (order.status === "expired" || order.status === "done_for_day")
    return "The day order ended at the close without filling.";
  return `The broker ended the order (${order.status}).`;
}

/** The opening order of a recommendation: working, filled (in full or in part), or dead. */
export async function applyOpenOrder(
  app: App,
  rec: RecommendationRow,
  order: BrokerOrder,
  now: number,
  /** Why the order ended, when the bot knows better than the broker's status (it canceled it). */
  endedBecause?: string,
): Promise<void> {
  await recordTrade(app, rec.clientOrderId, order, now);
  const limit = order.limitPrice === null ? null : Math.abs(order.limitPrice);
  const filled = filledOf(order);
  // A credit fill is reported negative (like the limit); the position keeps it positive.
  const credit = order.filledAvgPrice === null ? (limit ?? rec.credit) : Math.abs(order.filledAvgPrice);
  if (filled > 0) {
    await app.positions.openOrGrow({
      recommendationId: rec.id,
      symbol: rec.symbol,
      strategy: rec.strategy,
      expiration: rec.expiration,
      shortSymbol: rec.shortSymbol,
      longSymbol: rec.longSymbol,
      shortStrike: rec.shortStrike,
      longStrike: rec.longStrike,
      contracts: filled,
      openedContracts: filled,
      entryCredit: credit,
      // The card's max loss at the filled credit, fees in (fees.ts): what the risk limits count.
      maxLoss: Math.round(spreadMaxLoss(rec.width, credit, app.config.fees) * filled * 100) / 100,
      status: "open",
      openedAt: order.filledAt ?? now,
      updatedAt: now,
    });
  }
  const patch = {
    brokerOrderId: order.id,
    limitPrice: limit,
    filledContracts: filled > 0 ? filled : null,
    fillCredit: filled > 0 ? credit : null,
  };
  if (WORKING.has(order.status)) {
    // Working, perhaps partly filled: the position holds what filled; the rest may still fill.
    // An approving entry becomes submitted; a submitted one stays, with the order's numbers noted.
    const working = { ...patch, statusReason: null };
    const move = () => app.recommendations.transition(rec.id, "submitted", now, working);
    const note = () => app.recommendations.noteStatus(rec.id, "submitted", now, working);
    // The status read first decides which is tried first (one query); the other covers a row
    // that moved since (the approval's own settle beside a monitor run).
    const [first, then] = rec.status === "submitted" ? [note, move] : [move, note];
    if (!(await first())) await then();
    return;
  }
  if (order.status === "filled" || filled > 0) {
    const rest = order.qty - filled;
    const statusReason =
      rest > 0 ? `Filled ${filled} of ${order.qty}; the other ${rest} ended: ${endedBecause ?? endedWhy(order)}` : null;
    await app.recommendations.transition(rec.id, "filled", now, { ...patch, statusReason });
    return;
  }
  if (DEAD.has(order.status)) {
    const why = `${endedBecause ?? endedWhy(order)} Nothing was opened.`;
    const dayEnded = order.status === "expired" || order.status === "done_for_day";
    // A day order that ended expires a submitted entry; anything else that died fails it.
    if (
      dayEnded &&
      (await app.recommendations.transition(rec.id, "expired", now, { ...patch, statusReason: why }, ["submitted"]))
    )
      return;
    await app.recommendations.transition(rec.id, "failed", now, { ...patch, statusReason: why });
  }
}

export type CloseResult = "closed" | "reopened" | "working";

/**
 * The closing order of a position. Each part that filled is booked once (fewer contracts, their
 * P/L realized); a close that ends with contracts left reopens the position for the rest.
 */
export async function applyCloseOrder(
  app: App,
  position: PositionRow,
  order: BrokerOrder,
  now: number,
): Promise<CloseResult> {
  if (position.closeClientOrderId) await recordTrade(app, position.closeClientOrderId, order, now);
  const filled = filledOf(order);
  let current = position;
  if (filled > position.closeBookedQty) {
    const debit = Math.abs(order.filledAvgPrice ?? order.limitPrice ?? 0);
    await app.positions.bookCloseFill(
      position,
      { filledQty: filled, debit, at: order.filledAt ?? now },
      app.config.fees,
      now,
    );
    current = (await app.positions.get(position.id)) ?? position;
  }
  if (current.status === "closed") return "closed";
  if (DEAD.has(order.status)) {
    await app.positions.reopen(position.id, now);
    return "reopened";
  }
  return "working";
}
