import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SizingInput, sizeTrade } from "../../../src/domain/sizing";

const base: SizingInput = {
  equity: 100_000,
  buyingPower: 50_000,
  riskPerTradePct: 0.02,
  maxLossPerContract: 380,
  maxContracts: 10,
  riskHeadroom: 20_000,
};

describe("sizeTrade", () => {
  it.each([
    [
      "2% of $100k over $380 a contract (2× is also the max: shown once)",
      {},
      5,
      [
        ["1×", 5],
        ["2×", 10],
      ],
    ],
    [
      "budget exactly one contract",
      { maxLossPerContract: 2000 },
      1,
      [
        ["1×", 1],
        ["2×", 2],
        ["max", 10],
      ],
    ],
    [
      "contract cap limits 2×",
      { maxContracts: 7 },
      5,
      [
        ["1×", 5],
        ["2×", 7],
      ],
    ],
    [
      "room above 2×",
      { maxContracts: 20, buyingPower: 100_000 },
      5,
      [
        ["1×", 5],
        ["2×", 10],
        ["max", 20],
      ],
    ],
    ["cap below 1×: all choices collapse into one", { maxContracts: 3 }, 3, [["1×", 3]]],
    ["buying power limits max", { buyingPower: 2_000 }, 5, [["1×", 5]]],
    [
      "the total-risk headroom caps max and 2× (7 × $380 = $2,660 fits in $2,700)",
      { maxContracts: 20, buyingPower: 100_000, riskHeadroom: 2_700 },
      5,
      [
        ["1×", 5],
        ["2×", 7],
      ],
    ],
    ["headroom below 1×: every choice fits in it", { riskHeadroom: 1_200 }, 3, [["1×", 3]]],
    ["headroom exactly two contracts", { riskHeadroom: 760 }, 2, [["1×", 2]]],
    [
      "buying power between 1× and 2×",
      { buyingPower: 3_000 },
      5,
      [
        ["1×", 5],
        ["2×", 7],
      ],
    ],
  ] as const)("%s", (_name, overrides, contracts, choices) => {
    const result = sizeTrade({ ...base, ...overrides });
    expect(result.contracts).toBe(contracts);
    if ("reason" in result) throw new Error(result.reason);
    expect(result.choices.map((c) => [c.label, c.contracts])).toEqual(choices);
    expect(result.maxContracts).toBe(Math.max(...result.choices.map((c) => c.contracts)));
  });

  it.each([
    ["one contract risks more than the budget", { maxLossPerContract: 2500 }, "more than the 2.0% per-trade budget"],
    ["buying power below one contract", { buyingPower: 300 }, "does not cover one contract"],
    ["no equity", { equity: 0 }, "nothing to risk"],
    ["a zero max loss", { maxLossPerContract: 0 }, "must be positive"],
    ["not a number", { equity: Number.NaN }, "not all numbers"],
    ["the total-risk limit has no room left", { riskHeadroom: 0 }, "the total-risk limit has $0.00 left"],
    ["the headroom is below one contract", { riskHeadroom: 379.99 }, "less than one contract's $380.00"],
  ])("no trade when %s", (_name, overrides, reason) => {
    const result = sizeTrade({ ...base, ...overrides });
    expect(result.contracts).toBe(0);
    expect("reason" in result && result.reason).toContain(reason);
  });

  it("never exceeds the contract cap, the buying power or the choices it offers (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1_000, max: 10_000_000, noNaN: true }),
        fc.double({ min: 0, max: 10_000_000, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        fc.double({ min: 1, max: 5_000, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 10_000_000, noNaN: true }),
        (equity, buyingPower, riskPerTradePct, maxLossPerContract, maxContracts, riskHeadroom) => {
          const result = sizeTrade({
            equity,
            buyingPower,
            riskPerTradePct,
            maxLossPerContract,
            maxContracts,
            riskHeadroom,
          });
          if ("reason" in result) return;
          for (const c of result.choices) {
            expect(Number.isInteger(c.contracts)).toBe(true);
            expect(c.contracts).toBeGreaterThanOrEqual(1);
            expect(c.contracts).toBeLessThanOrEqual(maxContracts);
            expect(c.contracts * maxLossPerContract).toBeLessThanOrEqual(buyingPower * (1 + 1e-9));
            expect(c.contracts * maxLossPerContract).toBeLessThanOrEqual(riskHeadroom + 1e-6);
          }
          expect(result.contracts * maxLossPerContract).toBeLessThanOrEqual(equity * riskPerTradePct * (1 + 1e-9));
          expect(new Set(result.choices.map((c) => c.contracts)).size).toBe(result.choices.length);
        },
      ),
    );
  });
});
