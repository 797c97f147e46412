// What a credit spread becomes at expiration, from what the broker did to each leg: a short leg
// in the money is assigned (100 shares a contract change hands at its strike), a long leg in the
// money is exercised, anything else expires worthless. Pure: the caller brings the events and,
// when shares were delivered, the underlying's price to mark them at. The P/L is net of the
// entry's fees; settling is no fill, so there is no closing fee.
import { type FeeSettings, settledSpreadPl } from "./fees";
import { optionTypeOf, type Strategy } from "./recommendation-state";

export type ShortLegOutcome = "assigned" | "expired";
export type LongLegOutcome = "exercised" | "expired";

export interface ExpiringSpread {
  strategy: Strategy;
  shortStrike: number;
  longStrike: number;
  /** Credit received per share. */
  entryCredit: number;
  contracts: number;
}

export interface SpreadSettlement {
  /** "expired" (both worthless), "assigned" (short only), "assigned and exercised" (both). */
  outcome: "expired" | "assigned" | "exercised" | "assigned and exercised";
  /** Shares of the underlying the account now holds because of it (negative: short). */
  shares: number;
  /** P/L of what was left of the trade, the shares marked at `underlyingPrice`, less the entry's fees. */
  pl: number;
  /** Per-share value the spread settled at (what closing it would have cost). */
  settlePrice: number;
}

export function settleAtExpiry(
  spread: ExpiringSpread,
  legs: { short: ShortLegOutcome; long: LongLegOutcome },
  /** Needed only when exactly one leg delivered shares (their value is the open question). */
  underlyingPrice: number | null,
  fees: FeeSettings,
): SpreadSettlement | null {
  const type = optionTypeOf(spread.strategy);
  const n = spread.contracts;
  // A short put assigned buys shares, a short call sells them; exercising a long is the mirror.
  const direction = type === "put" ? 1 : -1;
  const shares =
    (legs.short === "assigned" ? direction * 100 * n : 0) + (legs.long === "exercised" ? -direction * 100 * n : 0);
  let settlePrice: number;
  if (legs.short === "expired" && legs.long === "expired") settlePrice = 0;
  else if (legs.short === "assigned" && legs.long === "exercised")
    settlePrice = Math.abs(spread.shortStrike - spread.longStrike);
  else {
    if (underlyingPrice === null || !(underlyingPrice > 0)) return null;
    // Delivered shares are worth what the price says now, not floored at zero like an option:
    // a put assigned at 580 with the stock back at 590 is 10 a share of gain on the shares.
    const shortValue = legs.short === "assigned" ? exercisedValue(type, underlyingPrice, spread.shortStrike) : 0;
    const longValue = legs.long === "exercised" ? exercisedValue(type, underlyingPrice, spread.longStrike) : 0;
    settlePrice = shortValue - longValue;
  }
  const outcome =
    legs.short === "assigned"
      ? legs.long === "exercised"
        ? "assigned and exercised"
        : "assigned"
      : legs.long === "exercised"
        ? "exercised"
        : "expired";
  const pl = settledSpreadPl(spread.entryCredit, settlePrice, n, fees);
  return { outcome, shares, pl, settlePrice: Math.round(settlePrice * 10_000) / 10_000 };
}

/** Per share, what an exercised option's delivery is worth at `price` (negative when it moved back). */
function exercisedValue(type: "put" | "call", price: number, strike: number): number {
  return type === "call" ? price - strike : strike - price;
}
