import { describe, expect, it } from "vitest";
import { recheckApproval } from "../../../src/domain/approval";
import { describeOptionsLevel, optionsLevelProblem } from "../../../src/domain/options-level";

describe("optionsLevelProblem", () => {
  it("says nothing at level 3, the level spreads need", () => {
    expect(optionsLevelProblem({ trading: 3, approved: 3 })).toBeNull();
  });

  it("below 3 with level 3 approved, points at the account's own setting", () => {
    const text = optionsLevelProblem({ trading: 2, approved: 3 });
    expect(text).toContain("options level 2 (long calls and puts)");
    expect(text).toContain("credit spreads need level 3");
    expect(text).toContain("Account > Configure");
    expect(text).toContain("posts no ideas");
  });

  it("below 3 and never approved for it, says to apply", () => {
    const text = optionsLevelProblem({ trading: 1, approved: 1 });
    expect(text).toContain("level 1 (covered calls and cash-secured puts)");
    expect(text).toContain("apply for level 3");
  });

  it("names level 0 as options trading disabled", () => {
    expect(describeOptionsLevel(0)).toBe("level 0 (options trading disabled)");
  });
});

describe("the recheck at Approve", () => {
  it("refuses below level 3 in words that name the level and where to look", () => {
    const result = recheckApproval({
      rec: {
        symbol: "SPY",
        expiresAt: 2,
        underlyingPrice: 600,
        credit: 1,
        width: 5,
        expiration: "1970-02-10",
        maxLoss: 400,
      },
      contracts: 1,
      now: 1,
      marketOpen: true,
      underlyingNow: 600,
      creditNow: 1,
      quotesAt: 1,
      breakers: { halted: false, reasons: [] },
      buyingPower: 50_000,
      optionsLevel: 2,
      settings: {
        maxDriftPct: 0.01,
        dteMin: 30,
        dteMax: 45,
        minCreditToWidth: 0.2,
        maxCreditSlipOfWidth: 0.02,
        maxQuoteAgeSeconds: 60,
      },
    });
    expect(result).toEqual({
      ok: false,
      reasons: [
        {
          code: "options_level",
          message:
            "the Alpaca account trades at options level 2 (long calls and puts) and spreads need level 3, so Alpaca would refuse the order (/status says what to change at Alpaca)",
        },
      ],
    });
  });
});
