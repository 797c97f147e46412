import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expectedMove,
  greeks,
  impliedVolatility,
  normalCdf,
  type PricingInput,
  price,
  probabilityOtm,
  solveImpliedVolatility,
} from "../../../src/domain/option-math";

const hull: Omit<PricingInput, "type"> = {
  spot: 42,
  strike: 40,
  years: 0.5,
  volatility: 0.2,
  rate: 0.1,
  dividendYield: 0,
};

describe("price", () => {
  it.each([
    ["call", 4.76],
    ["put", 0.81],
  ] as const)("Hull example 15.6: the %s is worth %s", (type, expected) => {
    expect(price({ ...hull, type })).toBeCloseTo(expected, 2);
  });

  it.each([
    ["call ITM at expiry", "call", 110, 100, 10],
    ["call OTM at expiry", "call", 90, 100, 0],
    ["put ITM at expiry", "put", 90, 100, 10],
  ] as const)("%s is intrinsic value", (_name, type, spot, strike, expected) => {
    expect(price({ ...hull, type, spot, strike, years: 0 })).toBe(expected);
  });

  it("normalCdf matches known values", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-8)).toBeCloseTo(6.220960574271786e-16, 22);
  });

  it("put-call parity holds to 1e-9 (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 1 / 365, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: -0.01, max: 0.1, noNaN: true }),
        fc.double({ min: 0, max: 0.06, noNaN: true }),
        (spot, moneyness, years, volatility, rate, dividendYield) => {
          const p = { spot, strike: spot * moneyness, years, volatility, rate, dividendYield };
          const lhs = price({ ...p, type: "call" }) - price({ ...p, type: "put" });
          const rhs = spot * Math.exp(-dividendYield * years) - p.strike * Math.exp(-rate * years);
          expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9 * Math.max(1, spot));
        },
      ),
    );
  });
});

describe("greeks", () => {
  const cases: [string, PricingInput][] = [
    ["Hull call", { ...hull, type: "call" }],
    ["Hull put", { ...hull, type: "put" }],
    [
      "SPY 30-day OTM put with dividends",
      { type: "put", spot: 600, strike: 570, years: 30 / 365, volatility: 0.18, rate: 0.04, dividendYield: 0.013 },
    ],
    [
      "QQQ 45-day OTM call",
      { type: "call", spot: 520, strike: 545, years: 45 / 365, volatility: 0.22, rate: 0.04, dividendYield: 0.006 },
    ],
  ];

  it.each(cases)("%s: analytic greeks match finite differences", (_name, p) => {
    const g = greeks(p);
    const h = p.spot * 1e-4;
    const up = price({ ...p, spot: p.spot + h });
    const down = price({ ...p, spot: p.spot - h });
    const mid = price(p);
    expect(g.delta).toBeCloseTo((up - down) / (2 * h), 6);
    expect(g.gamma).toBeCloseTo((up - 2 * mid + down) / (h * h), 4);
    const dv = 1e-5;
    const vega =
      (price({ ...p, volatility: p.volatility + dv }) - price({ ...p, volatility: p.volatility - dv })) / (2 * dv);
    expect(g.vega).toBeCloseTo(vega, 5);
    const dt = 1e-6;
    // Theta is per calendar day and counts time passing (years to expiry falling).
    const theta = (price({ ...p, years: p.years - dt }) - price({ ...p, years: p.years + dt })) / (2 * dt) / 365;
    expect(g.theta).toBeCloseTo(theta, 6);
  });
});

