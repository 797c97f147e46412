// When to close an open credit spread. Checked in this order, first match wins:
//   expiry day (DTE ≤ 0)  → always close: never carry assignment risk into the bell;
//   stop loss             → debit ≥ credit × (1 + stopLossPct)   (200 %: debit ≥ 3 × credit);
//   profit target         → debit ≤ credit × (1 − profitTargetPct) (50 %: debit ≤ half the credit);
//   time exit (DTE ≤ exitDte) → gamma grows near expiry; take what there is.
// Prices are per share. The debit is what a close would pay now (the natural: the short's ask
// less the long's bid), since that is the price the close order goes at: a stop judged at the
// mid would fill well past its limit. Without a price only the time rules can fire.
import { daysToExpiration } from "./market-time";
import type { Strategy } from "./recommendation-state";

export interface ExitPosition {
  strategy: Strategy;
  entryCredit: number;
  expiration: string;
  shortStrike: number;
  longStrike: number;
}

export interface ExitMark {
  /** The natural debit: what a close order at once would pay. */
  debitToClose: number | null;
  /** The mid debit (the position's mark), said beside it; null when not known. */
  midDebit?: number | null;
  underlyingPrice: number | null;
}

export interface ExitRules {
  profitTargetPct: number;
  stopLossPct: number;
  exitDte: number;
}

export type ExitTrigger = "profit_target" | "stop_loss" | "time_exit" | "expiry_day";
export type ExitDecision =
  | { action: "hold"; reason: string }
  | { action: "close"; trigger: ExitTrigger; reason: string };

// Money compares within a millionth of a cent, so "exactly 50 %" is not lost to float noise.
const EPS = 1e-9;
const px = (n: number) => `$${n.toFixed(2)}`;
const pct = (n: number) => `${Math.round(n * 100)}%`;
const daysWord = (n: number) => `${n} day${n === 1 ? "" : "s"}`;

export function exitDecision(position: ExitPosition, mark: ExitMark, now: number, rules: ExitRules): ExitDecision {
  const dte = daysToExpiration(position.expiration, now);
  const credit = position.entryCredit;
  const underlying =
    mark.underlyingPrice === null
      ? ""
      : ` (underlying ${px(mark.underlyingPrice)}, short strike ${position.shortStrike})`;

  if (dte <= 0)
    return {
      action: "close",
      trigger: "expiry_day",
      reason: `expires ${dte === 0 ? "today" : `${-dte} day(s) ago`} (${position.expiration}): close before the bell${underlying}`,
    };

  const debit = mark.debitToClose;
  const priced = mark.midDebit == null ? "" : ` at the natural price (mid ${px(mark.midDebit)})`;
  if (debit !== null && Number.isFinite(debit)) {
    const plPct = (credit - debit) / credit;
    const stopAt = credit * (1 + rules.stopLossPct);
    if (debit >= stopAt - EPS) {
      // A vertical is never worth more than its width: a natural above it (a wide market) is not
      // what the close pays, whose limit stops at the width (limit-walk.ts closeDebitAt).
      const width = Math.abs(position.shortStrike - position.longStrike);
      const [paid, costs] =
        debit > width + EPS
          ? [
              width,
              `${px(width)} at most, the width (the natural, ${px(debit)}, is above it${mark.midDebit == null ? "" : `; mid ${px(mark.midDebit)}`})`,
            ]
          : [debit, `${px(debit)}${priced}`];
      return {
        action: "close",
        trigger: "stop_loss",
        reason: `stop loss: closing costs ${costs} against ${px(credit)} collected, a loss of ${pct((paid - credit) / credit)} of the credit (limit ${pct(rules.stopLossPct)})${underlying}`,
      };
    }
    const targetAt = credit * (1 - rules.profitTargetPct);
    if (debit <= targetAt + EPS)
      return {
        action: "close",
        trigger: "profit_target",
        reason: `profit target: closing costs ${px(debit)}${priced} against ${px(credit)} collected, ${pct(plPct)} of the credit kept (target ${pct(rules.profitTargetPct)})${underlying}`,
      };
  }

  if (dte <= rules.exitDte)
    return {
      action: "close",
      trigger: "time_exit",
      reason: `time exit: ${daysWord(dte)} to expiration, at or under the ${rules.exitDte}-day limit${debit === null ? " (no mark)" : ` (debit ${px(debit)} vs credit ${px(credit)})`}${underlying}`,
    };

  if (debit === null || !Number.isFinite(debit)) return { action: "hold", reason: "no mark" };
  return {
    action: "hold",
    reason: `holding: debit ${px(debit)} vs credit ${px(credit)}, ${daysWord(dte)} to expiration`,
  };
}
