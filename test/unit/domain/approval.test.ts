import { describe, expect, it } from "vitest";
import { type RecheckInput, recheckApproval } from "../../../src/domain/approval";

const NOW = Date.parse("2027-01-15T15:10:00Z"); // 10:10 New York
const ok: RecheckInput = {
  rec: { expiresAt: NOW + 20 * 60_000, underlyingPrice: 600, credit: 1, expiration: "2027-02-19", maxLoss: 400 },
  contracts: 2,
  now: NOW,
  marketOpen: true,
  underlyingNow: 600.4,
  spreadMidNow: 1,
  breakers: { halted: false, reasons: [] },
  buyingPower: 50_000,
  settings: { maxDriftPct: 0.01, dteMin: 30, dteMax: 45 },
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
    ["credit drift exactly 1% up passes", { spreadMidNow: 1.01 }, []],
    ["credit drift exactly 1% down passes", { spreadMidNow: 0.99 }, []],
    ["credit drift 1.01% refuses", { spreadMidNow: 1.0101 }, ["drift"]],
    ["credit drift 1.01% down refuses", { spreadMidNow: 0.9899 }, ["drift"]],
    ["market closed refuses", { marketOpen: false }, ["market_closed"]],
    ["market state unknown refuses", { marketOpen: null }, ["market_unknown"]],
    ["no underlying quote refuses", { underlyingNow: null }, ["no_quote"]],
    ["no spread quote refuses", { spreadMidNow: null }, ["no_quote"]],
    ["unreadable breakers refuse", { breakers: null }, ["breakers_unreadable"]],
    [
      "tripped breakers refuse",
      { breakers: { halted: true, reasons: [{ code: "manual_halt", message: "halted by alice" }] } },
      ["breakers_halted"],
    ],
    ["unknown buying power refuses", { buyingPower: null }, ["buying_power_unknown"]],
    ["buying power exactly the risk passes", { buyingPower: 800 }, []],
    ["buying power a cent short refuses", { buyingPower: 799.99 }, ["insufficient_buying_power"]],
    ["zero contracts refuses", { contracts: 0 }, ["invalid_contracts"]],
    ["expired exactly at expiresAt", { now: NOW + 20 * 60_000 }, ["expired"]],
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
      marketOpen: false,
      spreadMidNow: 1.2,
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
    expect(drift?.message).toBe("the credit moved from $1.00 to $1.20 (20.00%, limit 1.00%)");
    expect(result.reasons.find((r) => r.code === "breakers_halted")?.message).toContain("daily loss limit reached");
  });
});
