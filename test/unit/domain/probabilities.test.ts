// Worked numbers in the test names were computed independently (scipy.stats.norm, a separate
// Black-Scholes-Merton and brentq for the exit threshold); the hand formulas are repeated here.
import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf, price, probabilityOtm } from "../../../src/domain/option-math";
import {
  fairSpreadValue,
  impliedDividendYield,
  impliedForwardYield,
  popToExpiry,
  probabilityAbove,
  probabilityInProfitOnExitDay,
  smileAt,
  spreadValueAt,
} from "../../../src/domain/probabilities";
import { quoteMid } from "../../../src/domain/spread-pricing";
import type { OptionType } from "../../../src/domain/types";

const market = { spot: 100, years: 30 / 365, rate: 0.04, dividendYield: 0.01 };

/** N(d2) and F·φ(d1)·√T at strike K and volatility σ, written out from the definitions. */
function byHand(strike: number, volatility: number, years = market.years) {
  const f = market.spot * Math.exp((market.rate - market.dividendYield) * years);
  const d1 = (Math.log(f / strike) + (volatility * volatility * years) / 2) / (volatility * Math.sqrt(years));
  const d2 = d1 - volatility * Math.sqrt(years);
  return { nd2: normalCdf(d2), vegaTerm: f * normalPdf(d1) * Math.sqrt(years) };
}

describe("impliedDividendYield", () => {
  it("by hand: S = K = 100, 1 year, r = 5 %, C − P = 2 gives F = 102.1025 and q = 0.029193", () => {
    const q = impliedDividendYield({ spot: 100, strike: 100, years: 1, rate: 0.05, callMid: 3, putMid: 1 });
    expect(q).toBeCloseTo(0.05 - Math.log((100 + Math.exp(0.05) * 2) / 100), 14);
    expect(q).toBeCloseTo(0.029192562, 9);
  });

  it.each([95, 100, 108])("parity round trip: prices made at q = 0.012 give back 0.012 at strike %s", (strike) => {
    const p = { spot: 100, strike, years: 45 / 365, rate: 0.04, dividendYield: 0.012, volatility: 0.2 };
    const q = impliedDividendYield({
      ...p,
      callMid: price({ ...p, type: "call" }),
      putMid: price({ ...p, type: "put" }),
    });
    expect(Math.abs((q ?? Number.NaN) - 0.012)).toBeLessThan(1e-9);
  });

  it.each([
    ["a call far above parity (q ≈ −0.24)", { callMid: 5, putMid: 2 }],
    ["a put far above parity (q ≈ 0.49)", { callMid: 1, putMid: 5 }],
    ["a forward at or below zero", { callMid: 0, putMid: 150 }],
    ["a NaN mid", { callMid: Number.NaN, putMid: 2 }],
  ])("is null for %s (outside −5 %%..25 %% is a bad quote, not clamped)", (_name, mids) => {
    expect(impliedDividendYield({ spot: 100, strike: 100, years: 30 / 365, rate: 0.04, ...mids })).toBeNull();
  });

  it("is null with no time left", () => {
    expect(impliedDividendYield({ spot: 100, strike: 100, years: 0, rate: 0.04, callMid: 2, putMid: 2 })).toBeNull();
  });
});

describe("impliedForwardYield", () => {
  const p = { spot: 101, years: 45 / 365, rate: 0.04 };
  const quote = (type: OptionType, strike: number, dividendYield: number, half = 0.05) => {
    const mid = price({ ...p, type, strike, dividendYield, volatility: 0.2 });
    return { type, strike, bid: mid - half, ask: mid + half };
  };

  it("reads q = 0.012 at 100, the strike nearest 101 with both sides two-sided quoted", () => {
    const quotes = [
      quote("call", 101, 0.2), // nearest, but no put: skipped
      { ...quote("put", 102, 0.2), bid: null }, // one-sided: skipped
      quote("call", 102, 0.2),
      quote("call", 100, 0.012),
      quote("put", 100, 0.012),
      quote("call", 95, 0.05),
      quote("put", 95, 0.05),
    ];
    expect(Math.abs((impliedForwardYield({ ...p, quotes }) ?? Number.NaN) - 0.012)).toBeLessThan(1e-9);
  });

  it("is null when no strike has a two-sided call and put", () => {
    const quotes = [quote("call", 100, 0.012), { ...quote("put", 100, 0.012), ask: null }, quote("put", 95, 0.012)];
    expect(impliedForwardYield({ ...p, quotes })).toBeNull();
  });
});

