import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  readQuote,
  tryReadQuote,
  withComputedChainGreeks,
  withComputedGreeks,
  yearsToExpiration,
} from "../../../src/domain/greeks-from-quotes";
import { greeks, type PricingInput, price } from "../../../src/domain/option-math";
import type { OptionQuote, OptionType } from "../../../src/domain/types";

const NOW = Date.parse("2027-01-15T15:00:00Z"); // 10:00 New York
const EXPIRY = "2027-02-19"; // closes 2027-02-19 21:00 UTC: 35.25 days away
const YEARS = 35.25 / 365;
const market = { spot: 600, years: YEARS, rate: 0.04, dividendYield: 0 };

const model = (type: OptionType, strike: number, volatility: number): PricingInput => ({
  type,
  strike,
  volatility,
  ...market,
});

/** A quote whose mid is exactly the model price at `volatility`, ten cents wide, from a feed that sent no greeks or IV. */
function bare(type: OptionType, strike: number, volatility: number, overrides: Partial<OptionQuote> = {}): OptionQuote {
  const fair = price(model(type, strike, volatility));
  return {
    symbol: `SPY270219${type === "call" ? "C" : "P"}${String(strike * 1000).padStart(8, "0")}`,
    underlying: "SPY",
    type,
    strike,
    expiration: EXPIRY,
    bid: fair - 0.05,
    ask: fair + 0.05,
    last: fair,
    volume: 100,
    openInterest: 1000,
    impliedVolatility: null,
    greeks: null,
    ivSource: null,
    greeksSource: null,
    quotedAt: NOW,
    ...overrides,
  };
}

describe("yearsToExpiration", () => {
  it("counts to the expiration day's 16:00 New York close: 35.25 days from 10:00 on 15 Jan to 19 Feb", () => {
    expect(yearsToExpiration(EXPIRY, NOW)).toBeCloseTo(35.25 / 365, 12);
  });

  it("counts to 13:00 on an early close (Friday 26 Nov 2027, after Thanksgiving): 3 h from 10:00", () => {
    expect(yearsToExpiration("2027-11-26", Date.parse("2027-11-26T15:00:00Z"))).toBeCloseTo(3 / 24 / 365, 12);
  });

  it("is 0 once the expiration's close has passed", () => {
    expect(yearsToExpiration("2027-01-15", Date.parse("2027-01-15T21:30:00Z"))).toBe(0);
  });
});

