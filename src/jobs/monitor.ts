// The monitor, every 5 minutes while the market is open:
//   expire stale recommendations · settle orders still working · book expirations · mark
//   positions and alert on exits (again while they hold) · warn on expiry day · trip breakers
//   on losses · reconcile our positions with the broker's.
// Each step stands alone: one failing (a quote missing) does not stop the others.

import type { PositionRow } from "../../drizzle/schema";
import { bookExpirations, type ExpiryBooking } from "../actions/book-expirations";
import { cancelAndLookUp, isCancelable } from "../actions/cancel-order";
import { claimClose, placeCloseOrder } from "../actions/close";
import { applyFlattenOrder } from "../actions/flatten";
import {
  refreshPositionMessage,
  refreshRecommendationMessage,
  refreshSharesMessage,
} from "../actions/refresh-messages";
import { breakerLimits, riskNumbers } from "../actions/risk-state";
import { applyCloseOrder, applyOpenOrder, type CloseResult } from "../actions/settle";
import type { App } from "../app";
import { noticeMessage } from "../discord/messages/notice";
import { exitAlertMessage, repeatedAlertMessage } from "../discord/messages/position-alert";
import { evaluateBreakers } from "../domain/breakers";
import { exitAlertPlan, expiryWarning } from "../domain/exit-alerts";
import { exitDecision } from "../domain/exits";
import { tradingDay } from "../domain/market-time";
import { parseOccSymbol } from "../domain/occ";
import { closeDebit } from "../domain/spread-pricing";
import { errorFields, log } from "../log";
import { recordSnapshot } from "../store/daily-snapshot";
import { finishStaleRuns } from "./stale-runs";

/** An order that has not reached the broker this long after its claim never will. */
const IN_FLIGHT_GRACE_MS = 2 * 60_000;

export interface MonitorReport {
  expired: number;
  settled: number;
  marked: number;
  exitAlerts: number;
  expiryWarnings: number;
  closed: number;
  /** Positions the broker settled on its own (expired, assigned, exercised), booked this run. */
  settledAtExpiry: ExpiryBooking[];
  breakerTripped: string[];
  reconciliation: string[];
  errors: string[];
}

