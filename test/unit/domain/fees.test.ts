import { describe, expect, it } from "vitest";
import {
  closedSpreadPl,
  feesPerContract,
  settledSpreadPl,
  shareTradeFees,
  spreadBreakeven,
  spreadFillFees,
  spreadMaxLoss,
} from "../../../src/domain/fees";

const ALPACA = { optionFeePerContract: 0.06 };
const NONE = { optionFeePerContract: 0 };

describe("option fees on a 2-leg spread", () => {
  it("one fill of 5 contracts at $0.06 a contract a leg costs $0.60", () => {
    expect(spreadFillFees(5, ALPACA)).toBe(0.6);
  });

  it("a round trip costs $0.24 a contract at $0.06 (2 legs × entry and close)", () => {
    expect(feesPerContract(ALPACA)).toBeCloseTo(0.24, 10);
    expect(feesPerContract(NONE)).toBe(0);
  });

  it("5 × sold at 1.20, bought back at 0.60: $300 less $1.20 of fees, +$298.80", () => {
    expect(closedSpreadPl(1.2, 0.6, 5, ALPACA)).toBe(298.8);
  });

  it("2 × sold at 1.00, bought back at 3.00: -$400 less $0.48 of fees, -$400.48", () => {
    expect(closedSpreadPl(1, 3, 2, ALPACA)).toBe(-400.48);
  });

  it("bought back at the credit (1.20 → 1.20, 3 contracts): the fees make it -$0.72, not a scratch", () => {
    expect(closedSpreadPl(1.2, 1.2, 3, ALPACA)).toBe(-0.72);
  });

  it("settled by the broker (3 × 1.20 expired worthless): only the entry's $0.36, +$359.64", () => {
    expect(settledSpreadPl(1.2, 0, 3, ALPACA)).toBe(359.64);
  });

  it("OPTION_FEE_PER_CONTRACT=0 books the price difference alone: 5 × (1.20 − 0.60) = +$300", () => {
    expect(closedSpreadPl(1.2, 0.6, 5, NONE)).toBe(300);
    expect(settledSpreadPl(1.2, 0, 5, NONE)).toBe(600);
  });
});

describe("share fees (flattening assigned shares)", () => {
  it("selling 500 at $600: SEC $8.34 + TAF $0.09 + CAT $0.03 = $8.46", () => {
    expect(shareTradeFees({ side: "sell", shares: 500, price: 600 })).toBe(8.46);
  });

  it("buying back 500 short shares: CAT only, $0.03", () => {
    expect(shareTradeFees({ side: "buy", shares: -500, price: 600 })).toBe(0.03);
  });

  it("selling 100,000 at $10: SEC $27.80 + TAF capped at $8.30 + CAT $4.60 = $40.70", () => {
    expect(shareTradeFees({ side: "sell", shares: 100_000, price: 10 })).toBe(40.7);
  });

  it("nothing traded, nothing charged", () => {
    expect(shareTradeFees({ side: "sell", shares: 0, price: 600 })).toBe(0);
  });
});

describe("fees in the card's max loss and breakeven", () => {
  it("a 5-wide spread sold at 1.25 risks $375.24 a contract: $375 bought back at the width plus $0.24 for both fills", () => {
    expect(spreadMaxLoss(5, 1.25, ALPACA)).toBe(375.24);
    expect(spreadMaxLoss(5, 1.25, NONE)).toBe(375);
  });

  it("the worst close costs more than the worst expiry: $375.24 closed at 5.00 vs $375.12 settled at 5.00 (entry's fees only)", () => {
    expect(spreadMaxLoss(5, 1.25, ALPACA)).toBe(-closedSpreadPl(1.25, 5, 1, ALPACA));
    expect(-settledSpreadPl(1.25, 5, 1, ALPACA)).toBe(375.12);
  });

  it("a 580/575 bull put at 1.25 breaks even at 578.7512 (the entry's $0.12 a contract is $0.0012 a share); a 630 bear call at 1.25 at 631.2488", () => {
    expect(spreadBreakeven("put", 580, 1.25, ALPACA)).toBeCloseTo(578.7512, 10);
    expect(spreadBreakeven("call", 630, 1.25, ALPACA)).toBeCloseTo(631.2488, 10);
    expect(spreadBreakeven("put", 580, 1.25, NONE)).toBe(578.75);
  });

  it("settled at the breakeven the trade books $0.00: 578.7512 leaves 1.2488 in the short put, kept 1.25 less $0.12", () => {
    const intrinsic = 580 - spreadBreakeven("put", 580, 1.25, ALPACA);
    expect(settledSpreadPl(1.25, intrinsic, 1, ALPACA)).toBeCloseTo(0, 10);
  });
});
