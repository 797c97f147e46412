// The monitor, every 5 minutes while the market is open:
//   expire stale recommendations · settle orders still working · book expirations · book early
//   assignments · book closes made at Alpaca · mark positions and alert on exits (again while
//   they hold) · warn on expiry day · trip breakers on losses · reconcile our positions with the
//   broker's.
// Each step stands alone: one failing (a quote missing) does not stop the others.
// What the steps read (entries in flight, positions, the breaker state, the records its limits
// count) is read once, in the run's first D1 round trip (store/monitor-book.ts), and handed down;
// the positions are read again only after a step that may have changed them. The broker's account
// and positions are asked for beside that first read.

import type { PositionRow, RecommendationRow } from "../../drizzle/schema";
import { bookExpirations, type ExpiryBooking } from "../actions/book-expirations";
import { cancelAndLookUp, isCancelable } from "../actions/cancel-order";
import { bookClosesOutside } from "../actions/closed-outside";
import { bookEarlyAssignments } from "../actions/early-assignment";
import { applyFlattenOrder } from "../actions/flatten";
import {
  refreshPositionMessage,
  refreshRecommendationMessage,
  refreshSharesMessage,
} from "../actions/refresh-messages";
import { breakerLimits, riskDay, riskNumbersOf } from "../actions/risk-state";
import { applyCloseOrder, applyOpenOrder, type CloseResult } from "../actions/settle";
import { walkClose, walkEntry } from "../actions/walk-limit";
import type { App } from "../app";
import type { Account, BrokerOrder, BrokerPosition } from "../broker/port";
import { shortDate, walkPath } from "../discord/messages/format";
import { haltReasons, noticeMessage, RESUME_HINT } from "../discord/messages/notice";
import { evaluateBreakers } from "../domain/breakers";
import { assignedEarlyIds } from "../domain/broker-book";
import { type WalkAction, type WalkStep, walkAction } from "../domain/limit-walk";
import { tradingDay } from "../domain/market-time";
import { errorFields, log } from "../log";
import type { MonitorBook, PositionBook } from "../store/monitor-book";
import { type Mark, markAndAlert, warnOnExpiryDay } from "./position-alerts";
import { reconcile } from "./reconcile";
import { announceStaleRuns, STALE_RUN_REASON } from "./stale-runs";

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
  /** Short legs Alpaca assigned before their expiration, booked this run. */
  assignedEarly: number;
  /** Positions a person closed (in full or in part) at Alpaca, outside the bot, booked this run. */
  closedAtAlpaca: number;
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
    assignedEarly: 0,
    closedAtAlpaca: 0,
    breakerTripped: [],
    reconciliation: [],
    errors: [],
  };
  // The broker's account and positions are asked for at once, beside the run's D1 book, and
  // awaited by the steps that use them (a failed read fails only those steps): two round trips
  // fewer one after another, and the broker's book read at the moment ours is.
  const brokerAtOpening = {
    account: readEarly(app.broker.account()),
    positions: readEarly(app.broker.positions()),
  };
  // Without its book no step can work: the run fails, and run-job says so in the channel.
  const book = runBook(
    app,
    await app.monitorBook.open(now, riskDay(now), STALE_RUN_REASON),
    now,
    brokerAtOpening.positions,
  );
  // The breaker step's own round trips need nothing an earlier step changes: the KV mirror's
  // check against the state just read, and the day's equity as the opening read it. Started now,
  // they run beside the steps before it instead of one after another at its turn.
  const breakerIo: BreakerIo = {
    mirrorRepaired: readEarly(app.breakers.repairMirror({ stored: book.opening.breaker })),
    equityRecorded: readEarly(
      brokerAtOpening.account.then(async (account) => {
        await app.performance.recordIntradayEquity(tradingDay(now), account.equity, now);
        return account;
      }),
    ),
  };
  // A step updates the report itself or returns the figures it found.
  const steps: [string, () => Promise<unknown>][] = [
    ["expire", () => refreshExpired(app, now, book.opening.expired, report)],
    ["settle opens", () => settleOpeningOrders(app, now, book, report)],
    ["settle closes", () => settleClosingOrders(app, now, book, report)],
    ["expirations", () => bookExpirationsStep(app, now, book, report)],
    ["early assignments", () => earlyAssignmentStep(app, now, book)],
    ["closed at Alpaca", () => closedOutsideStep(app, now, book)],
    ["flatten orders", () => settleFlattenOrders(app, now, book)],
    ["mark", () => markStep(app, now, book)],
    ["expiry day", () => expiryDayStep(app, now, book)],
    ["breakers", () => tripBreakers(app, now, book, breakerIo, report)],
    [
      "reconcile",
      async () => ({ reconciliation: await reconcile(app, now, await book.positions(), book.brokerPositions()) }),
    ],
    ["stale runs", () => announceStaleRuns(app, book.opening.staleRuns)],
  ];
  for (const [name, step] of steps) {
    try {
      Object.assign(report, await step());
    } catch (error) {
      book.changed(); // it may have written part of its work: the next step reads the positions again
      log.error(`monitor step failed: ${name}`, errorFields(error));
      report.errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (report.errors.length === steps.length) throw new Error(`every monitor step failed: ${report.errors.join("; ")}`);
  return report;
}

/** A read started now and awaited later: its failure is the awaiting step's, never unhandled. */
function readEarly<T>(read: Promise<T>): Promise<T> {
  read.catch(() => {});
  return read;
}

/** The run's book: the opening read, and the positions as they are now. */
interface RunBook {
  opening: MonitorBook;
  /** The positions: as read, or read again when a step said it changed them. */
  positions(): Promise<PositionBook>;
  /** The broker's positions: as read at the opening, or read again if any step changed ours. */
  brokerPositions(): Promise<BrokerPosition[]>;
  /** A step changed (or may have changed) positions: the next reader reads them again. */
  changed(): void;
  /** The marks this run wrote, applied to the positions read (as markMany wrote them). */
  marked(marks: readonly Mark[]): void;
}

function runBook(app: App, opening: MonitorBook, now: number, brokerAtOpening: Promise<BrokerPosition[]>): RunBook {
  let current: PositionBook = opening;
  let stale = false;
  let changedSinceOpening = false;
  return {
    opening,
    async positions() {
      if (stale) {
        current = await app.monitorBook.positions(riskDay(now));
        stale = false;
      }
      return current;
    },
    brokerPositions: () => (changedSinceOpening ? app.broker.positions() : brokerAtOpening),
    changed() {
      stale = true;
      changedSinceOpening = true;
    },
    marked(marks) {
      const byId = new Map(marks.map((m) => [m.id, m]));
      const active = current.active.map((p) => {
        const m = byId.get(p.id);
        return m ? { ...p, mark: m.mark, unrealizedPl: m.unrealizedPl, markedAt: now, updatedAt: now } : p;
      });
      current = { ...current, active };
    },
  };
}

/** The recommendations the opening read expired: their cards say so. */
async function refreshExpired(
  app: App,
  now: number,
  expired: readonly RecommendationRow[],
  report: MonitorReport,
): Promise<void> {
  report.expired = expired.length;
  for (const rec of expired) await refreshRecommendationMessage(app, rec, now);
}

/** The walk's timing for an order working since `firstSentAt`, its current step sent at `lastSentAt`. */
function walkNow(
  app: App,
  walk: readonly WalkStep[] | null,
  order: BrokerOrder,
  firstSentAt: number,
  now: number,
): WalkAction {
  const current = walk?.at(-1);
  return walkAction(
    {
      step: current?.step ?? 0,
      sentAt: current?.at ?? firstSentAt,
      partlyFilled: order.filledQty > 0,
      workingSince: walk?.[0]?.at ?? firstSentAt,
    },
    now,
    { steps: app.config.risk.limitWalkSteps, unfilledMinutes: app.config.risk.unfilledOrderMinutes },
  );
}

/** "Did not fill within 15 minutes (limit walked $1.05 → $1.03 → $1.00 credit)". */
function unfilledFor(app: App, walk: readonly WalkStep[] | null, side: "credit" | "debit"): string {
  const path = walk && walk.length > 1 ? ` (limit walked ${walkPath(walk)} ${side})` : " at its limit";
  return `${app.config.risk.unfilledOrderMinutes} minutes${path}`;
}

/**
 * Approvals whose order is working, or whose submit response was lost, settled from the broker.
 * A working entry walks its limit one step per share of the unfilled time, then is canceled.
 */
async function settleOpeningOrders(app: App, now: number, book: RunBook, report: MonitorReport): Promise<void> {
  const limitMs = app.config.risk.unfilledOrderMinutes * 60_000;
  for (const rec of book.opening.inFlight) {
    const decidedAt = rec.decidedAt ?? rec.updatedAt;
    const age = now - decidedAt;
    if (rec.status === "approving" && age < IN_FLIGHT_GRACE_MS) continue;
    book.changed(); // an entry that filled opens (or grows) a position
    let order = await app.broker.orderByClientId(rec.clientOrderId);
    const unfilled = `Did not fill within ${unfilledFor(app, rec.limitWalk, "credit")}; the bot canceled it.`;
    let reason: string | undefined;
    if (order && isCancelable(order)) {
      const action = rec.status === "submitted" ? walkNow(app, rec.limitWalk, order, decidedAt, now) : "wait";
      if (action === "walk") {
        if ((await walkEntry(app, rec, order, now)) !== "unchanged") await refreshIfChanged(app, rec, now, report);
        continue;
      }
      if (action === "cancel" || age >= limitMs) {
        // An entry that did not fill in time is stale: cancel it rather than let it fill at an old price.
        order = await cancelAndLookUp(app, order, rec.clientOrderId);
        reason = unfilled;
      }
    }
    // A cancel Alpaca confirmed on a later run (it was pending_cancel) still says why it was sent.
    if (!reason && order?.status === "canceled" && age >= limitMs) reason = unfilled;
    const walkStepSentAt = (rec.limitWalk?.length ?? 0) > 1 ? (rec.limitWalk?.at(-1)?.at ?? decidedAt) : null;
    if (order) await applyOpenOrder(app, rec, order, now, reason);
    else if (rec.status === "approving") {
      await app.trades.update(rec.clientOrderId, { status: "canceled" }, now);
      // Only from approving: an entry the approval moved to submitted meanwhile has its order.
      await app.recommendations.transition(
        rec.id,
        "failed",
        now,
        { statusReason: "No order reached Alpaca (checked by client order id). Nothing was placed." },
        ["approving"],
      );
    } else if (walkStepSentAt !== null && now - walkStepSentAt >= IN_FLIGHT_GRACE_MS) {
      // A walk step whose submit answer was lost and that Alpaca never got: nothing is working.
      await app.trades.update(rec.clientOrderId, { status: "canceled" }, now);
      await app.recommendations.transition(
        rec.id,
        "failed",
        now,
        {
          statusReason:
            "The walked order did not reach Alpaca (checked by client order id). Nothing is working; nothing was opened.",
        },
        ["submitted"],
      );
    } else continue;
    await refreshIfChanged(app, rec, now, report);
  }
}

async function refreshIfChanged(app: App, rec: RecommendationRow, now: number, report: MonitorReport): Promise<void> {
  const after = await app.recommendations.get(rec.id);
  if (!after || (after.status === rec.status && after.clientOrderId === rec.clientOrderId)) return;
  if (after.status !== rec.status) report.settled++;
  await refreshRecommendationMessage(app, after, now);
}

async function settleClosingOrders(app: App, now: number, book: RunBook, report: MonitorReport): Promise<void> {
  const closing = (await book.positions()).active.filter((p) => p.status === "closing" && p.closeClientOrderId);
  if (closing.length > 0) book.changed();
  for (const position of closing) {
    const clientOrderId = position.closeClientOrderId ?? "";
    let order = await app.broker.orderByClientId(clientOrderId);
    let note: string | undefined;
    const sentAt = (await app.trades.byClientOrderId(clientOrderId))?.submittedAt ?? position.updatedAt;
    if (order && isCancelable(order)) {
      const action = walkNow(app, position.closeWalk, order, sentAt, now);
      if (action === "walk") {
        if ((await walkClose(app, position, order, now)) === "unchanged") continue;
        const after = await app.positions.get(position.id);
        if (after) await refreshPositionMessage(app, after, now, after.status === "open" ? WALK_REFUSED : undefined);
        continue;
      }
      if (action === "cancel") {
        // A close that did not fill is re-priced by a person, not left working at an old price.
        order = await cancelAndLookUp(app, order, clientOrderId);
        note = `The close did not fill within ${unfilledFor(app, position.closeWalk, "debit")} and was canceled. Tap Close to try again at the current price.`;
      }
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

const WALK_REFUSED = "Alpaca refused the close's next price; nothing is working. Tap Close to try again.";

/** Flatten orders still working, or whose submit response was lost, booked from the broker. */
async function settleFlattenOrders(app: App, now: number, book: RunBook): Promise<void> {
  const flattening = (await book.positions()).withShares.filter((p) => p.flattenClientOrderId !== null);
  if (flattening.length > 0) book.changed();
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

async function bookExpirationsStep(app: App, now: number, book: RunBook, report: MonitorReport): Promise<void> {
  const { active, assignedEarly } = await book.positions();
  report.settledAtExpiry = await bookExpirations(app, now, active, assignedEarly);
  if (report.settledAtExpiry.length > 0) book.changed();
}

async function earlyAssignmentStep(app: App, now: number, book: RunBook): Promise<{ assignedEarly: number }> {
  const assignedEarly = await bookEarlyAssignments(app, now, await book.positions(), book.brokerPositions());
  if (assignedEarly > 0) book.changed();
  return { assignedEarly };
}

/** Spreads a person closed at Alpaca, outside the bot, booked before anything marks or alerts on them. */
async function closedOutsideStep(app: App, now: number, book: RunBook): Promise<{ closedAtAlpaca: number }> {
  const closedAtAlpaca = await bookClosesOutside(app, now, await book.positions(), book.brokerPositions());
  if (closedAtAlpaca > 0) book.changed();
  return { closedAtAlpaca };
}

/** The positions whose spread is whole: one whose short leg was assigned early is neither marked nor alerted on. */
function wholeSpreads({ active, assignedEarly }: PositionBook): PositionRow[] {
  const assigned = assignedEarlyIds(assignedEarly);
  return active.filter((p) => !assigned.has(p.id));
}

/** Marks the open positions (the run's book takes the marks) and posts the exit alerts due. */
async function markStep(app: App, now: number, book: RunBook): Promise<{ marked: number; exitAlerts: number }> {
  const { marks, ...counts } = await markAndAlert(app, now, wholeSpreads(await book.positions()));
  book.marked(marks);
  if (counts.exitAlerts > 0) book.changed(); // an alert posted is recorded on its position
  return counts;
}

async function expiryDayStep(app: App, now: number, book: RunBook): Promise<{ expiryWarnings: number }> {
  const expiryWarnings = await warnOnExpiryDay(app, now, wholeSpreads(await book.positions()));
  if (expiryWarnings > 0) book.changed();
  return { expiryWarnings };
}

/** The breaker step's round trips, started at the opening (runMonitor). */
interface BreakerIo {
  /** A mirror write that failed earlier is fixed here at the latest. */
  mirrorRepaired: Promise<boolean>;
  /** The account at the opening, once its equity is recorded as the day's intraday equity. */
  equityRecorded: Promise<Account>;
}

/** Losses trip the breaker (stored in D1, mirrored to KV) and say so in the channel. */
async function tripBreakers(app: App, now: number, book: RunBook, io: BreakerIo, report: MonitorReport): Promise<void> {
  const stored = book.opening.breaker;
  const [positions, account] = await Promise.all([book.positions(), io.equityRecorded, io.mirrorRepaired]);
  const evaluated = evaluateBreakers(
    {
      manualHalt: null,
      equity: account.equity,
      dataAgeMs: 0,
      ...riskNumbersOf(positions, app.config.fees, now),
    },
    breakerLimits(app),
  );
  // Only losses trip the breaker (the daily one counts the open positions at the marks this run
  // just took); open-position and risk limits are checked at each approval, and so is a daily
  // loss that cannot be measured for want of a mark (a missing quote is not a loss to /resume).
  const trips = evaluated.reasons.filter((r) => r.code === "daily_loss" || r.code === "consecutive_losses");
  if (trips.length === 0 || stored.halted) return;
  // Stored until a person resumes, maybe days later: the loss names its day.
  const day = shortDate(tradingDay(now), now);
  const reasons = trips.map((r) => (r.code === "daily_loss" ? `${day}: ${r.message}` : r.message));
  await app.breakers.halt(reasons, "auto", "monitor", now);
  report.breakerTripped = reasons;
  await app.discord.post(
    noticeMessage("Circuit breaker tripped: no new trades", `${haltReasons(reasons)}\n${RESUME_HINT}`, "danger"),
  );
}
