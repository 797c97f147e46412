// Expirations, assignments and exercises, learned from the broker's account activities and
// booked on the positions they belong to: the position closes with the P/L of what was left,
// and the channel is told what happened and what the account holds now. Each activity is
// booked once (its id is recorded); a position waits until the broker has booked both legs.
import type { BrokerActivityRow, PositionRow } from "../../drizzle/schema";
import type { App } from "../app";
import type { BrokerOptionEvent } from "../broker/port";
import { noticeMessage } from "../discord/messages/notice";
import { sharesMessage } from "../discord/messages/shares";
import { type LongLegOutcome, type ShortLegOutcome, settleAtExpiry } from "../domain/expiry";
import { spreadFillFees } from "../domain/fees";
import { usd } from "../domain/format";
import { tradingDay } from "../domain/market-time";
import { errorFields, log } from "../log";
import { refreshPositionMessage } from "./refresh-messages";

/** How far back the monitor looks for events (a long weekend and a missed morning). */
const LOOKBACK_MS = 10 * 86_400_000;

export interface ExpiryBooking {
  positionId: number;
  outcome: string;
  pl: number;
  shares: number;
}

/**
 * Books the broker's events on `active` (the open and closing positions, as read this run). A
 * position is booked when both its legs have an event, and the long leg's comes at its expiration
 * (the bot never exercises early; an early assignment of the short leg, booked on the position
 * when it came (`assignedEarly`, early-assignment.ts), waits for it): before the expiration day of
 * one of them there is nothing an event could settle, and the broker is not asked. Events on
 * symbols the bot does not hold are recorded on a later run that asks.
 */
export async function bookExpirations(
  app: App,
  now: number,
  active: readonly PositionRow[],
  assignedEarly: readonly BrokerActivityRow[],
): Promise<ExpiryBooking[]> {
  const today = tradingDay(now);
  if (!active.some((p) => p.expiration <= today)) return [];
  const events = await app.broker.optionEvents(now - LOOKBACK_MS);
  const known = await app.brokerActivities.known(events.map((e) => e.id));
  const fresh = events.filter((e) => !known.has(e.id));
  if (fresh.length === 0) return [];
  const booked: ExpiryBooking[] = [];
  let tried = false;
  const early = new Map(assignedEarly.map((a) => [a.positionId, a]));
  for (const position of active) {
    const assigned = early.get(position.id);
    const short =
      fresh.find((e) => e.symbol === position.shortSymbol) ??
      (assigned && {
        id: assigned.id,
        kind: assigned.kind,
        symbol: assigned.symbol,
        qty: assigned.qty,
        date: assigned.activityDate,
      });
    const long = fresh.find((e) => e.symbol === position.longSymbol);
    if (!short || !long) continue; // the broker books both legs the same night; wait for both
    tried = true;
    const result = await bookPosition(app, position, short, long, now);
    if (result) booked.push(result);
  }
  // Events on symbols the bot does not hold are recorded too, so they are looked at once;
  // the reconcile step shows what the account holds because of them.
  const holding = tried ? await app.positions.active() : active;
  const used = new Set(holding.flatMap((p) => [p.shortSymbol, p.longSymbol]));
  const orphans = fresh.filter((e) => !used.has(e.symbol));
  await app.brokerActivities.record(orphans.map((e) => activityRow(e, null, now)));
  return booked;
}

async function bookPosition(
  app: App,
  position: PositionRow,
  short: BrokerOptionEvent,
  long: BrokerOptionEvent,
  now: number,
): Promise<ExpiryBooking | null> {
  const legs = {
    short: (short.kind === "assigned" ? "assigned" : "expired") as ShortLegOutcome,
    long: (long.kind === "exercised" ? "exercised" : "expired") as LongLegOutcome,
  };
  const deliversShares = (legs.short === "assigned") !== (legs.long === "exercised");
  let price: number | null = null;
  if (deliversShares) {
    try {
      price = (await app.broker.underlyingQuote(position.symbol)).price;
    } catch (error) {
      log.warn("no price to mark assigned shares; booking on the next run", {
        positionId: position.id,
        ...errorFields(error),
      });
      return null;
    }
  }
  const settlement = settleAtExpiry(position, legs, price, app.config.fees);
  if (!settlement) return null;
  const reason = settlement.outcome === "expired" ? "expired worthless" : settlement.outcome;
  const delivered = { shares: settlement.shares, mark: settlement.shares === 0 ? null : price };
  if (!(await app.positions.settle(position.id, reason, settlement.settlePrice, settlement.pl, now, delivered)))
    return null;
  await app.brokerActivities.record([activityRow(short, position.id, now), activityRow(long, position.id, now)]);
  const after = await app.positions.get(position.id);
  const total = after?.realizedPl ?? settlement.pl;
  // The position's alert (if any) loses its Close button: the broker closed it.
  if (after) await refreshPositionMessage(app, after, now);
  if (after && settlement.shares !== 0) {
    // Shares left: the message that says so carries the one button that flattens them.
    const { id } = await app.discord.post(sharesMessage(after));
    await app.positions.trackMessage(position.id, id, now);
  } else
    await app.discord.post(
      expiryNotice(position, settlement, total, spreadFillFees(position.contracts, app.config.fees)),
    );
  return { positionId: position.id, outcome: settlement.outcome, pl: total, shares: settlement.shares };
}

function activityRow(e: BrokerOptionEvent, positionId: number | null, now: number) {
  return { id: e.id, kind: e.kind, symbol: e.symbol, qty: e.qty, activityDate: e.date, positionId, bookedAt: now };
}

function expiryNotice(
  position: PositionRow,
  s: NonNullable<ReturnType<typeof settleAtExpiry>>,
  total: number,
  entryFees: number,
) {
  const name = `${position.symbol} ${position.shortStrike}/${position.longStrike} (position ${position.id})`;
  const what =
    s.outcome === "expired"
      ? "Both legs expired worthless: the whole credit is kept."
      : "The short leg was assigned and the long leg exercised: the shares offset, the loss is the width less the credit.";
  const fees = entryFees > 0 ? `, net of fees (${usd(entryFees)} on the entry; an expiration costs none)` : "";
  return noticeMessage(
    `Expiration: ${name}`,
    `${what}\nRealized P/L: ${usd(total)}${fees}.`,
    total >= 0 ? "info" : "warn",
  );
}
