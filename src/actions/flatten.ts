// Flatten: sell (or buy back) the shares an assignment or exercise left at Alpaca, with one
// order a person taps for. The same exactly-once path as Close: a conditional claim on the
// position (one tap wins), a client order id derived from the recommendation and the attempt,
// one market day order, never resent; an order that ends books what it traded, once.
import type { PositionRow } from "../../drizzle/schema";
import type { App } from "../app";
import type { BrokerOrder } from "../broker/port";
import { shareTradeFees } from "../domain/fees";
import { clientOrderId, flattenSharesOrder } from "../domain/orders";
import { orNull } from "./or-null";

export type FlattenClaim = { ok: true; position: PositionRow } | { ok: false; message: string };

export async function claimFlatten(
  app: App,
  positionId: number,
  userId: string,
  interactionId: string,
  now: number,
): Promise<FlattenClaim> {
  const position = await app.positions.get(positionId);
  if (!position) return { ok: false, message: `Position ${positionId} does not exist. Nothing was done.` };
  if (position.shares === 0)
    return { ok: false, message: `Position ${positionId} has no shares left to flatten. Nothing was done.` };
  const attempts = (await app.audit.forRecommendation(position.recommendationId)).filter(
    (a) => a.outcome === "flatten_claimed",
  ).length;
  const coid = clientOrderId(`${position.recommendationId}-${attempts + 1}`, "flat");
  const claimed = await app.positions.claimFlatten(position.id, coid, now);
  await app.audit.record({
    at: now,
    actor: userId,
    action: "close",
    recommendationId: position.recommendationId,
    positionId: position.id,
    interactionId,
    outcome: claimed ? "flatten_claimed" : "flatten_in_progress",
    detail: { shares: position.shares, symbol: position.symbol, clientOrderId: coid },
  });
  if (!claimed)
    return {
      ok: false,
      message: `The shares of position ${positionId} are already being flattened. Nothing more was done.`,
    };
  const after = await app.positions.get(position.id);
  return after ? { ok: true, position: after } : { ok: false, message: "The position vanished. Nothing was done." };
}

/** Sends the one order for a claimed flatten; returns the position and a note for its message. */
export async function placeFlattenOrder(
  app: App,
  position: PositionRow,
  userId: string,
  now: () => number,
): Promise<{ position: PositionRow; note: string | null }> {
  const coid = position.flattenClientOrderId;
  const release = async (note: string) => {
    if (coid) await app.positions.bookFlatten(position.id, coid, { shares: 0, price: null }, now());
    await app.audit.record({
      at: now(),
      actor: userId,
      action: "order_failed",
      recommendationId: position.recommendationId,
      positionId: position.id,
      outcome: "flatten_not_sent",
      detail: { note },
    });
    return { position: (await app.positions.get(position.id)) ?? position, note };
  };
  if (!coid) return release("The flatten had no client order id (a bug): nothing was sent.");

  const [clock, held] = await Promise.all([
    orNull(app.broker.clock(), "flatten: clock"),
    orNull(app.broker.positions(), "flatten: positions"),
  ]);
  if (!clock?.isOpen)
    return release("The market is closed (or its state unknown): nothing was sent. Tap again when it opens.");
  if (!held) return release("Alpaca's positions could not be read: nothing was sent. Try again in a minute.");
  const atBroker = held.find((p) => p.symbol === position.symbol)?.qty ?? 0;
  if (Math.sign(atBroker) !== Math.sign(position.shares) || Math.abs(atBroker) < Math.abs(position.shares))
    return release(
      `Alpaca holds ${atBroker} ${position.symbol} shares now, not the ${position.shares} this position left: nothing was sent. Check the account at Alpaca.`,
    );

  const order = flattenSharesOrder({ symbol: position.symbol, shares: position.shares, clientOrderId: coid });
  await app.audit.record({
    at: now(),
    actor: userId,
    action: "order_submitted",
    recommendationId: position.recommendationId,
    positionId: position.id,
    outcome: "flatten_sent",
    detail: { side: order.side, qty: order.qty, symbol: order.symbol, clientOrderId: coid },
  });
  const outcome = await app.broker.submitOrder(order);
  switch (outcome.kind) {
    case "placed":
    case "already_submitted": {
      const done = await applyFlattenOrder(app, position, outcome.order, now());
      const after = (await app.positions.get(position.id)) ?? position;
      return { position: after, note: done ? null : `Order working: ${order.side} ${order.qty} at the market.` };
    }
    case "rejected":
      return release(`Alpaca refused the order: ${outcome.error.message}`);
    case "unknown":
      return {
        position: (await app.positions.get(position.id)) ?? position,
        note: `Order status unknown (${outcome.error.message}); the bot is checking with Alpaca by client order id.`,
      };
  }
}

const ENDED = new Set(["filled", "canceled", "expired", "rejected", "done_for_day", "replaced"]);

/** Books a flatten order that ended (true); a working one is left for the monitor (false). */
export async function applyFlattenOrder(
  app: App,
  position: PositionRow,
  order: BrokerOrder,
  now: number,
): Promise<boolean> {
  if (!ENDED.has(order.status) || !position.flattenClientOrderId) return false;
  const traded = Math.sign(position.shares) * Math.min(order.filledQty, Math.abs(position.shares));
  // Long shares are sold, short ones bought back; a sale pays the SEC fee and FINRA's TAF too.
  const fees =
    order.filledAvgPrice === null
      ? 0
      : shareTradeFees({ side: traded > 0 ? "sell" : "buy", shares: traded, price: order.filledAvgPrice });
  await app.positions.bookFlatten(
    position.id,
    position.flattenClientOrderId,
    { shares: traded, price: order.filledAvgPrice, fees },
    now,
  );
  return true;
}
