// /halt, the kill switch: no new risk from this moment.
//
// 1. haltTrading (inline, before the first response): the breaker is written to D1 and its KV
//    mirror, with an audit row. From then on every approval's recheck refuses.
// 2. cancelWorkingEntries (after the response, in waitUntil): entry orders already working at
//    Alpaca would still open positions, so each is canceled and what the broker says after is
//    applied to our records and shown on its card. Closes are never touched: a halt stops new
//    trades, never anyone getting out.

import type { RecommendationRow } from "../../drizzle/schema";
import type { App } from "../app";
import type { BrokerOrder } from "../broker/port";
import type { EntryCancel, EntryOutcome } from "../discord/messages/halt";
import { errorFields, log } from "../log";
import { cancelAndLookUp, isCancelable } from "./cancel-order";
import { refreshRecommendationMessage } from "./refresh-messages";
import { applyOpenOrder } from "./settle";

export interface HaltRequest {
  reason: string;
  userId: string;
  interactionId: string;
}

/** Approvals whose entry order may exist at Alpaca. */
const IN_FLIGHT = ["approving", "submitted"] as const;
/** Orders a cancel can still stop. */
/** Orders that are over without (fully) filling. */
const ENDED = new Set(["canceled", "expired", "rejected", "done_for_day"]);

export async function haltTrading(app: App, halt: HaltRequest, now: number): Promise<void> {
  await app.breakers.halt([`manual: ${halt.reason}`], "manual", halt.userId, now);
  await app.audit.record({
    at: now,
    actor: halt.userId,
    action: "halt",
    interactionId: halt.interactionId,
    outcome: "halted",
    detail: { reason: halt.reason },
  });
}

/**
 * Cancels every entry order still working at Alpaca (looked up by client order id, never by a
 * guess), records what the broker says after, and edits each card. Entries are handled side by
 * side so the whole stays well inside waitUntil's 30 s; one failing does not stop the others.
 */
export async function cancelWorkingEntries(app: App, halt: HaltRequest, now: () => number): Promise<EntryCancel[]> {
  const inFlight = await app.recommendations.withStatus(IN_FLIGHT);
  const results = await Promise.all(inFlight.map((rec) => cancelEntry(app, rec, halt, now)));
  return results.filter((r): r is EntryCancel => r !== null);
}

/** null when there was nothing to cancel: the order had already filled or ended on its own. */
async function cancelEntry(
  app: App,
  rec: RecommendationRow,
  halt: HaltRequest,
  now: () => number,
): Promise<EntryCancel | null> {
  let order: BrokerOrder | null;
  try {
    order = await app.broker.orderByClientId(rec.clientOrderId);
    if (!order) return { rec, outcome: "no_order" };
    if (!isCancelable(order)) return null;
    order = await cancelAndLookUp(app, order, rec.clientOrderId);
  } catch (error) {
    log.error("halt could not cancel an entry order", { recommendationId: rec.id, ...errorFields(error) });
    return { rec, outcome: "unchecked", error: error instanceof Error ? error.message : String(error) };
  }
  if (!order) return { rec, outcome: "unchecked", error: "the order was not found after the cancel" };

  const outcome = outcomeOf(order);
  const by = `Canceled by /halt (by <@${halt.userId}>): ${halt.reason}.`;
  const endedBecause =
    outcome === "canceled_partly_filled"
      ? `${by} ${order.filledQty} of ${order.qty} contracts had filled before the cancel and are held at Alpaca; check them there.`
      : `${by} Nothing was opened.`;
  await applyOpenOrder(app, rec, order, now(), endedBecause);
  const after = (await app.recommendations.get(rec.id)) ?? rec;
  await app.audit.record({
    at: now(),
    actor: halt.userId,
    action: "halt",
    recommendationId: rec.id,
    interactionId: halt.interactionId,
    outcome: `entry_${outcome}`,
    detail: { brokerOrderId: order.id, brokerStatus: order.status, filledQty: order.filledQty, qty: order.qty },
  });
  if (after.status !== rec.status) await refreshRecommendationMessage(app, after, now());
  return { rec: after, outcome };
}

function outcomeOf(order: BrokerOrder): EntryOutcome {
  if (order.status === "filled") return "filled";
  if (!ENDED.has(order.status)) return "still_working";
  return order.filledQty > 0 ? "canceled_partly_filled" : "canceled";
}
