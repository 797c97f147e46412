// Close: buy the spread back. The same exactly-once path as an approval: a conditional claim
// (open → closing) with a client order id derived from the recommendation and the attempt, then
// one order. Breakers never block a close; a closed market does (a day order would wait at a
// stale price), and then the position is open again with the reason shown.
import type { PositionRow } from "../../drizzle/schema";
import type { App } from "../app";
import { earlyAssignmentNote } from "../discord/messages/early-assignment";
import { exitAlertMessage } from "../discord/messages/position-alert";
import { closeDebitAt } from "../domain/limit-walk";
import { clientOrderId, closeSpreadOrder } from "../domain/orders";
import { closeDebit } from "../domain/spread-pricing";
import { orNull } from "./or-null";
import { retireAlert } from "./refresh-messages";
import { applyCloseOrder } from "./settle";

export type CloseClaim = { ok: true; position: PositionRow } | { ok: false; message: string };

export async function claimClose(
  app: App,
  positionId: number,
  userId: string,
  interactionId: string,
  now: number,
  reason?: string,
): Promise<CloseClaim> {
  const position = await app.positions.get(positionId);
  if (!position) return { ok: false, message: `Position ${positionId} does not exist. Nothing was done.` };
  if (position.status !== "open")
    return { ok: false, message: `Position ${positionId} is already ${position.status}. Nothing more was done.` };
  const [trades, assigned] = await Promise.all([
    app.trades.forRecommendation(position.recommendationId),
    assignedEarlyNote(app, position, now),
  ]);
  if (assigned) return { ok: false, message: `Nothing was sent. ${assigned}` };
  const attempt = trades.filter((t) => t.kind === "close").length + 1;
  const coid = clientOrderId(`${position.recommendationId}-${attempt}`, "close");
  const claimed = await app.positions.claimForClose(position.id, coid, reason ?? position.exitAlert ?? "manual", now);
  await app.audit.record({
    at: now,
    actor: userId,
    action: "close",
    recommendationId: position.recommendationId,
    positionId: position.id,
    interactionId,
    outcome: claimed ? "claimed" : "not_open",
    detail: { mark: position.mark, unrealizedPl: position.unrealizedPl, clientOrderId: coid },
  });
  if (!claimed) return { ok: false, message: `Position ${positionId} is already being closed. Nothing more was done.` };
  const after = await app.positions.get(position.id);
  return after ? { ok: true, position: after } : { ok: false, message: "The position vanished. Nothing was done." };
}