export async function runMonitor(app: App, now: number): Promise<MonitorReport> {
  const report: MonitorReport = {
    expired: 0,
    settled: 0,
    marked: 0,
    exitAlerts: 0,
    expiryWarnings: 0,
    closed: 0,
    settledAtExpiry: [],
    breakerTripped: [],
    reconciliation: [],
    errors: [],
  };
  const steps: [string, () => Promise<void>][] = [
    ["expire", () => expireRecommendations(app, now, report)],
    ["settle opens", () => settleOpeningOrders(app, now, report)],
    ["settle closes", () => settleClosingOrders(app, now, report)],
    ["expirations", () => bookExpirationsStep(app, now, report)],
    ["flatten orders", () => settleFlattenOrders(app, now)],
    ["mark", () => markPositions(app, now, report)],
    ["expiry day", () => warnOnExpiryDay(app, now, report)],
    ["breakers", () => tripBreakers(app, now, report)],
    ["reconcile", () => reconcile(app, now, report)],
    ["stale runs", () => finishStaleRuns(app, now)],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (error) {
      log.error(`monitor step failed: ${name}`, errorFields(error));
      report.errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (report.errors.length === steps.length) throw new Error(`every monitor step failed: ${report.errors.join("; ")}`);
  return report;
}

async function expireRecommendations(app: App, now: number, report: MonitorReport): Promise<void> {
  const expired = await app.recommendations.expireDue(now);
  report.expired = expired.length;
  for (const rec of expired) await refreshRecommendationMessage(app, rec, now);
}

/** Approvals whose order is working, or whose submit response was lost, settled from the broker. */
async function settleOpeningOrders(app: App, now: number, report: MonitorReport): Promise<void> {
  const inFlight = await app.recommendations.withStatus(["approving", "submitted"]);
  const limitMs = app.config.risk.unfilledOrderMinutes * 60_000;
  for (const rec of inFlight) {
    const age = now - (rec.decidedAt ?? rec.updatedAt);
    if (rec.status === "approving" && age < IN_FLIGHT_GRACE_MS) continue;
    let order = await app.broker.orderByClientId(rec.clientOrderId);
    const unfilled = `Did not fill within ${app.config.risk.unfilledOrderMinutes} minutes at its limit; the bot canceled it.`;
    let reason: string | undefined;
    if (order && isCancelable(order) && age >= limitMs) {
      // An entry that did not fill in time is stale: cancel it rather than let it fill at an old price.
      order = await cancelAndLookUp(app, order, rec.clientOrderId);
      reason = unfilled;
    }
    // A cancel Alpaca confirmed on a later run (it was pending_cancel) still says why it was sent.
    if (!reason && order?.status === "canceled" && age >= limitMs) reason = unfilled;
    if (order) await applyOpenOrder(app, rec, order, now, reason);
    else if (rec.status === "approving") {
      await app.trades.update(rec.clientOrderId, { status: "canceled" }, now);
      await app.recommendations.transition(rec.id, ["approving"], "failed", now, {
        statusReason: "No order reached Alpaca (checked by client order id). Nothing was placed.",
      });
    } else continue;
    const after = await app.recommendations.get(rec.id);
    if (after && after.status !== rec.status) {
      report.settled++;
      await refreshRecommendationMessage(app, after, now);
    }
  }
}

async function settleClosingOrders(app: App, now: number, report: MonitorReport): Promise<void> {
  const closing = (await app.positions.active()).filter((p) => p.status === "closing" && p.closeClientOrderId);
  const limitMs = app.config.risk.unfilledOrderMinutes * 60_000;
  for (const position of closing) {
    const clientOrderId = position.closeClientOrderId ?? "";
    let order = await app.broker.orderByClientId(clientOrderId);
    let note: string | undefined;
    const sentAt = (await app.trades.byClientOrderId(clientOrderId))?.submittedAt ?? position.updatedAt;
    if (order && isCancelable(order) && now - sentAt >= limitMs) {
      // A close that did not fill is re-priced by a person, not left working at an old price.
      order = await cancelAndLookUp(app, order, clientOrderId);
      note = `The close did not fill within ${app.config.risk.unfilledOrderMinutes} minutes at its limit and was canceled. Tap Close to try again at the current price.`;
    }
    let result: CloseResult;
    if (order) result = await applyCloseOrder(app, position, order, now);
    else if (now - position.updatedAt >= IN_FLIGHT_GRACE_MS) {
      await app.positions.reopen(position.id, now);
      result = "reopened";
    } else continue;
    const after = await app.positions.get(position.id);
    if (!after) continue;
    if (result === "working" && after.contracts === position.contracts) continue;
    if (result === "closed") report.closed++;
    const opened = after.openedContracts ?? after.contracts;
    if (result === "reopened" && opened > after.contracts)
      note = `${note ?? "The close ended."} ${opened - after.contracts} of ${opened} closed; ${after.contracts} still open. Tap Close for the rest.`;
    await refreshPositionMessage(app, after, now, result === "reopened" ? note : undefined);
  }
}

/** Flatten orders still working, or whose submit response was lost, booked from the broker. */
async function settleFlattenOrders(app: App, now: number): Promise<void> {
  const flattening = (await app.positions.withShares()).filter((p) => p.flattenClientOrderId !== null);
  for (const position of flattening) {
    const coid = position.flattenClientOrderId ?? "";
    const order = await app.broker.orderByClientId(coid);
    let note: string | undefined;
    if (order) {
      if (!(await applyFlattenOrder(app, position, order, now))) continue;
    } else if (now - position.updatedAt >= IN_FLIGHT_GRACE_MS) {
      await app.positions.bookFlatten(position.id, coid, { shares: 0, price: null }, now);
      note = "No order reached Alpaca (checked by client order id). Nothing was sold or bought.";
    } else continue;
    const after = await app.positions.get(position.id);
    if (after) await refreshSharesMessage(app, after, note);
  }
}

async function bookExpirationsStep(app: App, now: number, report: MonitorReport): Promise<void> {
  report.settledAtExpiry = await bookExpirations(app, now);
}

async function markPositions(app: App, now: number, report: MonitorReport): Promise<void> {
  const open = (await app.positions.active()).filter((p) => p.status === "open");
  if (open.length === 0) return;
  const quotes = await app.broker.optionQuotes(open.flatMap((p) => [p.shortSymbol, p.longSymbol]));
  for (const position of open) {
    const short = quotes.get(position.shortSymbol);
    const long = quotes.get(position.longSymbol);
    const debit = short && long ? closeDebit(short, long) : null;
    const mark = debit?.mid ?? null;
    const unrealizedPl =
      mark === null ? null : Math.round((position.entryCredit - mark) * 100 * position.contracts * 100) / 100;
    await app.positions.mark(position.id, mark, unrealizedPl, now);
    report.marked++;
    const decision = exitDecision(position, { debitToClose: mark, underlyingPrice: null }, now, app.config.exits);
    if (decision.action !== "close") continue;
    const plan = exitAlertPlan(position, decision.trigger, now, app.config.alerts.realertMinutes);
    if (!plan.post) continue;
    const marked = { ...position, mark, unrealizedPl };
    const alert = exitAlertMessage(
      marked,
      decision,
      { mark, unrealizedPl },
      {
        repeat: plan.repeat,
        mention: plan.mention ? approvers(app) : null,
      },
    );
    const { id } = await app.discord.post(alert);
    await retireAlert(app, position);
    await app.positions.setExitAlert(position.id, decision.trigger, id, now);
    report.exitAlerts++;
  }
}

/**
 * Expiry day, from the warning time: a short leg in the money or within one expected move gets
 * an urgent alert that calls the approvers, repeated every EXIT_REALERT_MINUTES until closed;
 * with AUTO_CLOSE_ON_EXPIRY_DAY the bot sends the close itself instead.
 */
async function warnOnExpiryDay(app: App, now: number, report: MonitorReport): Promise<void> {
  const today = tradingDay(now);
  const expiring = (await app.positions.active()).filter((p) => p.status === "open" && p.expiration === today);
  if (expiring.length === 0) return;
  const { realertMinutes, expiryWarningTime, autoCloseOnExpiryDay } = app.config.alerts;
  const [prices, quotes] = await Promise.all([
    app.broker.underlyingQuotes([...new Set(expiring.map((p) => p.symbol))]),
    app.broker.optionQuotes(expiring.map((p) => p.shortSymbol)),
  ]);
  for (const position of expiring) {
    if (position.expiryAlertAt !== null && now - position.expiryAlertAt < realertMinutes * 60_000) continue;
    const price = prices.get(position.symbol)?.price;
    if (price === undefined) continue;
    const iv = quotes.get(position.shortSymbol)?.impliedVolatility ?? null;
    const warning = expiryWarning(position, price, iv, now, expiryWarningTime);
    if (!warning) continue;
    report.expiryWarnings++;
    if (autoCloseOnExpiryDay) {
      await closeAutomatically(app, position, warning.reason, now);
      continue;
    }
    const view = { mark: position.mark, unrealizedPl: position.unrealizedPl };
    const alert = exitAlertMessage(position, { trigger: "expiry_warning", reason: warning.reason }, view, {
      repeat: position.expiryAlertAt !== null,
      mention: approvers(app),
    });
    const { id } = await app.discord.post(alert);
    await retireAlert(app, position);
    await app.positions.setExpiryAlert(position.id, id, now);
  }
}

/** AUTO_CLOSE_ON_EXPIRY_DAY: the same claim and order as a person's Close, by "auto". */
async function closeAutomatically(app: App, position: PositionRow, reason: string, now: number): Promise<void> {
  const claim = await claimClose(app, position.id, "auto", `expiry-${position.id}-${now}`, now, "expiry_auto_close");
  if (!claim.ok) return;
  await app.positions.setExpiryAlert(position.id, position.exitAlertMessageId, now);
  await app.discord.post(
    noticeMessage(
      `Closing automatically: ${position.symbol} ${position.shortStrike}/${position.longStrike}`,
      `${reason}\nAUTO_CLOSE_ON_EXPIRY_DAY is on, so the bot is buying the spread back now.`,
      "danger",
    ),
  );
  // The position's own alert (with its Close button) becomes the closing/closed record.
  const { position: after, note } = await placeCloseOrder(app, claim.position, "auto", () => app.clock.now());
  await refreshPositionMessage(app, after, now, note ?? undefined);
}

/** The people an urgent alert calls: the allowed users and roles. */
const approvers = (app: App) => ({
  userIds: app.config.discord.allowedUserIds,
  roleIds: app.config.discord.allowedRoleIds,
});

/** The previous alert loses its Close button when a newer one is posted: one live button. */
async function retireAlert(app: App, position: PositionRow): Promise<void> {
  if (!position.exitAlertMessageId) return;
  try {
    const warnedLast = position.expiryAlertAt !== null && position.expiryAlertAt > (position.exitAlertAt ?? 0);
    const trigger = warnedLast ? "expiry_warning" : (position.exitAlert ?? "exit");
    await app.discord.edit(position.exitAlertMessageId, repeatedAlertMessage(position, trigger));
  } catch (error) {
    log.warn("could not retire the previous alert", { positionId: position.id, ...errorFields(error) });
  }
}

/** Losses trip the breaker (stored in D1, mirrored to KV) and say so in the channel. */
async function tripBreakers(app: App, now: number, report: MonitorReport): Promise<void> {
  const [numbers, stored, account] = await Promise.all([
    riskNumbers(app, now),
    app.breakers.read(),
    app.broker.account(),
    app.breakers.repairMirror(), // a mirror write that failed earlier is fixed here at the latest
  ]);
  await recordSnapshot(app.env.STATE, tradingDay(now), { ...numbers, equity: account.equity, at: now });
  const evaluated = evaluateBreakers(
    { manualHalt: null, equity: account.equity, dataAgeMs: 0, ...numbers },
    breakerLimits(app),
  );
  // Only losses trip the breaker; open-position and risk limits are checked at each approval.
  const trips = evaluated.reasons.filter((r) => r.code === "daily_loss" || r.code === "consecutive_losses");
  if (trips.length === 0 || stored.halted) return;
  const reasons = trips.map((r) => r.message);
  await app.breakers.halt(reasons, "auto", "monitor", now);
  report.breakerTripped = reasons;
  await app.discord.post(
    noticeMessage(
      "Circuit breaker tripped: no new trades",
      `${reasons.join("\n")}\nExits and closes still work. A person can /resume when ready.`,
      "danger",
    ),
  );
}

/**
 * The broker's book against ours, by quantity: every option leg the bot's open positions hold
 * (short -n, long +n) must be what Alpaca holds, and Alpaca must hold nothing else. A position
 * that disagrees is marked as needing attention (cleared when it agrees again); each problem is
 * posted once a day. A broker position the bot does not know is shown, never adopted.
 */
async function reconcile(app: App, now: number, report: MonitorReport): Promise<void> {
  const [theirs, ours, withShares] = await Promise.all([
    app.broker.positions(),
    app.positions.active(),
    app.positions.withShares(),
  ]);
  const held = new Map(theirs.filter((p) => p.qty !== 0).map((p) => [p.symbol, p.qty]));
  const expected = new Map<string, number>();
  for (const p of ours) {
    expected.set(p.shortSymbol, (expected.get(p.shortSymbol) ?? 0) - p.contracts);
    expected.set(p.longSymbol, (expected.get(p.longSymbol) ?? 0) + p.contracts);
  }
  // Shares that expirations left are on the bot's books too, until flattened.
  const shares = new Map<string, number>();
  for (const p of withShares) shares.set(p.symbol, (shares.get(p.symbol) ?? 0) + p.shares);
  const problems: string[] = [];
  for (const [symbol, qty] of held) {
    if (expected.has(symbol) || shares.has(symbol)) continue;
    problems.push(
      isOptionSymbol(symbol)
        ? `Alpaca holds ${qty} ${symbol}, which the bot did not open.`
        : `Alpaca holds ${qty} ${symbol} shares the bot's books do not explain (bought outside the bot?). The bot does not manage them.`,
    );
  }
  for (const [symbol, qty] of shares) {
    const atBroker = held.get(symbol) ?? 0;
    if (atBroker !== qty)
      problems.push(
        `Alpaca holds ${atBroker} ${symbol} shares; the bot's books say ${qty} from expirations (positions ${withShares
          .filter((p) => p.symbol === symbol)
          .map((p) => p.id)
          .join(", ")}). Traded outside the bot? Check the account at Alpaca.`,
      );
  }
  for (const p of ours) {
    const shortHeld = held.get(p.shortSymbol) ?? 0;
    const longHeld = held.get(p.longSymbol) ?? 0;
    const agrees = shortHeld === expected.get(p.shortSymbol) && longHeld === expected.get(p.longSymbol);
    const attention = agrees
      ? null
      : `Alpaca holds ${shortHeld} ${p.shortSymbol} and ${longHeld} ${p.longSymbol}; the bot's books say ${-p.contracts} and ${p.contracts}.`;
    if (attention !== p.attention) await app.positions.setAttention(p.id, attention, now);
    if (attention)
      problems.push(`Position ${p.id} (${p.symbol} ${p.shortStrike}/${p.longStrike}) needs attention: ${attention}`);
  }
  report.reconciliation = problems;
  const day = tradingDay(now);
  for (const problem of problems) {
    const key = `recon:${day}:${problem}`;
    if ((await app.env.STATE.get(key)) !== null) continue;
    await app.env.STATE.put(key, "1", { expirationTtl: 2 * 86_400 });
    await app.discord.post(noticeMessage("Positions disagree with Alpaca", problem, "warn"));
  }
}

const isOptionSymbol = (symbol: string) => parseOccSymbol(symbol).ok;
