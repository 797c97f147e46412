import { describe, expect, it } from "vitest";
import { overLimitMessage, type RecheckInput, recheckApproval } from "../../../src/domain/approval";

const NOW = Date.parse("2027-01-15T15:10:00Z"); // 10:10 New York
const ok: RecheckInput = {
  rec: {
    symbol: "SPY",
    expiresAt: NOW + 20 * 60_000,
    underlyingPrice: 600,
    credit: 1.2,
    width: 5,
    expiration: "2027-02-19",
    maxLoss: 400,
  },
  contracts: 2,
  now: NOW,
  marketOpen: true,
  underlyingNow: 600.4,
  creditNow: 1.2,
  quotesAt: NOW - 5_000,
  breakers: { halted: false, reasons: [] },
  buyingPower: 50_000,
  optionsLevel: 3,
  settings: {
    maxDriftPct: 0.01,
    dteMin: 30,
    dteMax: 45,
    minCreditToWidth: 0.2,
    maxCreditSlipOfWidth: 0.02,
    maxQuoteAgeSeconds: 60,
  },
};

const codes = (input: RecheckInput) => {
  const result = recheckApproval(input);
  return result.ok ? [] : result.reasons.map((r) => r.code);
};

describe("recheckApproval", () => {
  it("passes when nothing changed", () => {
    expect(recheckApproval(ok)).toEqual({ ok: true });
  });

  it.each<[string, Partial<RecheckInput>, string[]]>([
    ["SPY 600 → 606 (+1.00%, exactly the limit) passes", { underlyingNow: 606 }, []],
    ["SPY 600 → 594 (−1.00%) passes", { underlyingNow: 594 }, []],
    ["SPY 600 → 606.07 (+1.01%) refuses: the thesis was about 600", { underlyingNow: 606.07 }, ["drift"]],
    ["SPY 600 → 593.93 (−1.01%) refuses too", { underlyingNow: 593.93 }, ["drift"]],
    [
      "SPY 600 → 601.8 (+0.3%) with the mid a cent lower passes: a mid's flicker is no drift",
      { underlyingNow: 601.8, creditNow: 1.19 },
      [],
    ],
    ["a better credit never refuses: 1.20 → 1.60", { creditNow: 1.6 }, []],
    ["credit 1.20 → 1.10 on a $5 width ($0.10, exactly 2% of the width) passes", { creditNow: 1.1 }, []],
    ["credit 1.20 → 1.09 ($0.11 worse, over 2% of $5) refuses", { creditNow: 1.09 }, ["credit_slipped"]],
    [
      "credit now 0.99 on a $5 width (19.8%, under the screener's 20%) no longer qualifies",
      { creditNow: 0.99, settings: { ...ok.settings, maxCreditSlipOfWidth: 0.5 } },
      ["no_longer_qualifies"],
    ],
    ["market closed refuses", { marketOpen: false }, ["market_closed"]],
    ["market state unknown refuses", { marketOpen: null }, ["market_unknown"]],
    ["no underlying quote refuses", { underlyingNow: null }, ["no_quote"]],
    ["no spread quote refuses", { creditNow: null }, ["no_quote"]],
    ["unreadable breakers refuse", { breakers: null }, ["breakers_unreadable"]],
    [
      "tripped breakers refuse",
      { breakers: { halted: true, reasons: [{ code: "manual_halt", message: "halted by alice" }] } },
      ["breakers_halted"],
    ],
    [
      "a limit on what is committed refuses as over_limit, not as a tripped breaker",
      {
        breakers: {
          halted: true,
          reasons: [{ code: "max_open_positions", message: "6 positions open or in flight counting this one" }],
        },
      },
      ["over_limit"],
    ],
    [
      "a limit and a tripped breaker refuse each in its own words",
      {
        breakers: {
          halted: true,
          reasons: [
            { code: "max_total_risk", message: "$21,000.00 at risk" },
            { code: "daily_loss", message: "daily loss limit reached" },
          ],
        },
      },
      ["over_limit", "breakers_halted"],
    ],
    ["unknown buying power refuses", { buyingPower: null }, ["buying_power_unknown"]],
    ["buying power exactly the risk passes", { buyingPower: 800 }, []],
    ["buying power a cent short refuses", { buyingPower: 799.99 }, ["insufficient_buying_power"]],
    ["zero contracts refuses", { contracts: 0 }, ["invalid_contracts"]],
    ["options level 2 refuses: spreads need level 3", { optionsLevel: 2 }, ["options_level"]],
    ["options level 0 (options off) refuses", { optionsLevel: 0 }, ["options_level"]],
    ["an unread level refuses", { optionsLevel: null }, ["options_level_unknown"]],
    [
      "an unread account refuses once, for buying power",
      { optionsLevel: null, buyingPower: null },
      ["buying_power_unknown"],
    ],
    ["expired exactly at expiresAt", { now: NOW + 20 * 60_000, quotesAt: NOW + 20 * 60_000 }, ["expired"]],
    ["leg quotes 60 s old (exactly the 60 s limit) pass", { quotesAt: NOW - 60_000 }, []],
    ["leg quotes 61 s old (limit 60 s) refuse", { quotesAt: NOW - 61_000 }, ["stale_quotes"]],
    [
      "leg quotes 900 s old on a 1200 s limit pass",
      { quotesAt: NOW - 900_000, settings: { ...ok.settings, maxQuoteAgeSeconds: 1200 } },
      [],
    ],
    ["a leg quote without a time refuses: unknown age is not fresh", { quotesAt: null }, ["quote_age_unknown"]],
    ["a quote stamped 2 s ahead of our clock is 0 s old and passes", { quotesAt: NOW + 2_000 }, []],
    ["no spread quote refuses once, not again for its age", { creditNow: null, quotesAt: null }, ["no_quote"]],
  ])("%s", (_name, overrides, expected) => {
    expect(codes({ ...ok, ...overrides })).toEqual(expected);
  });

  it.each([
    ["expiration too close", "2027-02-12", ["dte_out_of_window"]],
    ["expiration too far", "2027-03-05", ["dte_out_of_window"]],
    ["expiration at the window's edge", "2027-02-14", []],
  ])("%s (%s)", (_name, expiration, expected) => {
    expect(codes({ ...ok, rec: { ...ok.rec, expiration } })).toEqual(expected);
  });

  it("lists every reason at once, in words", () => {
    const result = recheckApproval({
      ...ok,
      now: ok.rec.expiresAt + 1,
      quotesAt: ok.rec.expiresAt,
      marketOpen: false,
      underlyingNow: 612,
      breakers: { halted: true, reasons: [{ code: "daily_loss", message: "daily loss limit reached" }] },
      buyingPower: null,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons.map((r) => r.code)).toEqual([
      "expired",
      "market_closed",
      "drift",
      "breakers_halted",
      "buying_power_unknown",
    ]);
    const drift = result.reasons.find((r) => r.code === "drift");
    expect(drift?.message).toBe(
      "SPY moved from $600.00 to $612.00 (+2.00%, limit 1.00%): the analysis was about $600.00",
    );
    expect(result.reasons.find((r) => r.code === "breakers_halted")?.message).toContain("daily loss limit reached");
  });

  it("says how old the leg quotes are: 15 min old against a 60 s limit", () => {
    expect(recheckApproval({ ...ok, quotesAt: NOW - 15 * 60_000 })).toEqual({
      ok: false,
      reasons: [
        {
          code: "stale_quotes",
          message:
            "the option quotes are 15 min old (limit 60 s, MAX_QUOTE_AGE_SECONDS): the market may have left those prices",
        },
      ],
    });
  });

  it("says a quote without a time is of unknown age", () => {
    const result = recheckApproval({ ...ok, quotesAt: null });
    expect(result.ok ? "" : result.reasons[0]?.message).toBe(
      "the option quotes carry no time, so how old they are is unknown (limit 60 s, MAX_QUOTE_AGE_SECONDS): the bot does not price an order on quotes it cannot date",
    );
  });
});

describe("overLimitMessage", () => {
  const limits = { maxOpenPositions: 5, maxTotalRiskPct: 0.2 };
  const load = { openPositions: 4, openRisk: 15_000, inFlightEntries: 0, inFlightRisk: 0 };

  it("counts the positions open, in flight and this one", () => {
    const message = overLimitMessage(
      { ...load, inFlightEntries: 1 },
      { maxLossPerContract: 400, contracts: 1 },
      100_000,
      limits,
    );
    expect(message).toBe(
      "Not approved: 6 positions open or in flight counting this one (limit 5). Nothing was done; the recommendation stays open for approval if room frees up.",
    );
  });

  it("names the dollars at risk with orders in flight and the size that still fits", () => {
    const message = overLimitMessage(
      { ...load, openPositions: 2, inFlightEntries: 1, inFlightRisk: 3_000 },
      { maxLossPerContract: 400, contracts: 10 },
      100_000,
      limits,
    );
    expect(message).toBe(
      "Not approved: $22,000.00 at risk counting orders in flight and this trade, over 20.0% of equity $100,000.00 ($20,000.00). At most 5 contracts fit now. Nothing was done; the recommendation stays open for approval if room frees up.",
    );
  });

  it("says when not one contract fits", () => {
    const message = overLimitMessage(
      { ...load, openPositions: 1, openRisk: 19_900 },
      { maxLossPerContract: 400, contracts: 1 },
      100_000,
      limits,
    );
    expect(message).toContain("Not one contract fits now.");
  });

  it("checks only the count when no equity is known", () => {
    const message = overLimitMessage(
      { ...load, openRisk: 1_000_000 },
      { maxLossPerContract: 400, contracts: 1 },
      null,
      limits,
    );
    expect(message).toBe(
      "Not approved: over the open-position or total-risk limit, counting orders in flight. Nothing was done; the recommendation stays open for approval if room frees up.",
    );
  });
});