describe("readQuote: IV and greeks from a quote's mid", () => {
  it.each([
    ["a 0.25-delta put, 570 at 22 %", "put", 570, 0.22],
    ["a 0.25-delta call, 625 at 16 %", "call", 625, 0.16],
    ["the at-the-money put, 600 at 18 %", "put", 600, 0.18],
    ["a call $2 in the money, 598 at 18 % (mid 15.60, mostly time value)", "call", 598, 0.18],
    ["a far put, 500 at 45 %", "put", 500, 0.45],
  ] as const)("round trip on %s: price → solve → the same IV and delta", (_name, type, strike, volatility) => {
    const read = readQuote(bare(type, strike, volatility), market);
    expect(read?.impliedVolatility).toBeCloseTo(volatility, 8);
    expect(read?.greeks.delta).toBeCloseTo(greeks(model(type, strike, volatility)).delta, 8);
    expect(read?.greeks.vega).toBeCloseTo(greeks(model(type, strike, volatility)).vega, 6);
  });

  it("round-trips any out-of-the-money quote worth at least a nickel (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<OptionType>("put", "call"),
        fc.double({ min: 0.02, max: 0.25, noNaN: true }),
        fc.double({ min: 0.08, max: 1.2, noNaN: true }),
        fc.integer({ min: 7, max: 365 }),
        (type, distance, volatility, days) => {
          const strike = Math.round(type === "put" ? 600 * (1 - distance) : 600 * (1 + distance));
          const at = { ...market, years: days / 365 };
          const fair = price({ ...at, type, strike, volatility });
          fc.pre(fair >= 0.05);
          const read = readQuote({ type, strike, bid: fair - 0.01, ask: fair + 0.01 }, at);
          expect(read?.impliedVolatility).toBeCloseTo(volatility, 6);
          expect(read?.greeks.delta).toBeCloseTo(greeks({ ...at, type, strike, volatility }).delta, 6);
        },
      ),
    );
  });

  it.each([
    ["no bid (0 × 0.40): the mid is half an offer", { bid: 0, ask: 0.4 }],
    ["no bid at all (null)", { bid: null, ask: 0.4 }],
    ["no ask", { bid: 0.3, ask: null }],
    ["a crossed quote (bid 1.20 over ask 1.10)", { bid: 1.2, ask: 1.1 }],
  ])("is null for %s", (_name, sides) => {
    expect(readQuote({ type: "put", strike: 570, ...sides }, market)).toBeNull();
  });

  it("is null deep in the money (put 640 with spot 600, mid 41.50, intrinsic 40): early exercise is not in the model", () => {
    expect(readQuote({ type: "put", strike: 640, bid: 41, ask: 42 }, market)).toBeNull();
  });

  it("is null once intrinsic value is half the mid (put 610, spot 600: intrinsic 10, mid 20 null, mid 20.02 read)", () => {
    expect(readQuote({ type: "put", strike: 610, bid: 19.9, ask: 20.1 }, market)).toBeNull();
    expect(readQuote({ type: "put", strike: 610, bid: 19.92, ask: 20.12 }, market)).not.toBeNull();
  });

  it("is null when the mid is below the no-arbitrage floor (call 601 over a year, mid 10 < 600 − 601·e^−0.04 = 22.56)", () => {
    expect(readQuote({ type: "call", strike: 601, bid: 9.9, ask: 10.1 }, { ...market, years: 1 })).toBeNull();
  });

  it("is null when the mid is above what any volatility gives (put 500, mid 510 > the strike)", () => {
    expect(readQuote({ type: "put", strike: 500, bid: 509, ask: 511 }, market)).toBeNull();
  });

  it("is null on or after expiry, or without a spot", () => {
    expect(readQuote({ type: "put", strike: 570, bid: 1, ask: 1.1 }, { ...market, years: 0 })).toBeNull();
    expect(readQuote({ type: "put", strike: 570, bid: 1, ask: 1.1 }, { ...market, spot: 0 })).toBeNull();
  });
});

describe("tryReadQuote: an American quote is read where the European model agrees, skipped with a reason elsewhere", () => {
  const tenth = { spot: 600, years: 0.1, rate: 0.04, dividendYield: 0 };

  it("a 640 put at mid 39.50 (spot 600, 0.1 year, 4 %) is under its intrinsic 40: below_intrinsic (the European floor 37.45 alone read it as 16.7 %)", () => {
    expect(tryReadQuote({ type: "put", strike: 640, bid: 39.4, ask: 39.6 }, tenth)).toEqual({
      kind: "skipped",
      reason: "below_intrinsic",
    });
  });

  it("the 640 put at its intrinsic 40 is all early exercise, which the European model reads as 17.9 %: early_exercise_premium", () => {
    expect(tryReadQuote({ type: "put", strike: 640, bid: 39.9, ask: 40.1 }, tenth)).toEqual({
      kind: "skipped",
      reason: "early_exercise_premium",
    });
  });

  it("a 599 call at mid 3.00 is above intrinsic 1 and under the European floor 600 − 599·e^−0.004 = 3.39: below_european_bound", () => {
    expect(tryReadQuote({ type: "call", strike: 599, bid: 2.9, ask: 3.1 }, tenth)).toEqual({
      kind: "skipped",
      reason: "below_european_bound",
    });
  });

  it("names the quote's own gaps: no bid, no ask, no time", () => {
    expect(tryReadQuote({ type: "put", strike: 570, bid: 0, ask: 0.4 }, tenth)).toEqual({
      kind: "skipped",
      reason: "no_bid",
    });
    expect(tryReadQuote({ type: "put", strike: 570, bid: 0.3, ask: null }, tenth)).toEqual({
      kind: "skipped",
      reason: "no_two_sided_quote",
    });
    expect(tryReadQuote({ type: "put", strike: 570, bid: 1, ask: 1.1 }, { ...tenth, years: 0 })).toEqual({
      kind: "skipped",
      reason: "no_time_or_spot",
    });
  });
});

