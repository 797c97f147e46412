// Walking a resting limit order from the mid toward the natural, as a trader works a spread:
// the first price asks for the mid; each monitor run that finds it unfilled replaces it (cancel,
// then a new order under a new client order id, one working order at a time) one step nearer
// the far end, and the last price works its share of the time before the order is canceled.
//
//   entry: credit from the mid down to the fillable estimate (what the card promised), never
//          below the lowest credit the approval accepts;
//   close: debit from the mid up to the natural, never above the width.
//
// `LIMIT_WALK_STEPS` = 0 is no walk: one order at the far end, as before walking existed.
// Pure: the monitor reads the quotes and the order, this says what to send.

/** Walk timing: the unfilled limit split evenly over the prices, so the walk never outlives it. */
export interface WalkSettings {
  /** Steps after the first price (0 = one price, no walk). */
  steps: number;
  /** How long an order may go unfilled in all, over every step. */
  unfilledMinutes: number;
}

/** Minutes each price works before the next (and the last before the cancel). */
export function minutesPerStep(s: WalkSettings): number {
  return s.unfilledMinutes / (s.steps + 1);
}

export type WalkAction = "wait" | "walk" | "cancel";

/**
 * What to do with a working order at `step` (0-based) sent at `sentAt`: wait out its share of
 * the time, then walk one step, or cancel after the last. An order that filled in part is not
 * replaced (the rest would need its own order and its own price): it works until the time is up.
 */
export function walkAction(
  order: { step: number; sentAt: number; partlyFilled: boolean; workingSince: number },
  now: number,
  s: WalkSettings,
): WalkAction {
  const stepDone = now - order.sentAt >= minutesPerStep(s) * 60_000;
  const timeUp = now - order.workingSince >= s.unfilledMinutes * 60_000;
  const last = order.step >= s.steps;
  if (order.partlyFilled) return timeUp ? "cancel" : "wait";
  if (last) return stepDone || timeUp ? "cancel" : "wait";
  return stepDone ? "walk" : "wait";
}

const share = (step: number, steps: number) => (steps === 0 ? 1 : Math.min(step, steps) / steps);

/**
 * Entry credit per share at `step`: the mid less `step/steps` of the way to the fillable
 * estimate, and never below `floor`. With no walk (steps 0) it is the fillable estimate.
 */
export function entryCreditAt(prices: { mid: number; fillable: number }, step: number, steps: number, floor: number) {
  const credit = prices.mid - share(step, steps) * (prices.mid - prices.fillable);
  return Math.max(credit, floor);
}

/**
 * Close debit per share at `step`: the mid plus `step/steps` of the way to the natural, and
 * never above the width (a vertical is never worth more). With no walk it is the natural.
 */
export function closeDebitAt(prices: { mid: number; natural: number }, step: number, steps: number, width: number) {
  const debit = prices.mid + share(step, steps) * (prices.natural - prices.mid);
  return Math.min(debit, width);
}

/** One price the order worked at, for the card: "$1.05 → $1.03 → $1.00". */
export interface WalkStep {
  step: number;
  /** Per share, positive: the credit asked (entry) or the debit offered (close). */
  price: number;
  at: number;
}
