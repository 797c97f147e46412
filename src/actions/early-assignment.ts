// Early assignment: Alpaca may assign a short option any day before its expiration (a call the
// day before an ex-dividend date, a put deep in the money), and the account then holds shares in
// its place. The monitor sees a spread's short leg missing at the broker while its long leg is
// there, asks the broker's option events (one request, only then) which contract was assigned,
// books the assignment on the position (so it is told once), and says in the channel what the
// account holds and what to do. The position stays open on the bot's books, without exit alerts
// or a Close it could not send, until its expiration books it (book-expirations.ts).
import type { PositionRow } from "../../drizzle/schema";
import type { App } from "../app";
import type { BrokerPosition } from "../broker/port";
import { earlyAssignmentNote, earlyAssignmentNotice } from "../discord/messages/early-assignment";
import { earlyByPosition, expectedBook, heldBySymbol } from "../domain/broker-book";
import { tradingDay, utcInstant } from "../domain/market-time";
import type { PositionBook } from "../store/monitor-book";

const DAY_MS = 86_400_000;

/** Books the early assignments the broker made since the last run; returns how many. */
export async function bookEarlyAssignments(
  app: App,
  now: number,
  { active, assignedEarly }: Pick<PositionBook, "active" | "assignedEarly">,
  brokerPositions: Promise<BrokerPosition[]>,
): Promise<number> {
  const today = tradingDay(now);
  // Up to its expiration day: a short leg assigned while the long one is still held is early
  // (the night before expiry is the usual time); after the expiration both legs are booked
  // together. A leg assigned in part is watched for the rest (the expected book counts the part).
  const watched = active.filter((p) => p.expiration >= today);
  if (watched.length === 0) return 0;
  const held = heldBySymbol(await brokerPositions);
  const { legs } = expectedBook(active, assignedEarly);
  const missingShort = (p: PositionRow) =>
    (held.get(p.shortSymbol) ?? 0) > (legs.get(p.shortSymbol) ?? 0) &&
    (held.get(p.longSymbol) ?? 0) >= (legs.get(p.longSymbol) ?? 0);
  const suspects = watched.filter(missingShort);
  if (suspects.length === 0) return 0;

  // Alpaca dates an option event by its day alone: ask from the day before the oldest suspect opened.
  const opened = Math.min(...suspects.map((p) => p.openedAt));
  const events = await app.broker.optionEvents(utcInstant(tradingDay(opened), "00:00") - DAY_MS);
  const known = await app.brokerActivities.known(events.map((e) => e.id));
  const sofar = earlyByPosition(assignedEarly);
  let count = 0;
  for (const position of suspects) {
    const before = sofar.get(position.id);
    // A short leg gone without an assignment (closed at Alpaca by hand) is reconcile's to report.
    const event = events.find((e) => e.kind === "assigned" && e.symbol === position.shortSymbol && !known.has(e.id));
    if (!event) continue;
    known.add(event.id);
    const row = {
      id: event.id,
      kind: event.kind,
      symbol: event.symbol,
      qty: Math.min(Math.abs(event.qty), position.contracts - (before?.qty ?? 0)),
      activityDate: event.date,
      positionId: position.id,
      bookedAt: now,
    };
    // Booked last: a notice Discord refused is posted again by the next run, not lost.
    const note = earlyAssignmentNote(
      position,
      { qty: (before?.qty ?? 0) + row.qty, activityDate: before?.activityDate ?? row.activityDate },
      now,
    );
    await app.positions.setAttention(position.id, note, now);
    await app.discord.post(earlyAssignmentNotice(position, note));
    await app.brokerActivities.record([row]);
    count++;
  }
  return count;
}
