// Walking a working entry or close one step (src/domain/limit-walk.ts has the prices and the
// timing). One working order at a time, each under its own client order id:
//   1. cancel the working order and read it again (it may have filled meanwhile: then book it);
//   2. claim the next step with a conditional UPDATE on the canceled order's id (a halt, a lost
//      race or a second monitor run changes no row, and nothing is sent);
//   3. record the trade, send the new order, apply what the broker says.
// Prices come from fresh quotes; no quotes, a halt, or a partial fill and the order is left as
// it is. An entry never walks below the lowest credit the approval accepted.
import type { PositionRow, RecommendationRow } from "../../drizzle/schema";
import type { App } from "../app";
import type { BrokerOrder } from "../broker/port";
import { closeDebitAt, entryCreditAt, type WalkStep } from "../domain/limit-walk";
import { closeSpreadOrder, openSpreadOrder, walkStepId } from "../domain/orders";
import { closeDebit, entryPrices } from "../domain/spread-pricing";
import { errorFields, log } from "../log";
import { cancelAndLookUp } from "./cancel-order";
import { orNull } from "./or-null";
import { applyCloseOrder, applyOpenOrder } from "./settle";

/** What a walk did: "walked" sent the next order; "settled" found the old one filled or ended. */
export type WalkOutcome = "walked" | "settled" | "unchanged";

/** The canceled order is gone with nothing filled: only then may a new one take its place. */
const replaceable = (order: BrokerOrder | null): order is BrokerOrder =>
  order !== null && order.status === "canceled" && order.filledQty === 0;

async function legQuotes(app: App, shortSymbol: string, longSymbol: string) {
  const quotes = await orNull(app.broker.optionQuotes([shortSymbol, longSymbol]), "walk: leg quotes");
  const short = quotes?.get(shortSymbol);
  const long = quotes?.get(longSymbol);
  return short && long ? { short, long } : null;
}

export async function walkEntry(
  app: App,
  rec: RecommendationRow,
  order: BrokerOrder,
  now: number,
): Promise<WalkOutcome> {
  const walk = rec.limitWalk ?? [];
  const step = (walk.at(-1)?.step ?? 0) + 1;
  const steps = app.config.risk.limitWalkSteps;
  const floor = rec.limitFloor ?? rec.credit;
  const [legs, breakers] = await Promise.all([
    legQuotes(app, rec.shortSymbol, rec.longSymbol),
    orNull(app.breakers.read(), "walk: breakers"),
  ]);
  const prices = legs ? entryPrices(legs.short, legs.long, app.config.strategy.fillTowardNatural) : null;
  // Fail closed: a halt (or not knowing) sends no new entry order; the working one stays as approved.
  if (!prices || !breakers || breakers.halted) return "unchanged";

  const after = await cancelAndLookUp(app, order, rec.clientOrderId);
  if (!replaceable(after)) {
    if (after) await applyOpenOrder(app, rec, after, now);
    return "settled";
  }
  await app.trades.update(rec.clientOrderId, { status: "canceled", brokerOrderId: after.id }, now);
  const next = openSpreadOrder({
    strategy: rec.strategy,
    shortSymbol: rec.shortSymbol,
    longSymbol: rec.longSymbol,
    contracts: rec.contracts,
    limitCredit: entryCreditAt(prices, step, steps, floor),
    clientOrderId: walkStepId(rec.clientOrderId, step),
  });
  const limit = Number(next.limit_price);
  const limitWalk: WalkStep[] = [...walk, { step, price: Math.abs(limit), at: now }];
  if (
    !(await app.recommendations.walkTo(
      rec.id,
      rec.clientOrderId,
      { clientOrderId: next.client_order_id, limitPrice: limit, limitWalk },
      now,
    ))
  )
    return "unchanged";
  await app.trades.record({
    recommendationId: rec.id,
    kind: "open",
    clientOrderId: next.client_order_id,
    symbol: rec.symbol,
    contracts: rec.contracts,
    limitPrice: limit,
    status: "submitted",
    submittedBy: rec.decidedBy ?? "monitor",
    submittedAt: now,
    updatedAt: now,
  });
  const walked = (await app.recommendations.get(rec.id)) ?? rec;
  const outcome = await app.broker.submitOrder(next);
  switch (outcome.kind) {
    case "placed":
    case "already_submitted":
      await applyOpenOrder(app, walked, outcome.order, now);
      await cancelIfNoLongerWanted(app, walked.id, outcome.order, next.client_order_id, now);
      break;
    case "rejected":
      await app.trades.update(next.client_order_id, { status: "rejected" }, now);
      await app.recommendations.transition(
        rec.id,
        "failed",
        now,
        {
          statusReason: `Alpaca refused the walked order at ${Math.abs(limit).toFixed(2)} credit: ${outcome.error.message}. Nothing is working; nothing was opened.`,
        },
        ["submitted"],
      );
      break;
    case "unknown":
      // The monitor looks it up by its client order id next run (and fails it if it never arrived).
      log.warn("walked entry order status unknown", { recommendationId: rec.id, ...errorFields(outcome.error) });
      break;
  }
  return "walked";
}