describe("smileAt", () => {
  const points = [
    { strike: 110, iv: 0.18 },
    { strike: 90, iv: 0.25 },
    { strike: 100, iv: 0.2 },
  ];

  it.each([
    [95, 0.225, -0.005],
    [105, 0.19, -0.002],
    [100, 0.2, -0.005],
    [80, 0.25, 0],
    [120, 0.18, 0],
  ])("at %s: iv %s, slope %s (linear between the nearest strikes, flat outside)", (strike, iv, slope) => {
    const at = smileAt(points, strike);
    expect(at?.iv).toBeCloseTo(iv, 12);
    expect(at?.slope).toBeCloseTo(slope, 12);
  });

  it("is null without a usable point", () => {
    expect(smileAt([], 100)).toBeNull();
    expect(smileAt([{ strike: 100, iv: 0 }], 100)).toBeNull();
  });
});

describe("probabilityAbove", () => {
  it("a flat 20% smile: P(S_T > 105) at 30 days is N(d2) = 0.2014, equal to the put's probabilityOtm", () => {
    const p = { ...market, strike: 105, volatility: 0.2 };
    const above = probabilityAbove({ ...p, slope: 0 });
    expect(above).toBeCloseTo(0.20141316881, 10);
    expect(above).toBeCloseTo(byHand(105, 0.2).nd2, 14);
    expect(above).toBeCloseTo(probabilityOtm({ ...p, type: "put" }), 14);
  });

  it("a flat 20% smile: P(S_T > 95) is 1 − the 95 call's probabilityOtm (0.1817)", () => {
    const p = { ...market, strike: 95, volatility: 0.2 };
    expect(probabilityAbove({ ...p, slope: 0 })).toBeCloseTo(1 - probabilityOtm({ ...p, type: "call" }), 14);
    expect(1 - probabilityAbove({ ...p, slope: 0 })).toBeCloseTo(0.18169912786, 10);
  });

  it("a put skew at 95 (σ 22 %, slope −0.002/$): N(d2) = 0.7941 plus F·φ(d1)·√T·0.002 = 0.0155 gives 0.8096", () => {
    const above = probabilityAbove({ ...market, strike: 95, volatility: 0.22, slope: -0.002 });
    const { nd2, vegaTerm } = byHand(95, 0.22);
    expect(above).toBeCloseTo(nd2 + vegaTerm * 0.002, 14);
    expect(above).toBeCloseTo(0.80963807272, 10);
    expect(above - nd2).toBeCloseTo(0.01551601989, 10);
  });

  it("on that skew it is the digital −e^{rT}·dC/dK of calls priced along the smile", () => {
    const smileIv = (k: number) => 0.22 - 0.002 * (k - 95);
    const call = (k: number) => price({ ...market, type: "call", strike: k, volatility: smileIv(k) });
    const h = 0.01;
    const digital = (-Math.exp(market.rate * market.years) * (call(95 + h) - call(95 - h))) / (2 * h);
    expect(probabilityAbove({ ...market, strike: 95, volatility: 0.22, slope: -0.002 })).toBeCloseTo(digital, 6);
  });

  it("a slope steep enough to push the formula past 1 is clamped to 1", () => {
    expect(probabilityAbove({ ...market, strike: 95, volatility: 0.22, slope: -1 })).toBe(1);
  });

  it.each([
    ["no time, spot above", { years: 0, volatility: 0.2, strike: 95 }, 1],
    ["no time, spot below", { years: 0, volatility: 0.2, strike: 105 }, 0],
    ["no volatility, spot at the strike", { years: 0.1, volatility: 0, strike: 100 }, 1],
  ])("%s is %s", (_name, p, expected) => {
    expect(probabilityAbove({ ...market, slope: 0, ...p })).toBe(expected);
  });
});