describe("withComputedGreeks: fills what the broker left out, marked computed", () => {
  it("fills IV and greeks of a quote that had neither, and marks both computed", () => {
    const filled = withComputedGreeks(bare("put", 570, 0.22), market);
    expect(filled.impliedVolatility).toBeCloseTo(0.22, 8);
    expect(filled.greeks?.delta).toBeCloseTo(greeks(model("put", 570, 0.22)).delta, 8);
    expect(filled).toMatchObject({ ivSource: "computed", greeksSource: "computed" });
  });

  it("prices greeks at the broker's IV when only the greeks are missing (IV stays the broker's)", () => {
    const quote = bare("call", 625, 0.16, { impliedVolatility: 0.17, ivSource: "broker" });
    const filled = withComputedGreeks(quote, market);
    expect(filled.impliedVolatility).toBe(0.17);
    expect(filled.greeks).toEqual(greeks(model("call", 625, 0.17)));
    expect(filled).toMatchObject({ ivSource: "broker", greeksSource: "computed" });
  });

  it("keeps the broker's greeks and reads only the IV when the IV is missing", () => {
    const brokerGreeks = { delta: -0.26, gamma: 0.01, theta: -0.2, vega: 70 };
    const quote = bare("put", 570, 0.22, { greeks: brokerGreeks, greeksSource: "broker" });
    const filled = withComputedGreeks(quote, market);
    expect(filled.greeks).toBe(brokerGreeks);
    expect(filled.impliedVolatility).toBeCloseTo(0.22, 8);
    expect(filled).toMatchObject({ ivSource: "computed", greeksSource: "broker" });
  });

  it("returns a complete quote untouched", () => {
    const complete = bare("put", 570, 0.22, {
      impliedVolatility: 0.22,
      ivSource: "broker",
      greeks: greeks(model("put", 570, 0.22)),
      greeksSource: "broker",
    });
    expect(withComputedGreeks(complete, market)).toBe(complete);
  });

  it("leaves an unreadable quote as it came: no bid, or deep in the money", () => {
    const noBid = bare("put", 500, 0.45, { bid: 0 });
    const itm = bare("put", 640, 0.2);
    expect(withComputedGreeks(noBid, market)).toEqual(noBid);
    expect(withComputedGreeks(itm, market)).toEqual(itm);
    expect(withComputedGreeks(itm, market)).toMatchObject({ greeks: null, greeksSource: null, ivSource: null });
  });
});

describe("withComputedChainGreeks", () => {
  it("reads each quote at the chain's spot and its own expiry's time left", () => {
    const near = bare("put", 570, 0.22);
    const later = { ...bare("put", 570, 0.22), expiration: "2027-03-19", symbol: "SPY270319P00570000" };
    const chain = withComputedChainGreeks(
      { underlying: { symbol: "SPY", price: 600, bid: 599.99, ask: 600.01, asOf: NOW }, contracts: [near, later] },
      NOW,
    );
    const [a, b] = chain.contracts;
    expect(a?.impliedVolatility).toBeCloseTo(0.22, 8);
    // The later expiry's mid is the 35-day price, so 63 days read it at a lower IV.
    const laterYears = yearsToExpiration("2027-03-19", NOW);
    expect(b?.impliedVolatility).toBeLessThan(0.22);
    expect(price({ ...model("put", 570, b?.impliedVolatility ?? 0), years: laterYears })).toBeCloseTo(
      price(model("put", 570, 0.22)),
      8,
    );
  });
});