/** Sends the closing order for a claimed position; returns the position and a note for the message. */
export async function placeCloseOrder(
  app: App,
  position: PositionRow,
  userId: string,
  now: () => number,
): Promise<{ position: PositionRow; note: string | null }> {
  const reopen = async (note: string) => {
    await app.positions.reopen(position.id, now());
    await app.audit.record({
      at: now(),
      actor: userId,
      action: "order_failed",
      recommendationId: position.recommendationId,
      positionId: position.id,
      outcome: "close_not_sent",
      detail: { note },
    });
    return { position: (await app.positions.get(position.id)) ?? position, note };
  };
  const coid = position.closeClientOrderId;
  if (!coid) return reopen("The close had no client order id (a bug): nothing was sent.");

  const [clock, quotes, held] = await Promise.all([
    orNull(app.broker.clock(), "close: clock"),
    orNull(app.broker.optionQuotes([position.shortSymbol, position.longSymbol]), "close: leg quotes"),
    orNull(app.broker.positions(), "close: positions"),
  ]);
  if (!clock?.isOpen)
    return reopen("The market is closed (or its state unknown): nothing was sent. Tap Close again when it opens.");
  // A spread order buys back a short leg Alpaca must still hold: one assigned before the monitor
  // booked it is gone, and Alpaca would refuse the order (the monitor then says what happened).
  // The legs unreadable, the order goes: a close takes risk off, and Alpaca checks the intents.
  const shortHeld = held?.find((p) => p.symbol === position.shortSymbol)?.qty ?? (held ? 0 : null);
  if (shortHeld !== null && -shortHeld < position.contracts)
    return reopen(
      `Alpaca holds ${-shortHeld} of the ${position.contracts} short ${position.shortSymbol} this close would buy back (closed at Alpaca, or assigned early?): nothing was sent. The next monitor run books a close made at Alpaca, or says what Alpaca holds.`,
    );
  const short = quotes?.get(position.shortSymbol);
  const long = quotes?.get(position.longSymbol);
  const debit = short && long ? closeDebit(short, long) : null;
  if (!debit) return reopen("No quotes for the legs right now: nothing was sent. Try again in a minute.");

  // From the mid, walking toward the natural debit (pay the ask, receive the bid) while it does
  // not fill; never more than the width. With no walk it goes at the natural, which fills now.
  const width = Math.abs(position.shortStrike - position.longStrike);
  const order = closeSpreadOrder({
    shortSymbol: position.shortSymbol,
    longSymbol: position.longSymbol,
    contracts: position.contracts,
    limitDebit: closeDebitAt(debit, 0, app.config.risk.limitWalkSteps, width),
    clientOrderId: coid,
  });
  const closeWalk = [{ step: 0, price: Number(order.limit_price), at: now() }];
  await app.positions.setCloseOrder(position.id, coid, { closeClientOrderId: coid, closeWalk }, now());
  await app.trades.record({
    recommendationId: position.recommendationId,
    positionId: position.id,
    kind: "close",
    clientOrderId: coid,
    symbol: position.symbol,
    contracts: position.contracts,
    limitPrice: Number(order.limit_price),
    status: "submitted",
    submittedBy: userId,
    submittedAt: now(),
    updatedAt: now(),
  });
  const outcome = await app.broker.submitOrder(order);
  switch (outcome.kind) {
    case "placed":
    case "already_submitted": {
      const result = await applyCloseOrder(app, position, outcome.order, now());
      const after = (await app.positions.get(position.id)) ?? position;
      const closedPart = position.contracts - after.contracts;
      const part = closedPart > 0 && result !== "closed" ? `${closedPart} of ${position.contracts} closed; ` : "";
      return {
        position: after,
        note: result === "working" ? `${part}Order working at ${order.limit_price} debit.` : null,
      };
    }
    case "rejected":
      await app.trades.update(coid, { status: "rejected" }, now());
      return reopen(`Alpaca refused the close: ${outcome.error.message}`);
    case "unknown":
      return {
        position: (await app.positions.get(position.id)) ?? position,
        note: `Order status unknown (${outcome.error.message}); the bot is checking with Alpaca by client order id.`,
      };
  }
}

/**
 * Why a position cannot be closed as a spread, when its short leg was assigned early: the note
 * that says what Alpaca holds and what to do; null when it was not. A spread order for a short
 * leg Alpaca no longer holds would be refused, or open a new position.
 */
export async function assignedEarlyNote(app: App, position: PositionRow, now: number): Promise<string | null> {
  const assigned = await app.brokerActivities.assignedEarly(position.id);
  return assigned ? earlyAssignmentNote(position, assigned, now) : null;
}

/**
 * /close: the position's card with its Close button, posted in the channel, for a close no exit
 * rule asked for. It becomes the position's message (the older alert's button retired), so the
 * close's progress is edited onto it as onto an alert.
 */
export async function postCloseCard(app: App, position: PositionRow, userId: string, now: number): Promise<void> {
  const card = exitAlertMessage(
    position,
    { trigger: "close_requested", reason: `<@${userId}> asked to close it before any exit rule said so.` },
    { mark: position.mark, unrealizedPl: position.unrealizedPl },
  );
  const { id } = await app.discord.post(card);
  await retireAlert(app, position);
  await app.positions.trackMessage(position.id, id, now);
}
