// Spreads a person closed at Alpaca, outside the bot (its web page or app), booked as the bot
// books its own closes. The monitor sees a position's legs both held fewer by the same number
// of spreads, asks Alpaca for the orders placed since the position opened (one request, only
// then), and books the spreads the outside orders explain exactly (one multi-leg order, or the
// short leg bought back and the long one sold separately), at their fill prices
// (domain/closed-outside.ts), once they are done. What they do not explain is left as it is, for
// reconcile to report.
import type { App } from "../app";
import type { BrokerPosition } from "../broker/port";
import { closedOutsideNotice } from "../discord/messages/closed-outside";
import { outsideCloseOf, spreadsGoneAtBroker } from "../domain/closed-outside";
import { nyseSession, utcInstant } from "../domain/market-time";
import { log } from "../log";
import type { PositionBook } from "../store/monitor-book";
import { refreshPositionMessage } from "./refresh-messages";

/** Books the closes made at Alpaca since the last run; returns how many positions it booked. */
export async function bookClosesOutside(
  app: App,
  now: number,
  { active, assignedEarly }: Pick<PositionBook, "active" | "assignedEarly">,
  brokerPositions: Promise<BrokerPosition[]>,
): Promise<number> {
  // Open positions only: a close of the bot's working is settled from its own order. Up to the
  // expiration's close: after it, Alpaca's expiry booking empties the legs (book-expirations.ts).
  const assigned = new Set(assignedEarly.map((a) => a.positionId));
  const watched = active.filter(
    (p) =>
      p.status === "open" &&
      !assigned.has(p.id) &&
      now < utcInstant(p.expiration, nyseSession(p.expiration)?.close ?? "16:00"),
  );
  if (watched.length === 0) return 0;
  const held = new Map((await brokerPositions).map((p) => [p.symbol, p.qty]));
  const suspects = watched.flatMap((p) => {
    const gone = spreadsGoneAtBroker(p, held);
    return gone > 0 ? [{ position: p, gone }] : [];
  });
  if (suspects.length === 0) return 0;

  // Alpaca lists orders submitted strictly after the instant: a minute's margin before the oldest opened.
  const orders = await app.broker.recentOrders(Math.min(...suspects.map((s) => s.position.openedAt)) - 60_000);
  let booked = 0;
  for (const { position, gone } of suspects) {
    const close = outsideCloseOf(position, orders, gone);
    if (!close) {
      log.warn("position's legs are gone at Alpaca without an order that explains it", {
        positionId: position.id,
        gone,
      });
      continue;
    }
    if (!(await app.positions.bookOutsideClose(position, close, app.config.fees, now))) continue;
    booked++;
    const after = await app.positions.get(position.id);
    if (!after) continue;
    await refreshPositionMessage(app, after, now);
    await app.discord.post(closedOutsideNotice(position, after, close, now));
  }
  return booked;
}
