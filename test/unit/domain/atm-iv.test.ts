import { describe, expect, it } from "vitest";
import { atmImpliedVolatility, constantMaturityIv, type ExpiryAtmIv } from "../../../src/domain/atm-iv";
import { buildOccSymbol } from "../../../src/domain/occ";
import type { OptionQuote, OptionType } from "../../../src/domain/types";

const at = (days: number, iv: number, expiration = `+${days}d`): ExpiryAtmIv => ({ expiration, years: days / 365, iv });
/** A term structure whose total variance is linear in time: w(T) = 0.0005 + 0.03·T. */
const linearW = (days: number) => at(days, Math.sqrt((0.0005 + 0.03 * (days / 365)) / (days / 365)));

describe("constantMaturityIv: the 30-day ATM IV, interpolated in total variance", () => {
  it("23 days at 20 % and 37 days at 18 % give 18.79 % at 30 days: σ²T of 0.92 and 1.1988 vol²·days, halfway 1.0594, over 30", () => {
    const cm = constantMaturityIv([at(23, 0.2), at(37, 0.18)]);
    expect(cm?.method).toBe("interpolated");
    expect(cm?.iv).toBeCloseTo(Math.sqrt(1.0594 / 30), 12);
    expect(cm?.iv).toBeCloseTo(0.18792, 5);
    expect(cm?.from.map((p) => p.expiration)).toEqual(["+23d", "+37d"]);
  });

  it("w(T) = 0.0005 + 0.03·T reads 19.00 % a week apart (23/37 days, then 16/30), where the first expiry past 30 days read 18.69 % then 19.00 %", () => {
    const weekOne = constantMaturityIv([linearW(16), linearW(23), linearW(37)]);
    const weekTwo = constantMaturityIv([linearW(9), linearW(16), linearW(30)]);
    expect(weekOne?.iv).toBeCloseTo(0.18996, 5);
    expect(weekTwo?.iv).toBeCloseTo(0.18996, 5);
    expect(linearW(37).iv).toBeCloseTo(0.1869, 4);
  });

  it("an expiry at exactly 30 days is read as is: 19 % at 30 days and 18 % at 37 give 19 %", () => {
    expect(constantMaturityIv([at(30, 0.19), at(37, 0.18)])?.iv).toBeCloseTo(0.19, 12);
  });

  it("with expirations on one side only, flat in vol from the nearest: 37 days at 18 % and 44 at 17 % give 18 %; 23 days at 20 % alone gives 20 %", () => {
    expect(constantMaturityIv([at(44, 0.17), at(37, 0.18)])).toMatchObject({ iv: 0.18, method: "flat" });
    expect(constantMaturityIv([at(23, 0.2)])).toMatchObject({ iv: 0.2, method: "flat" });
  });

  it("leaves out expirations inside a week: 3 days at 50 % and 37 at 18 % give 18 %, flat; nothing usable gives null", () => {
    expect(constantMaturityIv([at(3, 0.5), at(37, 0.18)])).toMatchObject({ iv: 0.18, method: "flat" });
    expect(constantMaturityIv([at(3, 0.5)])).toBeNull();
    expect(constantMaturityIv([])).toBeNull();
  });
});

describe("atmImpliedVolatility: a chain's 30-day ATM IV", () => {
  const NOW = Date.parse("2027-01-15T15:00:00Z"); // 10:00 New York
  const quote = (type: OptionType, expiration: string, strike: number, iv: number | null): OptionQuote => ({
    symbol: buildOccSymbol({ underlying: "SPY", expiration, type, strike }),
    underlying: "SPY",
    type,
    strike,
    expiration,
    bid: 1,
    ask: 1.1,
    last: 1.05,
    volume: 10,
    openInterest: 100,
    impliedVolatility: iv,
    greeks: null,
    ivSource: iv === null ? null : "broker",
    greeksSource: null,
    quotedAt: NOW,
  });

  it("averages put and call at the strike nearest spot per expiry, then interpolates: 5 Feb (21.25 days) 20 %, 19 Feb (35.25 days) 18 % give 18.55 %", () => {
    const chain = {
      underlying: { symbol: "SPY", price: 601, bid: 600.99, ask: 601.01, asOf: NOW },
      contracts: [
        quote("put", "2027-02-05", 600, 0.21),
        quote("call", "2027-02-05", 600, 0.19),
        quote("put", "2027-02-05", 605, 0.5),
        quote("put", "2027-02-19", 600, 0.185),
        quote("call", "2027-02-19", 600, 0.175),
        quote("call", "2027-02-19", 602, null),
      ],
    };
    const cm = atmImpliedVolatility(chain, NOW);
    // σ²T in vol²·days: 0.04 × 21.25 = 0.85 and 0.0324 × 35.25 = 1.1421; at 30 days
    // 0.85 + 0.2921 × 8.75 / 14 = 1.0325625, over 30: σ = 18.55 %.
    expect(cm?.iv).toBeCloseTo(Math.sqrt(1.0325625 / 30), 9);
    expect(cm?.from.map((p) => [p.expiration, p.iv])).toEqual([
      ["2027-02-05", 0.2],
      ["2027-02-19", 0.18],
    ]);
  });
});
