// Circuit breakers: the conditions under which the bot opens nothing new. Every reason that
// applies is reported, so /status tells the whole story. Breakers never block a close:
// getting out of risk is always allowed.
//
// The open-position and total-risk limits count what is committed, not only what is held:
// positions open or closing, plus entries in flight (claimed approvals and working entry
// orders), plus the entry being decided. The approval claim applies the same rule in SQL, in
// its one conditional UPDATE (src/store/recommendations.ts), so simultaneous Approves cannot
// together pass a limit; the functions here explain a refusal and decide the recheck.

import { closedSpreadPl, type FeeSettings } from "./fees";
import { usd } from "./format";
import type { RecommendationStatus } from "./recommendation-state";

export type BreakerCode =
  | "manual_halt"
  | "daily_loss"
  /** An open position has no mark: the daily loss cannot be measured (entries refused, no halt). */
  | "daily_loss_unknown"
  | "consecutive_losses"
  | "max_open_positions"
  | "max_total_risk"
  | "stale_data";

/** The codes of the two limits on what is committed (as opposed to halts and loss breakers). */
export const ENTRY_LIMIT_CODES: readonly BreakerCode[] = ["max_open_positions", "max_total_risk"];

/** Recommendations whose entry is in flight: claimed by an Approve, or an order working at the broker. */
export const ENTRY_IN_FLIGHT: readonly RecommendationStatus[] = ["approving", "submitted"];

/** Dollars of float noise a sum of money may carry: a trade that lands exactly on the limit fits. */
export const RISK_TOLERANCE = 1e-6;

export interface BreakerReason {
  code: BreakerCode;
  message: string;
}

