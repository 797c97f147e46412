// Alerts that follow an open position: exit alerts at the mark, posted again while they hold
// (a stop calls the approvers), and the urgent expiry-day warning (or the automatic close).
// The newest alert carries the only live Close button; an older one is retired.
import type { PositionRow } from "../../drizzle/schema";
import { claimClose, placeCloseOrder } from "../actions/close";
import { refreshPositionMessage, retireAlert } from "../actions/refresh-messages";
import type { App } from "../app";
import { noticeMessage } from "../discord/messages/notice";
import { exitAlertMessage } from "../discord/messages/position-alert";
import { exitAlertPlan, expiryWarning } from "../domain/exit-alerts";
import { exitDecision } from "../domain/exits";
import { closedSpreadPl } from "../domain/fees";
import { tradingDay } from "../domain/market-time";
import { closeDebit } from "../domain/spread-pricing";

/** A position's mark as the monitor wrote it. */
export interface Mark {
  id: number;
  mark: number | null;
  unrealizedPl: number | null;
}

/**
 * Marks every open position of `active` at the mid and posts the exit alerts that are due (again,
 * too), judged on the natural debit a close would pay. Returns the marks it wrote.
 */
export async function markAndAlert(
  app: App,
  now: number,
  active: readonly PositionRow[],
): Promise<{ marked: number; exitAlerts: number; marks: Mark[] }> {
  const counts = { marked: 0, exitAlerts: 0, marks: [] as Mark[] };
  const open = active.filter((p) => p.status === "open");
  if (open.length === 0) return counts;
  const quotes = await app.broker.optionQuotes(open.flatMap((p) => [p.shortSymbol, p.longSymbol]));
  const marked = open.map((position) => {
    const short = quotes.get(position.shortSymbol);
    const long = quotes.get(position.longSymbol);
    const debit = short && long ? closeDebit(short, long) : null;
    const mark = debit?.mid ?? null;
    // What closing at the mark would book: the fees of the entry and of the close out.
    const unrealizedPl =
      mark === null ? null : closedSpreadPl(position.entryCredit, mark, position.contracts, app.config.fees);
    return { position, debit, mark, unrealizedPl };
  });
  // Every mark in one D1 round trip, before any alert is posted.
  counts.marks = marked.map(({ position, mark, unrealizedPl }) => ({ id: position.id, mark, unrealizedPl }));
  await app.positions.markMany(counts.marks, now);
  counts.marked = marked.length;
  for (const { position, debit, mark, unrealizedPl } of marked) {
    // Exits are judged on what the close would pay (the natural); the mark stays the mid.
    const decision = exitDecision(
      position,
      { debitToClose: debit?.natural ?? null, midDebit: mark, underlyingPrice: null },
      now,
      app.config.exits,
    );
    if (decision.action !== "close") continue;
    const plan = exitAlertPlan(position, decision.trigger, now, app.config.alerts.realertMinutes);
    if (!plan.post) continue;
    const alert = exitAlertMessage(
      { ...position, mark, unrealizedPl },
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
    counts.exitAlerts++;
  }
  return counts;
}

/**
 * Expiry day, from the warning time: a short leg in the money or within one expected move gets
 * an urgent alert that calls the approvers, repeated every EXIT_REALERT_MINUTES until closed;
 * with AUTO_CLOSE_ON_EXPIRY_DAY the bot sends the close itself instead. `active`: the positions
 * as they are now (after this run's marks: the alert shows them).
 */
export async function warnOnExpiryDay(app: App, now: number, active: readonly PositionRow[]): Promise<number> {
  let warnings = 0;
  const today = tradingDay(now);
  const expiring = active.filter((p) => p.status === "open" && p.expiration === today);
  if (expiring.length === 0) return 0;
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
    warnings++;
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
  return warnings;
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
