import { describe, expect, it } from "vitest";
import { type ExitPosition, exitDecision } from "../../../src/domain/exits";
import { closeDebit } from "../../../src/domain/spread-pricing";
import type { OptionQuote } from "../../../src/domain/types";

const NOW = Date.parse("2027-01-15T15:00:00Z"); // 10:00 New York
const rules = { profitTargetPct: 0.5, stopLossPct: 2, exitDte: 21 };
const position: ExitPosition = {
  strategy: "bull_put",
  entryCredit: 1.2,
  expiration: "2027-02-19",
  shortStrike: 580,
  longStrike: 575,
};
const mark = (debitToClose: number | null, underlyingPrice: number | null = 600) => ({ debitToClose, underlyingPrice });

describe("exitDecision", () => {
  it.each([
    ["well inside: hold", "2027-02-19", 0.9, "hold", undefined],
    ["exactly 50% of the credit kept: profit target", "2027-02-19", 0.6, "close", "profit_target"],
    ["a cent short of 50%: hold", "2027-02-19", 0.61, "hold", undefined],
    ["exactly 200% loss (debit 3× credit): stop loss", "2027-02-19", 3.6, "close", "stop_loss"],
    ["a cent under the stop: hold", "2027-02-19", 3.59, "hold", undefined],
    ["exactly 21 DTE: time exit", "2027-02-05", 0.9, "close", "time_exit"],
    ["22 DTE: hold", "2027-02-06", 0.9, "hold", undefined],
    ["stop beats time exit", "2027-02-05", 4, "close", "stop_loss"],
    ["profit target beats time exit", "2027-02-05", 0.2, "close", "profit_target"],
    ["expiry day always closes, even at a profit", "2027-01-15", 0.01, "close", "expiry_day"],
    ["past expiry closes too", "2027-01-14", 0.5, "close", "expiry_day"],
  ] as const)("%s", (_name, expiration, debit, action, trigger) => {
    const decision = exitDecision({ ...position, expiration }, mark(debit), NOW, rules);
    expect(decision.action).toBe(action);
    if (decision.action === "close") expect(decision.trigger).toBe(trigger);
  });

  it("also hits exactly 50% with a credit that is not exact in binary", () => {
    const decision = exitDecision({ ...position, entryCredit: 0.35 }, mark(0.175), NOW, rules);
    expect(decision).toMatchObject({ action: "close", trigger: "profit_target" });
  });

  it.each([
    ["no mark, far from expiry: hold", "2027-02-19", "hold", undefined],
    ["no mark at 21 DTE: time exit still applies", "2027-02-05", "close", "time_exit"],
    ["no mark on expiry day: close", "2027-01-15", "close", "expiry_day"],
  ] as const)("%s", (_name, expiration, action, trigger) => {
    const decision = exitDecision({ ...position, expiration }, mark(null, null), NOW, rules);
    expect(decision.action).toBe(action);
    if (decision.action === "close") expect(decision.trigger).toBe(trigger);
    else expect(decision.reason).toBe("no mark");
  });

  it("says one day, not one days", () => {
    const rulesAtOne = { ...rules, exitDte: 1 };
    expect(exitDecision(position, mark(0.9), Date.parse("2027-02-18T15:00:00Z"), rulesAtOne).reason).toMatch(
      /^time exit: 1 day to expiration, at or under the 1-day limit/,
    );
    expect(exitDecision(position, mark(0.9), Date.parse("2027-02-17T15:00:00Z"), rules).reason).toContain(
      "2 days to expiration",
    );
  });

  it("explains itself with the numbers", () => {
    const decision = exitDecision(position, mark(0.6, 604.5), NOW, rules);
    expect(decision.reason).toContain("$0.60");
    expect(decision.reason).toContain("$1.20");
    expect(decision.reason).toContain("50%");
    expect(decision.reason).toContain("$604.50");
  });

  it("judges a stop on what the close pays: credit $1.20, mid $3.45 but natural $3.60 is the 200% stop, and says both", () => {
    const decision = exitDecision(position, { debitToClose: 3.6, midDebit: 3.45, underlyingPrice: null }, NOW, rules);
    expect(decision).toMatchObject({ action: "close", trigger: "stop_loss" });
    expect(decision.reason).toContain("closing costs $3.60 at the natural price (mid $3.45)");
  });

  it("never quotes a loss past the width: a natural of $5.02 on a $5 spread costs $5.00 at most", () => {
    const decision = exitDecision(position, { debitToClose: 5.02, midDebit: 4.9, underlyingPrice: null }, NOW, rules);
    expect(decision).toMatchObject({ action: "close", trigger: "stop_loss" });
    expect(decision.reason).toContain(
      "closing costs $5.00 at most, the width (the natural, $5.02, is above it; mid $4.90) against $1.20 collected, a loss of 317% of the credit",
    );
  });
});

describe("closeDebit", () => {
  const leg = (bid: number | null, ask: number | null) => ({ bid, ask }) as OptionQuote;

  it("short 0.10 × 0.12, long 0.02 × 0.04: natural $0.10 (pay 0.12, get 0.02), mid $0.08", () => {
    const debit = closeDebit(leg(0.1, 0.12), leg(0.02, 0.04));
    expect(debit?.natural).toBeCloseTo(0.1, 12);
    expect(debit?.mid).toBeCloseTo(0.08, 12);
  });

  it("a long leg quoted 0 × 0 is worth nothing and never blocks the close: natural is the short's ask, $0.12; mid $0.11", () => {
    const debit = closeDebit(leg(0.1, 0.12), leg(0, 0));
    expect(debit?.natural).toBeCloseTo(0.12, 12);
    expect(debit?.mid).toBeCloseTo(0.11, 12);
    expect(closeDebit(leg(0.1, 0.12), leg(null, null))?.natural).toBeCloseTo(0.12, 12);
  });

  it("a short leg with no ask leaves no price to close at", () => {
    expect(closeDebit(leg(0.1, null), leg(0.02, 0.04))).toBeNull();
  });
});