describe("popToExpiry", () => {
  const flat = (iv: number) => [
    { strike: 95, iv },
    { strike: 90, iv },
  ];

  it("a bull put with breakeven 94 on a flat 20% smile: P(S_T > 94) = N(d2) = 0.8629", () => {
    const pop = popToExpiry({ ...market, strategy: "bull_put", breakeven: 94, smile: flat(0.2) });
    expect(pop).toBeCloseTo(byHand(94, 0.2).nd2, 14);
    expect(pop).toBeCloseTo(0.86290510654, 10);
  });

  it("a bear call with breakeven 106 on a flat 20% smile: P(S_T < 106) = N(−d2) = 0.8418", () => {
    const smile = [
      { strike: 105, iv: 0.2 },
      { strike: 110, iv: 0.2 },
    ];
    const pop = popToExpiry({ ...market, strategy: "bear_call", breakeven: 106, smile });
    expect(pop).toBeCloseTo(1 - byHand(106, 0.2).nd2, 14);
    expect(pop).toBeCloseTo(0.84180333677, 10);
  });

  it("a bull put on a skew (95 at 22 %, 90 at 25 %): at 94 σ = 22.6 %, slope −0.006, POP 0.8723 > N(d2) 0.8316", () => {
    const smile = [
      { strike: 95, iv: 0.22 },
      { strike: 90, iv: 0.25 },
    ];
    const pop = popToExpiry({ ...market, strategy: "bull_put", breakeven: 94, smile });
    const { nd2, vegaTerm } = byHand(94, 0.226);
    expect(pop).toBeCloseTo(nd2 + vegaTerm * 0.006, 12);
    expect(pop).toBeCloseTo(0.87229830107, 10);
  });

  it("with r = q, a bull put and a bear call whose breakevens are symmetric in log price around the median F·e^{−σ²T/2} have equal POPs, N(x/σ√T) = 0.8084", () => {
    // Exactly true around the median, not the forward: ln S_T is centred at ln F − σ²T/2.
    const p = { spot: 100, years: 30 / 365, rate: 0.03, dividendYield: 0.03 };
    const median = 100 * Math.exp((-0.04 * p.years) / 2);
    const x = 0.05;
    const bull = popToExpiry({ ...p, strategy: "bull_put", breakeven: median * Math.exp(-x), smile: flat(0.2) });
    const bear = popToExpiry({ ...p, strategy: "bear_call", breakeven: median * Math.exp(x), smile: flat(0.2) });
    expect(bull).toBeCloseTo(normalCdf(x / (0.2 * Math.sqrt(p.years))), 13);
    expect(bear).toBeCloseTo(normalCdf(x / (0.2 * Math.sqrt(p.years))), 13);
    expect(bull).toBeCloseTo(0.80840092033, 10);
  });

  it("is null without a smile point or with a non-positive breakeven", () => {
    expect(popToExpiry({ ...market, strategy: "bull_put", breakeven: 94, smile: [] })).toBeNull();
    expect(popToExpiry({ ...market, strategy: "bull_put", breakeven: -1, smile: flat(0.2) })).toBeNull();
  });
});

describe("spreadValueAt and fairSpreadValue", () => {
  const legs = { type: "put", shortStrike: 95, longStrike: 90 } as const;

  it("is the short leg's price minus the long leg's, each at its own IV", () => {
    const value = spreadValueAt(legs, { ...market, shortIv: 0.22, longIv: 0.25 });
    const leg = (strike: number, volatility: number) => price({ ...market, type: "put", strike, volatility });
    expect(value).toBeCloseTo(leg(95, 0.22) - leg(90, 0.25), 14);
  });

  it("at expiry a 95/90 bull put with spot 97 is worth 0, with spot 92 is worth 3, below 90 the width 5", () => {
    const at = (spot: number) => spreadValueAt(legs, { ...market, spot, years: 0, shortIv: 0.2, longIv: 0.2 });
    expect([at(97), at(92), at(80)]).toEqual([0, 3, 5]);
  });

  it("fairSpreadValue equals the mid credit of a chain priced at that volatility: 95/90 puts at 20 % = 0.4594", () => {
    const mid = (strike: number) => {
      const value = price({ ...market, type: "put", strike, volatility: 0.2 });
      return quoteMid({ bid: value - 0.03, ask: value + 0.03 }) ?? Number.NaN;
    };
    const fair = fairSpreadValue({ ...legs, ...market, volatility: 0.2 });
    expect(fair).toBeCloseTo(mid(95) - mid(90), 12);
    expect(fair).toBeCloseTo(0.45935773541, 10);
  });
});

