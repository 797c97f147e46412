// Circuit breakers: the conditions under which the bot opens nothing new. Every reason that
// applies is reported, so /status tells the whole story. Breakers never block a close:
// getting out of risk is always allowed.

import { usd } from "./format";

export type BreakerCode =
  | "manual_halt"
  | "daily_loss"
  | "consecutive_losses"
  | "max_open_positions"
  | "max_total_risk"
  | "stale_data";

export interface BreakerReason {
  code: BreakerCode;
  message: string;
}

export interface BreakerInput {
  manualHalt: { reason: string; by: string } | null;
  /** Realized P/L of the current trading day in dollars; negative is a loss. */
  realizedPlToday: number;
  equity: number;
  consecutiveLosses: number;
  openPositions: number;
  /** Dollars at risk across open positions (sum of max losses). */
  openRisk: number;
  /** Age of the newest market data; null when there is none (unknown counts as stale). */
  dataAgeMs: number | null;
}

export interface BreakerLimits {
  dailyLossLimitPct: number;
  maxConsecutiveLosses: number;
  maxOpenPositions: number;
  maxTotalRiskPct: number;
  maxDataAgeMs: number;
}

export interface BreakerResult {
  halted: boolean;
  reasons: BreakerReason[];
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

export function evaluateBreakers(state: BreakerInput, limits: BreakerLimits): BreakerResult {
  const reasons: BreakerReason[] = [];
  const add = (code: BreakerCode, message: string) => reasons.push({ code, message });
  const equityKnown = Number.isFinite(state.equity) && state.equity > 0;

  if (state.manualHalt) add("manual_halt", `halted by ${state.manualHalt.by}: ${state.manualHalt.reason}`);

  if (!equityKnown) {
    // Fail closed: the loss and risk limits are shares of equity and cannot be checked.
    add("daily_loss", `equity is ${state.equity}: the daily loss limit cannot be checked`);
  } else {
    const lossLimit = state.equity * limits.dailyLossLimitPct;
    if (!Number.isFinite(state.realizedPlToday) || -state.realizedPlToday >= lossLimit)
      add(
        "daily_loss",
        `today's realized P/L ${usd(state.realizedPlToday)} reached the ${pct(limits.dailyLossLimitPct)} daily loss limit (${usd(-lossLimit)})`,
      );
  }

  // Written as !(x < limit) so a NaN counter trips the breaker instead of passing it.
  if (!(state.consecutiveLosses < limits.maxConsecutiveLosses))
    add(
      "consecutive_losses",
      `${state.consecutiveLosses} losing trades in a row (limit ${limits.maxConsecutiveLosses})`,
    );

  if (!(state.openPositions < limits.maxOpenPositions))
    add("max_open_positions", `${state.openPositions} positions open (limit ${limits.maxOpenPositions})`);

  if (!equityKnown) {
    add("max_total_risk", `equity is ${state.equity}: total risk cannot be checked`);
  } else {
    const riskLimit = state.equity * limits.maxTotalRiskPct;
    if (!Number.isFinite(state.openRisk) || state.openRisk >= riskLimit)
      add(
        "max_total_risk",
        `${usd(state.openRisk)} at risk in open positions, at or over ${pct(limits.maxTotalRiskPct)} of equity (${usd(riskLimit)})`,
      );
  }

  if (state.dataAgeMs === null) add("stale_data", "no market data seen yet");
  else if (!(state.dataAgeMs <= limits.maxDataAgeMs))
    add(
      "stale_data",
      `market data is ${Math.round(state.dataAgeMs / 1000)} s old (limit ${Math.round(limits.maxDataAgeMs / 1000)} s)`,
    );

  return { halted: reasons.length > 0, reasons };
}

/** Whether the breaker result forbids an action. Closing a position is never blocked. */
export function blocksAction(kind: "open" | "close", result: BreakerResult): boolean {
  return kind === "open" && result.halted;
}
