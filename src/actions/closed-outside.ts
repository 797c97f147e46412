// Spreads closed at Alpaca by orders the bot did not send (a person at its web page or app, or
// Alpaca itself), booked as the bot books its own closes, each order once. The monitor sees a
// position's legs both held fewer by the same number of spreads, asks Alpaca for the orders
// placed since the position opened (one request, only then), and books the spreads the outside
// orders explain exactly (one multi-leg order, or the short leg bought back and the long one sold
// separately), at their fill prices (domain/closed-outside.ts), once they are done. What they do
// not explain is left as it is, for reconcile to report.
import type { App } from "../app";
import type { BrokerPosition } from "../broker/port";
import { closedOutsideNotice } from "../discord/messages/closed-outside";
import { assignedEarlyIds, heldBySymbol } from "../domain/broker-book";
import { outsideCloseOf, spreadsGoneAtBroker } from "../domain/closed-outside";
import { errorFields, log } from "../log";
import type { PositionBook } from "../store/monitor-book";
import { refreshPositionMessage } from "./refresh-messages";
import { riskDayStart } from "./risk-state";

/** Books the closes made at Alpaca since the last run; returns how many positions it booked. */
export async function bookClosesOutside(
  app: App,
  now: number,
  { active, assignedEarly }: Pick<PositionBook, "active" | "assignedEarly">,
  brokerPositions: Promise<BrokerPosition[]>,
): Promise<number> {
  // Open positions only: a close of the bot's working is settled from its own order. Not one
  // whose short leg was assigned early (its legs differ by the assignment), nor two that hold the
  // same contract (which of them an order closed cannot be told: reconcile reports them). After
  // the expiration too: a close at 15:57 on expiry day is found by the next session's first run.
  const assigned = assignedEarlyIds(assignedEarly);
  const holders = new Map<string, number>();
  for (const p of active)
    for (const symbol of [p.shortSymbol, p.longSymbol]) holders.set(symbol, (holders.get(symbol) ?? 0) + 1);
  const alone = (symbol: string) => holders.get(symbol) === 1;
  const watched = active.filter(
    (p) => p.status === "open" && !assigned.has(p.id) && alone(p.shortSymbol) && alone(p.longSymbol),
  );
  if (watched.length === 0) return 0;
  const held = heldBySymbol(await brokerPositions);
  const suspects = watched.flatMap((p) => {
    const gone = spreadsGoneAtBroker(p, held);
    return gone > 0 ? [{ position: p, gone }] : [];
  });
  if (suspects.length === 0) return 0;

  // Alpaca lists orders submitted strictly after the instant: a minute's margin before the oldest opened.
  const orders = await app.broker.recentOrders(Math.min(...suspects.map((s) => s.position.openedAt)) - 60_000);
  // A close found after its day's end of day is the day's it was found on: that day's summary and
  // loss count it (the last end of day still held the position, at its mark).
  const today = riskDayStart(now);
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
    const bookedAt = { ...close, at: Math.max(close.at, today) };
    if (!(await app.positions.bookOutsideClose(position, bookedAt, app.config.fees, now))) continue;
    booked++;
    // Booked is what counts: a card or notice Discord refuses does not stop the next position's.
    try {
      const after = await app.positions.get(position.id);
      if (!after) continue;
      await refreshPositionMessage(app, after, now);
      await app.discord.post(closedOutsideNotice(position, after, close, now));
    } catch (error) {
      log.error("close at Alpaca booked, but its notice was not posted", {
        positionId: position.id,
        ...errorFields(error),
      });
    }
  }
  return booked;
}
