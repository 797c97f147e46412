// Approve: claim, recheck, place exactly one order, record it.
//
// 1. claimApproval (inline, before the first response): one conditional UPDATE moves the
//    recommendation from pending (and unexpired) to approving. Only one click can win, and only
//    while the entry fits the open-position and total-risk limits beside everything open and in
//    flight and trading is not halted; otherwise it stays pending (approvable after /resume or
//    once there is room) and the clicker is told why. One D1 round trip and
//    nothing else: the click's replay refusal, the claim (with the equity it needs) and its audit
//    row are one atomic batch.
// 2. placeApprovedOrder (after the response, in waitUntil): reads the market, the account and
//    both breaker stores; the core's recheck decides (the limits again, on the fresh equity);
//    then one mleg order with the client order id derived from the recommendation. A lost
//    response is resolved by lookup, never by a second submit. Every path ends in a status
//    with a reason the message shows.
import type { RecommendationRow } from "../../drizzle/schema";
import type { App } from "../app";
import { ALREADY_HANDLED } from "../discord/responses";
import { lowestAcceptableCredit, overLimitMessage, recheckApproval } from "../domain/approval";
import { entryCreditAt } from "../domain/limit-walk";
import { openSpreadOrder } from "../domain/orders";
import { quotesAsOf } from "../domain/screener";
import { entryPrices } from "../domain/spread-pricing";
import { readBreakersForEntry } from "./breaker-check";
import { orNull } from "./or-null";
import { applyOpenOrder } from "./settle";

/**
 * `replay`: the interaction was handled before. `unaudited`: refused before the batch wrote an
 * audit row (no such recommendation, another message's button, a size it does not offer).
 */
export type ClaimResult =
  | { ok: true; rec: RecommendationRow }
  | { ok: false; message: string; replay?: true; unaudited?: true };

export const NOT_ITS_MESSAGE = "That button does not belong to this message. Nothing was done.";

/**
 * A recommendation's buttons live on its own message only. A click carrying another message's
 * recommendation id (which Discord never sends) acts on nothing. Before the scan records the
 * message id (a click during the scan), there is nothing to compare, and the click counts.
 */
export function clickedOnItsMessage(rec: RecommendationRow, messageId: string | null): boolean {
  return messageId === null || rec.discordMessageId === null || rec.discordMessageId === messageId;
}

/**
 * `seenAt` (the wall-clock ms the request came at) when the router left the replay refusal to
 * this claim: the interaction id is recorded in the claim's own batch, and a replay acts on
 * nothing and answers ALREADY_HANDLED.
 */
export async function claimApproval(
  app: App,
  recId: string,
  contracts: number,
  userId: string,
  interactionId: string,
  now: number,
  messageId: string | null = null,
  seenAt: number | null = null,
): Promise<ClaimResult> {
  const limits = {
    maxOpenPositions: app.config.risk.maxOpenPositions,
    maxTotalRiskPct: app.config.risk.maxTotalRiskPct,
  };
  // Replay refusal, claim, limits, halt and audit in one atomic round trip, with nothing before
  // it: the equity the risk limit is a share of is read in the batch (the monitor's latest, else
  // the last end-of-day equity; the recheck reads the account). The audit row says claimed,
  // halted, over_limit or not_claimed, with the row's prices and the numbers the limits were
  // checked on. The row is not read first: the batch reads it back, and says why a click
  // claimed nothing. (A halt the claim misses, one seen only in KV's mirror or one that lands
  // after it, is the recheck's: that refusal ends the entry, since its claim was already made.)
  const claim = await app.recommendations.claimForApprovalAudited(
    recId,
    userId,
    contracts,
    now,
    limits,
    { at: now, actor: userId, action: "approve", recommendationId: recId, interactionId },
    { messageId, ...(seenAt === null ? {} : { seen: { interactionId, seenAt } }) },
  );
  if (claim.outcome === "replay") return { ok: false, message: ALREADY_HANDLED, replay: true };
  const rec = claim.row;
  if (!rec)
    return { ok: false, message: "This recommendation does not exist (any more). Nothing was done.", unaudited: true };
  if (!clickedOnItsMessage(rec, messageId)) return { ok: false, message: NOT_ITS_MESSAGE, unaudited: true };
  if (contracts < 1 || contracts > rec.maxContracts)
    return {
      ok: false,
      message: `${contracts} contracts is not an offered size (1 to ${rec.maxContracts}).`,
      unaudited: true,
    };
  if (claim.outcome === "halted")
    return {
      ok: false,
      message: `Trading is halted: ${(claim.haltReasons ?? []).join("; ") || "no reason recorded"}. Nothing was done; the idea stays open until it expires. After /resume, tap Approve again.`,
    };
  if (claim.outcome === "over_limit" && claim.load)
    return {
      ok: false,
      message: overLimitMessage(claim.load, { maxLossPerContract: rec.maxLoss, contracts }, claim.load.equity, limits),
    };
  if (!claim.claimed) return { ok: false, message: alreadyHandled(rec, now) };
  return { ok: true, rec };
}

