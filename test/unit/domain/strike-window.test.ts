import { describe, expect, it } from "vitest";
import { greeks } from "../../../src/domain/option-math";
import { MAX_FRACTION, strikeWindow, VOLATILITY_MARGIN } from "../../../src/domain/strike-window";

const SPY = { spot: 600, dteMax: 45, shortDeltaMin: 0.2, widths: [5, 10], rate: 0.04 };
const deltaAt = (type: "put" | "call", strike: number, atmIv: number) =>
  Math.abs(
    greeks({
      type,
      spot: SPY.spot,
      strike,
      years: SPY.dteMax / 365,
      rate: SPY.rate,
      dividendYield: 0,
      volatility: atmIv * VOLATILITY_MARGIN,
    }).delta,
  );

describe("strikeWindow", () => {
  it("fetches ±15 % of the price when no ATM IV is recorded", () => {
    expect(strikeWindow({ ...SPY, atmIv: null })).toEqual({ from: 510, to: 690 });
  });

  it("at a calm 15 % IV fetches a narrower window that still holds every short the delta range allows, and its long leg", () => {
    const { from, to } = strikeWindow({ ...SPY, atmIv: 0.15 });
    expect(from).toBeGreaterThan(SPY.spot * (1 - MAX_FRACTION));
    expect(to).toBeLessThan(SPY.spot * (1 + MAX_FRACTION));
    // Outside the window less the widest spread, a short's delta is under the minimum even at
    // twice the recorded volatility: no short the screener could pick, nor its long, is left out.
    expect(deltaAt("put", from + 10, 0.15)).toBeLessThanOrEqual(SPY.shortDeltaMin);
    expect(deltaAt("call", to - 10, 0.15)).toBeLessThanOrEqual(SPY.shortDeltaMin);
    expect(from).toBeLessThan(SPY.spot);
    expect(to).toBeGreaterThan(SPY.spot);
  });

  it("never fetches wider than ±15 %, however high the volatility", () => {
    expect(strikeWindow({ ...SPY, atmIv: 0.9 })).toEqual({ from: 510, to: 690 });
  });
});