/**
 * A halt that landed between the claim and the submit ended the recommendation while the new
 * order was on its way: that order must not stay working.
 */
async function cancelIfNoLongerWanted(
  app: App,
  recId: string,
  order: BrokerOrder,
  coid: string,
  now: number,
): Promise<void> {
  const rec = await app.recommendations.get(recId);
  if (!rec || rec.status === "submitted" || rec.status === "filled" || order.status === "filled") return;
  log.warn("a halt ended the entry while its walked order was on its way: canceling it", { recommendationId: recId });
  const after = await cancelAndLookUp(app, order, coid);
  if (after) await applyOpenOrder(app, rec, after, now);
}

export async function walkClose(
  app: App,
  position: PositionRow,
  order: BrokerOrder,
  now: number,
): Promise<WalkOutcome> {
  const coid = position.closeClientOrderId;
  if (!coid) return "unchanged";
  const walk = position.closeWalk ?? [];
  const step = (walk.at(-1)?.step ?? 0) + 1;
  const legs = await legQuotes(app, position.shortSymbol, position.longSymbol);
  const prices = legs ? closeDebit(legs.short, legs.long) : null;
  if (!prices) return "unchanged";

  const after = await cancelAndLookUp(app, order, coid);
  if (!replaceable(after)) {
    if (after) await applyCloseOrder(app, position, after, now);
    return "settled";
  }
  await app.trades.update(coid, { status: "canceled", brokerOrderId: after.id }, now);
  const width = Math.abs(position.shortStrike - position.longStrike);
  const next = closeSpreadOrder({
    shortSymbol: position.shortSymbol,
    longSymbol: position.longSymbol,
    contracts: position.contracts,
    limitDebit: closeDebitAt(prices, step, app.config.risk.limitWalkSteps, width),
    clientOrderId: walkStepId(coid, step),
  });
  const limit = Number(next.limit_price);
  const closeWalk: WalkStep[] = [...walk, { step, price: limit, at: now }];
  if (
    !(await app.positions.setCloseOrder(
      position.id,
      coid,
      { closeClientOrderId: next.client_order_id, closeWalk },
      now,
    ))
  )
    return "unchanged";
  await app.trades.record({
    recommendationId: position.recommendationId,
    positionId: position.id,
    kind: "close",
    clientOrderId: next.client_order_id,
    symbol: position.symbol,
    contracts: position.contracts,
    limitPrice: limit,
    status: "submitted",
    submittedBy: "monitor",
    submittedAt: now,
    updatedAt: now,
  });
  const walked = (await app.positions.get(position.id)) ?? position;
  const outcome = await app.broker.submitOrder(next);
  switch (outcome.kind) {
    case "placed":
    case "already_submitted":
      await applyCloseOrder(app, walked, outcome.order, now);
      break;
    case "rejected":
      await app.trades.update(next.client_order_id, { status: "rejected" }, now);
      await app.positions.reopen(position.id, now);
      break;
    case "unknown":
      log.warn("walked close order status unknown", { positionId: position.id, ...errorFields(outcome.error) });
      break;
  }
  return "walked";
}
