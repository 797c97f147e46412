// The numbers the circuit breakers are evaluated on, read from our own records: today's
// realized P/L, the open positions' P/L at their last mark (the monitor's), the losing streak
// since the last /resume, open positions and the dollars at risk in them.
import type { App } from "../app";
import { type BreakerInput, openPlAtMark } from "../domain/breakers";
import type { FeeSettings } from "../domain/fees";
import { tradingDay, utcInstant } from "../domain/market-time";
import { type PositionBook, STREAK_WINDOW } from "../store/monitor-book";

export type RiskNumbers = Omit<BreakerInput, "manualHalt" | "equity" | "dataAgeMs">;

/** Where "today" starts for the realized P/L the daily loss counts. */
export const riskDayStart = (now: number) => utcInstant(tradingDay(now), "00:00");

export async function riskNumbers(app: App, now: number): Promise<RiskNumbers> {
  const [closedToday, recentClosed, resumedAt, active] = await Promise.all([
    app.positions.closedSince(riskDayStart(now)),
    app.positions.recentClosed(STREAK_WINDOW),
    app.breakers.lastResumeAt(),
    app.positions.active(),
  ]);
  return riskNumbersOf({ closedToday, recentClosed, resumedAt, active }, app.config.fees);
}

/** The numbers from records already read (the monitor reads them once a run). */
export function riskNumbersOf(
  { closedToday, recentClosed, resumedAt, active }: Omit<PositionBook, "withShares" | "assignedEarly">,
  fees: FeeSettings,
): RiskNumbers {
  // The streak counts only losses closed after the last /resume: the person who resumed saw the
  // earlier ones, and counting them again would trip the breaker at the very next monitor run.
  let consecutiveLosses = 0;
  for (const p of recentClosed) {
    if (resumedAt !== null && (p.closedAt ?? 0) <= resumedAt) break;
    if ((p.realizedPl ?? 0) < 0) consecutiveLosses++;
    else break;
  }
  const atMark = openPlAtMark(
    active.map((p) => ({
      name: `${p.symbol} ${p.shortStrike}/${p.longStrike} (position ${p.id})`,
      entryCredit: p.entryCredit,
      contracts: p.contracts,
      mark: p.mark,
      markedAt: p.markedAt,
    })),
    fees,
  );
  return {
    realizedPlToday: Math.round(closedToday.reduce((sum, p) => sum + (p.realizedPl ?? 0), 0) * 100) / 100,
    ...atMark,
    consecutiveLosses,
    openPositions: active.length,
    openRisk: active.reduce((sum, p) => sum + p.maxLoss, 0),
  };
}

export function breakerLimits(app: App) {
  return {
    dailyLossLimitPct: app.config.risk.dailyLossLimitPct,
    maxConsecutiveLosses: app.config.risk.maxConsecutiveLosses,
    maxOpenPositions: app.config.risk.maxOpenPositions,
    maxTotalRiskPct: app.config.risk.maxTotalRiskPct,
    maxDataAgeMs: 5 * 60_000,
  };
}