export interface BreakerInput {
  manualHalt: { reason: string; by: string } | null;
  /** Realized P/L of the current trading day in dollars (net of fees); negative is a loss. */
  realizedPlToday: number;
  /** The open positions' P/L if closed at their last mark, fees included; negative is a loss. */
  unrealizedPl: number;
  /**
   * What the positions open now or closed today stood at, at the mark, when the last session's
   * end of day recorded them (0 for one it did not): the day's P/L counts only what moved since,
   * not a loss carried in from before.
   */
  openPlAtLastClose: number;
  /** Open positions whose last mark failed (no quote): named, their P/L unknown. */
  unmarkedPositions: string[];
  equity: number;
  /**
   * The equity at the last session's close: the daily loss limit is a share of it, so that it
   * holds still through the day instead of shrinking with the loss. Null before the first end of
   * day: the equity now stands in.
   */
  dayStartEquity: number | null;
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

export type EntryLimits = Pick<BreakerLimits, "maxOpenPositions" | "maxTotalRiskPct">;

/** What is committed when a new entry is considered. */
export interface EntryLoad {
  /** Positions open or closing. */
  openPositions: number;
  /** Dollars at risk in them (sum of their max losses). */
  openRisk: number;
  /** Entries in flight (claimed or working) that hold no position yet, the entry decided excluded. */
  inFlightEntries: number;
  /** Dollars those entries put at risk: max loss per contract × contracts not yet in a position. */
  inFlightRisk: number;
}

/** An entry being decided: the dollars it puts at risk (max loss per contract × contracts). */
export interface EntryTrade {
  risk: number;
}

export interface BreakerResult {
  halted: boolean;
  reasons: BreakerReason[];
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

/** The breakers on the book as it stands: is there room for any new entry? */
export function evaluateBreakers(state: BreakerInput, limits: BreakerLimits): BreakerResult {
  return evaluateBreakersForEntry(state, { inFlightEntries: 0, inFlightRisk: 0 }, null, limits);
}

/**
 * The breakers for one entry: the book, the entries in flight beside it, and the entry itself
 * (null: any entry, as /status and the monitor ask).
 */
export function evaluateBreakersForEntry(
  state: BreakerInput,
  inFlight: Pick<EntryLoad, "inFlightEntries" | "inFlightRisk">,
  trade: EntryTrade | null,
  limits: BreakerLimits,
): BreakerResult {
  const reasons: BreakerReason[] = [];
  const add = (code: BreakerCode, message: string) => reasons.push({ code, message });
  const equityKnown = Number.isFinite(state.equity) && state.equity > 0;

  if (state.manualHalt) add("manual_halt", `halted by ${state.manualHalt.by}: ${state.manualHalt.reason}`);

  if (!equityKnown) {
    // Fail closed: the loss and risk limits are shares of equity and cannot be checked.
    add("daily_loss", `equity is ${state.equity}: the daily loss limit cannot be checked`);
  } else {
    const daily = dailyLossReason(state, dailyLossBase(state) * limits.dailyLossLimitPct, limits.dailyLossLimitPct);
    if (daily) reasons.push(daily);
  }

  // Written as !(x < limit) so a NaN counter trips the breaker instead of passing it.
  if (!(state.consecutiveLosses < limits.maxConsecutiveLosses))
    add(
      "consecutive_losses",
      `${state.consecutiveLosses} losing trades in a row (limit ${limits.maxConsecutiveLosses})`,
    );

  const load: EntryLoad = { openPositions: state.openPositions, openRisk: state.openRisk, ...inFlight };
  const positions = positionLimitReason(load, trade, limits);
  if (positions) reasons.push(positions);

  if (!equityKnown) add("max_total_risk", `equity is ${state.equity}: total risk cannot be checked`);
  else {
    const risk = riskLimitReason(load, trade, state.equity, limits);
    if (risk) reasons.push(risk);
  }

  if (state.dataAgeMs === null)
    add("stale_data", "the age of the market data is unknown (no price, or a price without a time)");
  else if (!(state.dataAgeMs <= limits.maxDataAgeMs))
    add(
      "stale_data",
      `market data is ${Math.round(state.dataAgeMs / 1000)} s old (limit ${Math.round(limits.maxDataAgeMs / 1000)} s)`,
    );

  return { halted: reasons.length > 0, reasons };
}

/** The equity the daily loss limit is a share of: the last close's, else the equity now. */
export function dailyLossBase(state: Pick<BreakerInput, "equity" | "dayStartEquity">): number {
  return state.dayStartEquity !== null && state.dayStartEquity > 0 ? state.dayStartEquity : state.equity;
}

/** The day's P/L the daily loss limit is judged on (dailyLossReason): realized, plus open at the mark, less carried. */
export function dayPl(state: Pick<BreakerInput, "realizedPlToday" | "unrealizedPl" | "openPlAtLastClose">): number {
  return Math.round((state.realizedPlToday + state.unrealizedPl - state.openPlAtLastClose) * 100) / 100;
}

/**
 * The daily loss at the mark: today's realized P/L plus what the open positions would book if
 * closed at their last mark, less what the positions open at the last close stood at then (so a
 * trade closed today counts only its move since). Reached, it is a `daily_loss` (the monitor halts on it). Not
 * reached but an open position has no mark, it is `daily_loss_unknown`: the loss cannot be
 * measured, so entries are refused (fail closed) until the position is marked again, but nobody
 * is made to /resume for a missing quote. Counting such a position at its max loss instead would
 * halt at every quote gap: one trade's max loss is about the whole limit (2 % and 2 % by default).
 */
function dailyLossReason(
  state: Pick<BreakerInput, "realizedPlToday" | "unrealizedPl" | "openPlAtLastClose" | "unmarkedPositions">,
  lossLimit: number,
  limitPct: number,
): BreakerReason | null {
  const total = dayPl(state);
  const unmarked = state.unmarkedPositions.join(", ");
  const tripped = !Number.isFinite(total) || -total >= lossLimit;
  if (!tripped && !unmarked) return null; // the common case: no message to write
  const carried =
    state.openPlAtLastClose === 0 ? "" : `, less ${usd(state.openPlAtLastClose)} carried from the last close`;
  const parts = `realized ${usd(state.realizedPlToday)}, open positions at the mark ${usd(state.unrealizedPl)}${carried}`;
  const limit = `the ${pct(limitPct)} daily loss limit (${usd(-lossLimit)})`;
  if (tripped)
    return {
      code: "daily_loss",
      message: `the day's P/L ${usd(total)} (${parts}) reached ${limit}${unmarked ? `; not counting ${unmarked}, without a mark` : ""}`,
    };
  return {
    code: "daily_loss_unknown",
    message: `${limit} cannot be checked: no mark for ${unmarked} (its last quote was missing); the day's P/L without it ${usd(total)} (${parts})`,
  };
}

/** A position open (or closing) as the daily-loss breaker reads it. */
export interface MarkedPosition {
  /** How a trader names it, e.g. "SPY 580/575 (position 12)". */
  name: string;
  entryCredit: number;
  contracts: number;
  /** Debit per share to close at the last mark; null when that mark failed. */
  mark: number | null;
  /** When it was last marked; null when it has not been yet (just filled). */
  markedAt: number | null;
}

/**
 * The open positions' P/L at their last mark, what closing there would book (fees of the entry
 * and of the close out). A position not marked yet counts at its fill price, which it traded at
 * minutes ago (so its fees only); one whose last mark failed is unknown and named.
 */
export function openPlAtMark(
  positions: readonly MarkedPosition[],
  fees: FeeSettings,
): Pick<BreakerInput, "unrealizedPl" | "unmarkedPositions"> {
  let unrealizedPl = 0;
  const unmarkedPositions: string[] = [];
  for (const p of positions) {
    const debit = p.markedAt === null ? p.entryCredit : p.mark;
    if (debit === null || !Number.isFinite(debit)) unmarkedPositions.push(p.name);
    else unrealizedPl += closedSpreadPl(p.entryCredit, debit, p.contracts, fees);
  }
  return { unrealizedPl: Math.round(unrealizedPl * 100) / 100, unmarkedPositions };
}

/** The open-position limit: one more entry must fit beside those open and in flight. */
export function positionLimitReason(
  load: EntryLoad,
  trade: EntryTrade | null,
  limits: Pick<EntryLimits, "maxOpenPositions">,
): BreakerReason | null {
  const committed = load.openPositions + load.inFlightEntries;
  if (committed + 1 <= limits.maxOpenPositions) return null;
  const where = load.inFlightEntries > 0 ? "open or in flight" : "open";
  const message = trade
    ? `${committed + 1} positions ${where} counting this one (limit ${limits.maxOpenPositions})`
    : `${committed} positions ${where} (limit ${limits.maxOpenPositions})`;
  return { code: "max_open_positions", message };
}

/**
 * The total-risk limit: the dollars at risk in open positions and entries in flight, plus this
 * entry's, must stay within the share of equity. Without an entry: the limit must not be reached.
 */
export function riskLimitReason(
  load: EntryLoad,
  trade: EntryTrade | null,
  equity: number,
  limits: Pick<EntryLimits, "maxTotalRiskPct">,
): BreakerReason | null {
  const limit = equity * limits.maxTotalRiskPct;
  const committed = load.openRisk + load.inFlightRisk;
  const counting = load.inFlightRisk > 0 ? "counting orders in flight" : "in open positions";
  if (trade) {
    const total = committed + trade.risk;
    if (total <= limit + RISK_TOLERANCE) return null;
    return {
      code: "max_total_risk",
      message: `${usd(total)} at risk ${counting} and this trade, over ${pct(limits.maxTotalRiskPct)} of equity ${usd(equity)} (${usd(limit)})`,
    };
  }
  if (committed < limit) return null;
  return {
    code: "max_total_risk",
    message: `${usd(committed)} at risk ${counting}, at or over ${pct(limits.maxTotalRiskPct)} of equity ${usd(equity)} (${usd(limit)})`,
  };
}

/** Dollars the total-risk limit leaves for new entries (never negative; 0 when equity is unknown). */
export function riskHeadroom(
  load: Pick<EntryLoad, "openRisk" | "inFlightRisk">,
  equity: number,
  maxTotalRiskPct: number,
): number {
  const left = equity * maxTotalRiskPct - load.openRisk - load.inFlightRisk;
  return Number.isFinite(left) && left > 0 ? left : 0;
}

/** Whether the breaker result forbids an action. Closing a position is never blocked. */
export function blocksAction(kind: "open" | "close", result: BreakerResult): boolean {
  return kind === "open" && result.halted;
}
