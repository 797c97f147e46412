// The numbers the circuit breakers are evaluated on, read from our own records: today's
// realized P/L, the open positions' P/L at their last mark (the monitor's), the losing streak
// since the last /resume, open positions and the dollars at risk in them.
import type { PositionRow } from "../../drizzle/schema";
import type { App } from "../app";
import { type BreakerInput, evaluateBreakers, openPlAtMark } from "../domain/breakers";
import type { FeeSettings } from "../domain/fees";
import { previousSession, tradingDay, utcInstant } from "../domain/market-time";
import { type PositionBook, type RunDay, STREAK_WINDOW } from "../store/monitor-book";

export type RiskNumbers = Omit<BreakerInput, "manualHalt" | "equity" | "dataAgeMs">;

/** Where "today" starts for the realized P/L the daily loss counts. */
export const riskDayStart = (now: number) => utcInstant(tradingDay(now), "00:00");

/** Today as the monitor's book reads it: where "closed today" starts, and the trading day. */
export const riskDay = (now: number): RunDay => ({ dayStart: riskDayStart(now), day: tradingDay(now) });

export async function riskNumbers(app: App, now: number): Promise<RiskNumbers> {
  const [closedToday, recentClosed, resumedAt, active, lastCloseEquity] = await Promise.all([
    app.positions.closedSince(riskDayStart(now)),
    app.positions.recentClosed(STREAK_WINDOW),
    app.breakers.lastResumeAt(),
    app.positions.active(),
    app.performance.closeEquityBefore(tradingDay(now)),
  ]);
  return riskNumbersOf({ closedToday, recentClosed, resumedAt, active, lastCloseEquity }, app.config.fees, now);
}

/**
 * What the positions open now or closed today stood at, at the mark, when the last session
 * ended, each as that end of day recorded it: the day's loss counts from there. A position the
 * last session's end of day did not mark (opened since, or no record) counts from its entry.
 */
export function plAtLastClose(positions: readonly PositionRow[], now: number): number {
  return sumAtLastSession(positions, now, (p) => p.plAtLastClose ?? 0);
}

/**
 * What the positions open now or closed today realized since the last session ended: a whole
 * trade closed today less what its partial closes had realized by the last end of day, and an
 * open position's partial closes since. A position that end of day did not record counts from
 * its entry.
 */
export function realizedSinceLastClose(positions: readonly PositionRow[], now: number): number {
  const total = positions.reduce((sum, p) => sum + (p.realizedPl ?? 0), 0);
  return Math.round((total - sumAtLastSession(positions, now, (p) => p.realizedAtLastClose ?? 0)) * 100) / 100;
}

/** The sum of `field` over the positions the last session's end of day recorded. */
function sumAtLastSession(positions: readonly PositionRow[], now: number, field: (p: PositionRow) => number): number {
  const lastSession = previousSession(tradingDay(now));
  const sum = positions.reduce((total, p) => total + (p.plAtLastCloseDay === lastSession ? field(p) : 0), 0);
  return Math.round(sum * 100) / 100;
}

/** The numbers from records already read (the monitor reads them once a run). */
export function riskNumbersOf(
  { closedToday, recentClosed, resumedAt, active, lastCloseEquity }: Omit<PositionBook, "withShares" | "assignedEarly">,
  fees: FeeSettings,
  now: number,
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
    realizedPlToday: realizedSinceLastClose([...closedToday, ...active], now),
    ...atMark,
    openPlAtLastClose: plAtLastClose([...active, ...closedToday], now),
    consecutiveLosses,
    openPositions: active.length,
    openRisk: active.reduce((sum, p) => sum + p.maxLoss, 0),
    dayStartEquity: lastCloseEquity,
  };
}

/**
 * The daily-loss reason that would halt the monitor now, or null: what /resume warns of, since
 * a loss still past the limit halts trading again at the monitor's next run. The equity is the
 * one recorded (no broker call inside an interaction's 3 s); none recorded, nothing is said.
 */
export async function dailyLossPastLimit(app: App, now: number): Promise<string | null> {
  const [numbers, equity] = await Promise.all([riskNumbers(app, now), app.performance.recordedEquity(tradingDay(now))]);
  if (equity === null) return null;
  const evaluated = evaluateBreakers({ manualHalt: null, equity, dataAgeMs: 0, ...numbers }, breakerLimits(app));
  return evaluated.reasons.find((r) => r.code === "daily_loss")?.message ?? null;
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