export function alreadyHandled(rec: RecommendationRow, now: number): string {
  if (rec.status === "pending" && rec.expiresAt <= now) return "This recommendation has expired. Nothing was done.";
  const by = rec.decidedBy ? ` by <@${rec.decidedBy}>` : "";
  switch (rec.status) {
    case "approving":
    case "submitted":
    case "filled":
      return `Already approved${by}: one order only. Nothing more was done.`;
    case "rejected":
      return `Already rejected${by}. Nothing was done.`;
    case "expired":
      return "This recommendation has expired. Nothing was done.";
    default:
      return `This recommendation is ${rec.status}${rec.statusReason ? `: ${rec.statusReason}` : ""}. Nothing was done.`;
  }
}

/** Rechecks and places the order for a claimed recommendation; returns it as it ends up. */
export async function placeApprovedOrder(
  app: App,
  rec: RecommendationRow,
  userId: string,
  now: () => number,
): Promise<RecommendationRow> {
  const { broker, config } = app;
  const [clock, underlying, legs, account] = await Promise.all([
    orNull(broker.clock(), "clock"),
    orNull(broker.underlyingQuote(rec.symbol), "underlying quote"),
    orNull(broker.optionQuotes([rec.shortSymbol, rec.longSymbol]), "leg quotes"),
    orNull(broker.account(), "account"),
  ]);
  // The limits again, on the fresh equity, counting the other entries in flight and this one.
  const breakers = await readBreakersForEntry(app, {
    now: now(),
    equity: account?.equity ?? null,
    // A price without a time is of unknown age: null, which the stale-data breaker refuses.
    dataAgeMs: !underlying || underlying.asOf === null ? null : Math.max(0, now() - underlying.asOf),
    entry: { recommendationId: rec.id, risk: rec.maxLoss * rec.contracts },
  });
  const short = legs?.get(rec.shortSymbol);
  const long = legs?.get(rec.longSymbol);
  // Priced the way the screener priced it: the fillable estimate between mid and natural.
  const pricesNow = short && long ? entryPrices(short, long, config.strategy.fillTowardNatural) : null;
  const creditNow = pricesNow?.fillable ?? null;
  const quotesAt = short && long ? quotesAsOf({ short, long }) : null;
  const seen = { underlyingNow: underlying?.price ?? null, creditNow, midNow: pricesNow?.mid ?? null, quotesAt };

  const settings = {
    maxDriftPct: config.risk.maxDriftPct,
    dteMin: config.strategy.dteMin,
    dteMax: config.strategy.dteMax,
    minCreditToWidth: config.strategy.minCreditToWidth,
    maxCreditSlipOfWidth: config.risk.maxCreditSlipOfWidth,
    maxQuoteAgeSeconds: config.strategy.maxQuoteAgeSeconds,
  };
  const decision = recheckApproval({
    rec,
    contracts: rec.contracts,
    now: now(),
    marketOpen: clock?.isOpen ?? null,
    underlyingNow: seen.underlyingNow,
    creditNow,
    quotesAt,
    breakers,
    blackoutDates: config.events.blackoutDates,
    buyingPower: account?.optionsBuyingPower ?? null,
    optionsLevel: account?.optionsLevel ?? null,
    settings,
  });
  if (!decision.ok) {
    const reason = decision.reasons.map((r) => r.message).join("; ");
    await app.recommendations.transition(rec.id, "refused", now(), { statusReason: reason });
    await app.audit.record({
      at: now(),
      actor: userId,
      action: "refuse",
      recommendationId: rec.id,
      outcome: "refused",
      detail: { reasons: decision.reasons, ...seen },
    });
    return (await app.recommendations.get(rec.id)) ?? rec;
  }

  // The order starts at the fresh mid and walks toward the fillable estimate while unfilled
  // (the monitor's job), never below the lowest credit this recheck accepts.
  const floor = lowestAcceptableCredit(rec, settings);
  const order = openSpreadOrder({
    strategy: rec.strategy,
    shortSymbol: rec.shortSymbol,
    longSymbol: rec.longSymbol,
    contracts: rec.contracts,
    limitCredit: pricesNow ? entryCreditAt(pricesNow, 0, config.risk.limitWalkSteps, floor) : rec.credit,
    clientOrderId: rec.clientOrderId,
  });
  const limit = Number(order.limit_price);
  // Recorded before the submit: if the isolate dies mid-call, the trade row says an order may exist.
  await app.recommendations.recordEntryPrice(
    rec.id,
    { limitPrice: limit, limitWalk: [{ step: 0, price: Math.abs(limit), at: now() }], limitFloor: floor },
    now(),
  );
  await app.trades.record({
    recommendationId: rec.id,
    kind: "open",
    clientOrderId: rec.clientOrderId,
    symbol: rec.symbol,
    contracts: rec.contracts,
    limitPrice: limit,
    status: "submitted",
    submittedBy: userId,
    submittedAt: now(),
    updatedAt: now(),
  });
  const outcome = await broker.submitOrder(order);
  const at = now();
  const auditFailure = (code: string, message: string) =>
    app.audit.record({
      at,
      actor: userId,
      action: "order_failed",
      recommendationId: rec.id,
      outcome: code,
      detail: { message, limit, ...seen },
    });
  switch (outcome.kind) {
    case "placed":
    case "already_submitted":
      await applyOpenOrder(app, rec, outcome.order, at);
      await app.audit.record({
        at,
        actor: userId,
        action: "order_submitted",
        recommendationId: rec.id,
        outcome: outcome.kind,
        detail: { brokerOrderId: outcome.order.id, limit, status: outcome.order.status, ...seen },
      });
      break;
    case "rejected":
      await app.trades.update(rec.clientOrderId, { status: "rejected" }, at);
      // Only from approving: this approval holds the claim; a submitted entry is the monitor's.
      await app.recommendations.transition(
        rec.id,
        "failed",
        at,
        { statusReason: `Alpaca refused the order: ${outcome.error.message}`, limitPrice: limit },
        ["approving"],
      );
      await auditFailure(outcome.error.code, outcome.error.message);
      break;
    case "unknown":
      // Not knowing is not failing: the order may exist. Stay in approving (no second submit can
      // happen from there) and let the monitor look it up by client order id.
      await app.recommendations.noteStatus(rec.id, "approving", at, {
        statusReason: `Order status unknown (${outcome.error.message}). The bot is checking with Alpaca by its client order id; do not place it by hand.`,
        limitPrice: limit,
      });
      await auditFailure("unknown", outcome.error.message);
      break;
  }
  return (await app.recommendations.get(rec.id)) ?? rec;
}