describe("probabilityInProfitOnExitDay", () => {
  // 45-day spreads, exit at 21 DTE: 24 days to the exit. Credits are the model values at 20 %.
  const years = 45 / 365;
  const base = { ...market, yearsToExit: 24 / 365, yearsLeftAtExit: 21 / 365 };
  const credit = (type: OptionType, shortStrike: number, longStrike: number) =>
    fairSpreadValue({ ...market, years, type, shortStrike, longStrike, volatility: 0.2 });
  const bullPut = {
    ...base,
    strategy: "bull_put",
    shortStrike: 95,
    longStrike: 90,
    shortIv: 0.2,
    longIv: 0.2,
    credit: credit("put", 95, 90),
  } as const;
  const bearCall = {
    ...base,
    strategy: "bear_call",
    shortStrike: 105,
    longStrike: 110,
    shortIv: 0.2,
    longIv: 0.2,
    credit: credit("call", 105, 110),
  } as const;

  it.each([
    ["bull put 95/90 (credit 0.6725), in profit: S* = 97.734, P(S > S*) = 0.6771", bullPut, 1, 0.6771443713],
    ["bull put 95/90, at the 50% target: S* = 99.681, P = 0.5300", bullPut, 0.5, 0.5299757121],
    ["bear call 105/110 (credit 0.7980), in profit: S* = 102.232, P(S < S*) = 0.6619", bearCall, 1, 0.6619165755],
    ["bear call 105/110, at the 50% target: S* = 100.163, P = 0.5076", bearCall, 0.5, 0.507574253],
  ] as const)("%s", (_name, spread, fraction, expected) => {
    expect(probabilityInProfitOnExitDay({ ...spread, target: fraction * spread.credit })).toBeCloseTo(expected, 8);
  });

  it.each([bullPut, bearCall])("$strategy: in profit is between 0 and 1, the 50% target less likely", (spread) => {
    const inProfit = probabilityInProfitOnExitDay({ ...spread, target: spread.credit }) ?? Number.NaN;
    const atHalf = probabilityInProfitOnExitDay({ ...spread, target: 0.5 * spread.credit }) ?? Number.NaN;
    expect(inProfit).toBeGreaterThan(0);
    expect(inProfit).toBeLessThan(1);
    expect(atHalf).toBeLessThan(inProfit);
  });

  it.each([
    ["bull_put", bullPut, 95 - bullPut.credit],
    ["bear_call", bearCall, 105 + bearCall.credit],
  ] as const)("%s: exiting at expiry (no time left) is the expiry POP at the breakeven", (strategy, spread, be) => {
    const p = { ...spread, yearsToExit: years, yearsLeftAtExit: 0, target: spread.credit };
    const smile = [
      { strike: spread.shortStrike, iv: 0.2 },
      { strike: spread.longStrike, iv: 0.2 },
    ];
    const expiryPop = popToExpiry({ ...market, years, strategy, breakeven: be, smile });
    expect(probabilityInProfitOnExitDay(p)).toBeCloseTo(expiryPop ?? Number.NaN, 9);
  });

  it("a target the spread never gets down to (0) is 0; one it is always under (the width) is 1", () => {
    expect(probabilityInProfitOnExitDay({ ...bullPut, target: 0 })).toBe(0);
    expect(probabilityInProfitOnExitDay({ ...bullPut, target: 5 })).toBe(1);
  });

  it.each([
    ["strikes the wrong way round", { shortStrike: 90, longStrike: 95 }],
    ["no time to the exit", { yearsToExit: 0 }],
    ["negative time left at the exit", { yearsLeftAtExit: -0.01 }],
    ["a zero IV", { longIv: 0 }],
    ["a NaN spot", { spot: Number.NaN }],
  ])("is null with %s", (_name, bad) => {
    expect(probabilityInProfitOnExitDay({ ...bullPut, target: bullPut.credit, ...bad })).toBeNull();
  });
});