describe("impliedVolatility", () => {
  const grid: [string, PricingInput][] = [];
  for (const type of ["call", "put"] as const)
    for (const [label, strike] of [
      ["deep ITM", type === "call" ? 60 : 140],
      ["ITM", type === "call" ? 95 : 105],
      ["ATM", 100],
      ["OTM", type === "call" ? 110 : 90],
      ["deep OTM", type === "call" ? 150 : 60],
    ] as const)
      for (const [horizon, years] of [
        ["1 day", 1 / 365],
        ["30 days", 30 / 365],
        ["2 years", 2],
      ] as const)
        for (const volatility of [0.08, 0.25, 1.2])
          grid.push([
            `${type} ${label} ${horizon} σ=${volatility}`,
            { type, spot: 100, strike, years, volatility, rate: 0.04, dividendYield: 0.01 },
          ]);

  // A price that rounds to nothing carries no information about volatility; those are skipped.
  const meaningful = grid.filter(([, p]) => price(p) > 1e-8 && greeks(p).vega > 1e-8);

  it("the grid keeps the cases that carry information", () => {
    expect(meaningful.length).toBeGreaterThan(60);
  });

  it.each(meaningful)("round trip: %s", (_name, p) => {
    const { volatility, ...rest } = p;
    const iv = impliedVolatility(rest, price(p));
    expect(iv).not.toBeNull();
    // Reprices to the penny's billionth; the volatility itself as far as vega lets it be told apart.
    expect(price({ ...rest, volatility: iv ?? 0 })).toBeCloseTo(price(p), 9);
    expect(Math.abs((iv ?? 0) - volatility)).toBeLessThan(Math.max(1e-6, 1e-10 / greeks(p).vega));
  });

  it("round trip (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("call" as const, "put" as const),
        fc.double({ min: 0.7, max: 1.3, noNaN: true }),
        fc.double({ min: 7 / 365, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        (type, moneyness, years, volatility) => {
          const p = { type, spot: 100, strike: 100 * moneyness, years, volatility, rate: 0.04, dividendYield: 0.01 };
          fc.pre(greeks(p).vega > 1e-3);
          const iv = impliedVolatility(p, price(p));
          expect(iv).not.toBeNull();
          expect(Math.abs((iv ?? 0) - volatility)).toBeLessThan(1e-6);
        },
      ),
    );
  });

  const base = { type: "call" as const, spot: 100, strike: 90, years: 0.25, rate: 0.04, dividendYield: 0 };
  it.each([
    ["below intrinsic (call)", base, 9.5],
    ["exactly the discounted intrinsic", base, 100 - 90 * Math.exp(-0.04 * 0.25)],
    ["at or above the spot (call upper bound)", base, 100],
    ["above the discounted strike (put upper bound)", { ...base, type: "put" as const, strike: 110 }, 110],
    ["zero price", { ...base, strike: 120 }, 0],
    ["negative price", base, -1],
    ["already expired", { ...base, years: 0 }, 12],
    ["not a number", base, Number.NaN],
  ])("no solution: %s", (_name, input, market) => {
    expect(impliedVolatility(input, market)).toBeNull();
  });
});

describe("solveImpliedVolatility: the European solver names why a price has no IV", () => {
  const year10 = { spot: 600, years: 0.1, rate: 0.04, dividendYield: 0 };
  const put640 = { ...year10, type: "put" as const, strike: 640 };
  const call560 = { ...year10, type: "call" as const, strike: 560 };

  it("a 640 put at 39.50 (spot 600, 0.1 year, 4 %) is above the European floor 640·e^−0.004 − 600 = 37.45: it solves, 16.7 %", () => {
    // The European view: an American quote is checked against intrinsic (40) before it gets here.
    const solved = solveImpliedVolatility(put640, 39.5);
    expect(solved.kind).toBe("solved");
    expect(solved.kind === "solved" && solved.volatility).toBeCloseTo(0.1673, 4);
  });

  it("the 640 put at 37.40 is under the European floor 37.45: below_european_bound", () => {
    expect(solveImpliedVolatility(put640, 37.4)).toEqual({ kind: "none", reason: "below_european_bound" });
  });

  it("a 560 call at 41 is above intrinsic 40 and under the floor 600 − 560·e^−0.004 = 42.24: below_european_bound; at 43 it solves, 15.1 %", () => {
    expect(solveImpliedVolatility(call560, 41)).toEqual({ kind: "none", reason: "below_european_bound" });
    const solved = solveImpliedVolatility(call560, 43);
    expect(solved.kind === "solved" && solved.volatility).toBeCloseTo(0.1513, 4);
  });

  it("the 640 put at 638 is over the discounted strike 637.45: above_upper_bound; no time left: invalid_input", () => {
    expect(solveImpliedVolatility(put640, 638)).toEqual({ kind: "none", reason: "above_upper_bound" });
    expect(solveImpliedVolatility({ ...put640, years: 0 }, 41)).toEqual({ kind: "none", reason: "invalid_input" });
  });
});

describe("probabilityOtm and expectedMove", () => {
  it("a call and a put at the same strike have complementary OTM probabilities", () => {
    const p = { ...hull, strike: 45 };
    expect(probabilityOtm({ ...p, type: "call" }) + probabilityOtm({ ...p, type: "put" })).toBeCloseTo(1, 12);
  });

  it.each([
    ["far OTM put is likely OTM", { ...hull, type: "put" as const, strike: 30 }, 0.99, 1],
    ["far ITM call is unlikely OTM", { ...hull, type: "call" as const, strike: 30 }, 0, 0.01],
    ["expired OTM put is OTM for sure", { ...hull, type: "put" as const, strike: 40, years: 0 }, 1, 1],
    ["expired ITM put is not", { ...hull, type: "put" as const, strike: 45, years: 0 }, 0, 0],
  ])("%s", (_name, p, min, max) => {
    const prob = probabilityOtm(p);
    expect(prob).toBeGreaterThanOrEqual(min);
    expect(prob).toBeLessThanOrEqual(max);
  });

  it.each([
    [600, 0.2, 365, 120],
    [600, 0.2, 0, 0],
    [100, 0.365, 36.5, 100 * 0.365 * Math.sqrt(0.1)],
  ])("one-sigma move of %s at σ=%s over %s days is %s", (spot, vol, days, expected) => {
    expect(expectedMove(spot, vol, days)).toBeCloseTo(expected, 9);
  });
});
