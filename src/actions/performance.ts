// /performance: the closed trades and end-of-day equity of a period, judged by the core.
import type { App } from "../app";
import { closesFrom } from "../domain/equity-closes";
import { tradingDay } from "../domain/market-time";
import { type Period, periodStart, type TrackRecord, trackRecord } from "../domain/track-record";

export async function trackRecordFor(app: App, period: Period, now: number): Promise<TrackRecord> {
  const start = periodStart(period, now);
  const [closed, equity] = await Promise.all([
    app.positions.closedSince(start ?? 0),
    app.performance.equitySince(start === null ? "0000-01-01" : tradingDay(start)),
  ]);
  const trades = closed.flatMap((p) =>
    p.closedAt === null || p.realizedPl === null
      ? []
      : [{ symbol: p.symbol, strategy: p.strategy, realizedPl: p.realizedPl, closedAt: p.closedAt }],
  );
  return trackRecord(trades, closesFrom(equity, start));
}
