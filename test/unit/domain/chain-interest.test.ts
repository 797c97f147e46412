import { describe, expect, it } from "vitest";
import { chainInterest, NEAR_MONEY_FRACTION, NEAR_MONEY_MIN } from "../../../src/domain/chain-interest";
import { greeks } from "../../../src/domain/option-math";
import { VOLATILITY_MARGIN } from "../../../src/domain/strike-window";
import type { OptionType } from "../../../src/domain/types";

const WINGS_FROM = "2027-02-11"; // 30 days after 12 January 2027
const ATM_ONLY = "2027-02-04"; // the expiry a week short, read for the 30-day ATM IV
const SPY = { spot: 600, atmIv: 0.15, dteMax: 45, rate: 0.04, wingsFrom: WINGS_FROM };
const at = (type: OptionType, strike: number, expiration = WINGS_FROM) => ({ type, strike, expiration });

describe("chainInterest", () => {
  it("reads both sides near the money on every expiry, and nothing else before the first the screener may pick", () => {
    const keep = chainInterest(SPY);
    const band = SPY.spot * NEAR_MONEY_FRACTION; // 12: more than NEAR_MONEY_MIN at this price
    for (const type of ["put", "call"] as const)
      for (const expiration of [ATM_ONLY, WINGS_FROM]) {
        expect(keep(at(type, SPY.spot - band, expiration))).toBe(true);
        expect(keep(at(type, SPY.spot + band, expiration))).toBe(true);
      }
    expect(keep(at("put", 570, ATM_ONLY))).toBe(false);
    expect(keep(at("call", 630, ATM_ONLY))).toBe(false);
  });

  it("from then on reads the out-of-the-money wings and leaves the in-the-money strikes beyond the band", () => {
    const keep = chainInterest(SPY);
    expect(keep(at("put", 520))).toBe(true);
    expect(keep(at("call", 680))).toBe(true);
    expect(keep(at("put", 640))).toBe(false);
    expect(keep(at("call", 560))).toBe(false);
  });

  it("keeps the strike nearest the price on both sides when strikes are 5 dollars apart on a cheap underlying", () => {
    // $2.50 either way: a $5 grid always has a strike that close to any price.
    const keep = chainInterest({ ...SPY, spot: 42.5, atmIv: 0.3 });
    expect(NEAR_MONEY_MIN).toBe(2.5);
    expect(keep(at("put", 45, ATM_ONLY))).toBe(true);
    expect(keep(at("call", 40, ATM_ONLY))).toBe(true);
  });

  it("keeps every put or call whose |delta| can be 0.50 or less (SHORT_DELTA_MAX's ceiling), at any volatility up to the window's", () => {
    for (const atmIv of [0.1, 0.3, 0.6]) {
      const keep = chainInterest({ ...SPY, atmIv });
      for (const dte of [30, 38, 45])
        for (const volatility of [atmIv, atmIv * VOLATILITY_MARGIN])
          for (let strike = 400; strike <= 800; strike += 1)
            for (const type of ["put", "call"] as const) {
              const { delta } = greeks({
                type,
                spot: SPY.spot,
                strike,
                years: dte / 365,
                rate: SPY.rate,
                dividendYield: 0,
                volatility,
              });
              if (Math.abs(delta) <= 0.5)
                expect(keep(at(type, strike)), `${type} ${strike} at ${volatility}`).toBe(true);
            }
    }
  });

  it("in a volatile market reaches further in the money on the put side than the band", () => {
    const keep = chainInterest({ ...SPY, atmIv: 0.6 });
    // At 120 % volatility and 46 days, a put 5 % in the money can still have |delta| under 0.5.
    expect(keep(at("put", 630))).toBe(true);
    expect(chainInterest(SPY)(at("put", 630))).toBe(false);
  });

  it("reads everything when the price is unknown", () => {
    const keep = chainInterest({ ...SPY, spot: Number.NaN });
    expect(keep(at("put", 900, ATM_ONLY))).toBe(true);
  });
});
