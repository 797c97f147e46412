// Expirations, assignments and exercises, learned from the broker's account activities and
// booked on the positions they belong to: the position closes with the P/L of what was left,
// and the channel is told what happened and what the account holds now. Each activity is
// booked once (its id is recorded); a position waits until the broker has booked both legs.
import type { BrokerActivityRow, PositionRow } from "../../drizzle/schema";
import type { App } from "../app";
import type { BrokerOptionEvent } from "../broker/port";
import { noticeMessage } from "../discord/messages/notice";
import { sharesMessage } from "../discord/messages/shares";
import { earlyByPosition } from "../domain/broker-book";
import { type LongLegOutcome, type ShortLegOutcome, type SpreadSettlement, settleAtExpiry } from "../domain/expiry";
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
  const early = earlyByPosition(assignedEarly);
  for (const position of active) {
    // Short contracts assigned early are booked already (early-assignment.ts); the others settle
    // with the events Alpaca booked for them: assigned, in one or several parts, or expired.
    const shortEvents = fresh.filter((e) => e.symbol === position.shortSymbol);
    const assignedNow = shortEvents.filter((e) => e.kind === "assigned").reduce((n, e) => n + Math.abs(e.qty), 0);
    const assigned = Math.min(position.contracts, (early.get(position.id)?.qty ?? 0) + assignedNow);
    const restExpired = shortEvents.some((e) => e.kind !== "assigned");
    const long = fresh.find((e) => e.symbol === position.longSymbol);
    // The broker books both legs the same night: wait for both (for every short contract too).
    if (!long || (assigned < position.contracts && !restExpired)) continue;
    tried = true;
    const result = await bookPosition(app, position, { assigned, events: shortEvents }, long, now);
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
  short: { assigned: number; events: BrokerOptionEvent[] },
  long: BrokerOptionEvent,
  now: number,
): Promise<ExpiryBooking | null> {
  const longLeg: LongLegOutcome = long.kind === "exercised" ? "exercised" : "expired";
  // The short contracts assigned (early or at the expiration), and the rest, expired.
  const parts = [
    { contracts: short.assigned, short: "assigned" as ShortLegOutcome },
    { contracts: position.contracts - short.assigned, short: "expired" as ShortLegOutcome },
  ].filter((part) => part.contracts > 0);
  const deliversShares = parts.some((part) => (part.short === "assigned") !== (longLeg === "exercised"));
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
  const settlement = combinedSettlement(
    parts.map((part) =>
      settleAtExpiry(
        { ...position, contracts: part.contracts },
        { short: part.short, long: longLeg },
        price,
        app.config.fees,
      ),
    ),
    parts.map((part) => part.contracts),
  );
  if (!settlement) return null;
  const reason = settlement.outcome === "expired" ? "expired worthless" : settlement.outcome;
  const delivered = { shares: settlement.shares, mark: settlement.shares === 0 ? null : price };
  if (!(await app.positions.settle(position.id, reason, settlement.settlePrice, settlement.pl, now, delivered)))
    return null;
  await app.brokerActivities.record([...short.events, long].map((e) => activityRow(e, position.id, now)));
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

/**
 * One settlement of a position settled in parts (short contracts assigned early beside the rest):
 * the shares and P/L added, the price per share weighted by contracts, the outcome of the part
 * that delivered shares. Null when a part could not be settled.
 */
function combinedSettlement(parts: (SpreadSettlement | null)[], contracts: number[]): SpreadSettlement | null {
  if (parts.some((p) => p === null) || parts.length === 0) return null;
  const settled = parts as SpreadSettlement[];
  const total = contracts.reduce((a, b) => a + b, 0);
  return {
    outcome: (settled.find((p) => p.shares !== 0) ?? settled[0])?.outcome ?? "expired",
    shares: settled.reduce((sum, p) => sum + p.shares, 0),
    pl: Math.round(settled.reduce((sum, p) => sum + p.pl, 0) * 100) / 100,
    settlePrice:
      Math.round((settled.reduce((sum, p, i) => sum + p.settlePrice * (contracts[i] ?? 0), 0) / total) * 10_000) /
      10_000,
  };
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
