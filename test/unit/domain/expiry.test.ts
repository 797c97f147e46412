import { describe, expect, it } from "vitest";
import { settleAtExpiry } from "../../../src/domain/expiry";

const bullPut = { strategy: "bull_put" as const, shortStrike: 580, longStrike: 575, entryCredit: 1.2, contracts: 3 };
const NO_FEES = { optionFeePerContract: 0 };
const ALPACA_FEES = { optionFeePerContract: 0.06 };
const bearCall = { strategy: "bear_call" as const, shortStrike: 620, longStrike: 625, entryCredit: 1.1, contracts: 2 };

describe("settleAtExpiry", () => {
  it("both legs worthless: 3 × 580/575 at 1.20 keeps $360", () => {
    expect(settleAtExpiry(bullPut, { short: "expired", long: "expired" }, null, NO_FEES)).toEqual({
      outcome: "expired",
      shares: 0,
      pl: 360,
      settlePrice: 0,
    });
  });

  it("both legs in the money: 3 × 580/575 at 1.20 loses the width less the credit, $1140, with no shares left", () => {
    expect(settleAtExpiry(bullPut, { short: "assigned", long: "exercised" }, null, NO_FEES)).toEqual({
      outcome: "assigned and exercised",
      shares: 0,
      pl: -1140,
      settlePrice: 5,
    });
  });

  it("short put assigned at 577.50: 300 shares bought at 580, marked at 577.50, P/L -$390", () => {
    expect(settleAtExpiry(bullPut, { short: "assigned", long: "expired" }, 577.5, NO_FEES)).toEqual({
      outcome: "assigned",
      shares: 300,
      pl: -390,
      settlePrice: 2.5,
    });
  });

  it("short put assigned, the stock back at 590 when booked: the 300 shares bought at 580 are a gain, P/L +$3360", () => {
    // Shares are not an option: their value is not floored at zero once delivered.
    expect(settleAtExpiry(bullPut, { short: "assigned", long: "expired" }, 590, NO_FEES)).toEqual({
      outcome: "assigned",
      shares: 300,
      pl: 3360,
      settlePrice: -10,
    });
  });

  it("short call assigned at 621: 200 shares sold short at 620, marked at 621, P/L +$20", () => {
    expect(settleAtExpiry(bearCall, { short: "assigned", long: "expired" }, 621, NO_FEES)).toEqual({
      outcome: "assigned",
      shares: -200,
      pl: 20,
      settlePrice: 1,
    });
  });

  it("an assignment with no price to mark the shares at is not booked yet", () => {
    expect(settleAtExpiry(bullPut, { short: "assigned", long: "expired" }, null, NO_FEES)).toBeNull();
  });

  it("fees: 3 × 580/575 at 1.20 expired worthless at $0.06 a contract a leg: $360 less the entry's $0.36, +$359.64 (no closing fee)", () => {
    expect(settleAtExpiry(bullPut, { short: "expired", long: "expired" }, null, ALPACA_FEES)?.pl).toBe(359.64);
  });

  it("fees: short put assigned at 577.50 at $0.06 a contract a leg: -$390 less the entry's $0.36, -$390.36", () => {
    expect(settleAtExpiry(bullPut, { short: "assigned", long: "expired" }, 577.5, ALPACA_FEES)?.pl).toBe(-390.36);
  });
});
