import { describe, expect, it } from "vitest";
import { atmImpliedVolatility } from "../../../src/domain/atm-iv";
import {
  type ContractParts,
  chainInterest,
  type InterestInput,
  NEAR_MONEY_FRACTION,
  NEAR_MONEY_MIN,
  sideStrikes,
} from "../../../src/domain/chain-interest";
import { greeks } from "../../../src/domain/option-math";
import { screenCreditSpreads } from "../../../src/domain/screener";
import { VOLATILITY_MARGIN } from "../../../src/domain/strike-window";
import type { OptionChain, OptionType } from "../../../src/domain/types";
import { modelQuote, screenSettings } from "../../support/builders";

const WINGS_FROM = "2027-02-11"; // 30 days after 12 January 2027
const ATM_ONLY = "2027-02-04"; // the expiry a week short, read for the 30-day ATM IV
const SPY = { spot: 600, atmIv: 0.15, dteMax: 45, rate: 0.04, wingsFrom: WINGS_FROM };
const at = (type: OptionType, strike: number, expiration = WINGS_FROM) => ({ type, strike, expiration });

/** Both sides of both expiries, every `step` dollars from `from` to `to`: the chain's symbols. */
function grid(from: number, to: number, step: number): ContractParts[] {
  const parts: ContractParts[] = [];
  for (const expiration of [ATM_ONLY, WINGS_FROM])
    for (let strike = from; strike <= to; strike += step)
      for (const type of ["put", "call"] as const) parts.push({ type, strike, expiration });
  return parts;
}
/** The scan's selection on a dense grid (a dollar apart, as SPY's). */
const chainInterestOn = (input: InterestInput, available = grid(400, 800, 1)) => chainInterest(input)(available);

describe("chainInterest", () => {
  it("reads both sides near the money on every expiry, and nothing else before the first the screener may pick", () => {
    const keep = chainInterestOn(SPY);
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
    const keep = chainInterestOn(SPY);
    expect(keep(at("put", 520))).toBe(true);
    expect(keep(at("call", 680))).toBe(true);
    expect(keep(at("put", 640))).toBe(false);
    expect(keep(at("call", 560))).toBe(false);
  });

  it("keeps the strike nearest the price on both sides when strikes are 5 dollars apart on a cheap underlying", () => {
    // $2.50 either way: a $5 grid always has a strike that close to any price.
    const keep = chainInterestOn({ ...SPY, spot: 42.5, atmIv: 0.3 }, grid(20, 70, 5));
    expect(NEAR_MONEY_MIN).toBe(2.5);
    expect(keep(at("put", 45, ATM_ONLY))).toBe(true);
    expect(keep(at("call", 40, ATM_ONLY))).toBe(true);
  });

  it("keeps every put or call whose |delta| can be 0.50 or less (SHORT_DELTA_MAX's ceiling), at any volatility up to the window's", () => {
    for (const atmIv of [0.1, 0.3, 0.6]) {
      const keep = chainInterestOn({ ...SPY, atmIv });
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
    const keep = chainInterestOn({ ...SPY, atmIv: 0.6 });
    // At 120 % volatility and 46 days, a put 5 % in the money can still have |delta| under 0.5.
    expect(keep(at("put", 630))).toBe(true);
    expect(chainInterestOn(SPY)(at("put", 630))).toBe(false);
  });

  it("on a grid wider than the band keeps the two listed strikes on each side of the price, on every expiry", () => {
    // $10 strikes at $205: none within 2 % ($4.10) or $2.50 of the price.
    const keep = chainInterestOn({ ...SPY, spot: 205, atmIv: 0.25 }, grid(150, 260, 10));
    for (const type of ["put", "call"] as const) {
      for (const strike of [190, 200, 210, 220])
        expect(keep(at(type, strike, ATM_ONLY)), `${type} ${strike}`).toBe(true);
      for (const strike of [180, 230]) expect(keep(at(type, strike, ATM_ONLY)), `${type} ${strike}`).toBe(false);
    }
    // The in-the-money side of the nearest strikes too, for put-call parity on the wings' expiries.
    expect(keep(at("call", 190))).toBe(true);
    expect(keep(at("call", 180))).toBe(false);
    expect(keep(at("put", 220))).toBe(true);
  });

  // The promise, on model chains with a put skew: the screener finds the same spreads (legs, order,
  // score, the dividend yield parity reads) and the ATM IV is read from the same expiries, from
  // the selected contracts as from all of them. $10 strikes are wider than the band.
  for (const [spot, step] of [
    [205, 10],
    [185, 10],
    [600, 1],
    [42.5, 2.5],
  ] as const)
    it(`changes nothing the scan decides: $${step} strikes at $${spot}`, () => {
      const { chain, decisions } = modelChain(spot, step);
      const keep = chainInterest({ ...SPY, spot, atmIv: 0.25 })(chain.contracts);
      const selected = { ...chain, contracts: chain.contracts.filter(keep) };
      expect(selected.contracts.length).toBeLessThan(chain.contracts.length * 0.7);
      const all = decisions(chain);
      expect(all.spreads.length).toBeGreaterThan(1);
      expect(all.atm[1]).toHaveLength(2);
      expect(decisions(selected)).toEqual(all);
    });

  it("reads everything when the price is unknown", () => {
    const keep = chainInterestOn({ ...SPY, spot: Number.NaN });
    expect(keep(at("put", 900, ATM_ONLY))).toBe(true);
  });
});

describe("sideStrikes", () => {
  const WINDOW = { from: 510, to: 690 };

  it("asks for puts up to a little over the price and calls from a little under it, inside the window", () => {
    const sides = sideStrikes(SPY, WINDOW);
    const band = SPY.spot * NEAR_MONEY_FRACTION;
    expect(sides?.put.from).toBe(WINDOW.from);
    expect(sides?.call.to).toBe(WINDOW.to);
    expect(sides?.put.to).toBeGreaterThanOrEqual(SPY.spot + band);
    expect(sides?.put.to).toBeLessThan(SPY.spot * 1.05);
    expect(sides?.call.from).toBe(SPY.spot - band);
    // Never outside the window, even when the window is narrower than the band.
    const narrow = sideStrikes(SPY, { from: 595, to: 605 });
    expect(narrow).toEqual({ put: { from: 595, to: 605 }, call: { from: 595, to: 605 } });
  });

  it("fetches every contract the selector keeps on a dollar grid, at any volatility", () => {
    for (const atmIv of [null, 0.1, 0.3, 0.6]) {
      const input = { ...SPY, atmIv };
      const sides = sideStrikes(input, WINDOW);
      if (!sides) throw new Error("expected sides");
      const available = grid(WINDOW.from, WINDOW.to, 1);
      const keep = chainInterest(input)(available);
      for (const c of available.filter(keep)) {
        const range = sides[c.type];
        expect(c.strike >= range.from && c.strike <= range.to, `${c.type} ${c.strike} at ${atmIv}`).toBe(true);
      }
    }
  });

  // The chain fetched by side, then selected from what came, against the whole chain: the same
  // decisions on grids up to $5 or 4 % of the price apart (the band holds the nearest strike on
  // both sides).
  for (const [spot, step] of [
    [600, 1],
    [42.5, 2.5],
    [130, 5],
  ] as const)
    it(`changes nothing the scan decides: $${step} strikes at $${spot}`, () => {
      const { chain, decisions } = modelChain(spot, step);
      const input = { ...SPY, spot, atmIv: 0.25 };
      const strikes = chain.contracts.map((c) => c.strike);
      const sides = sideStrikes(input, { from: Math.min(...strikes), to: Math.max(...strikes) });
      if (!sides) throw new Error("expected sides");
      const fetched = chain.contracts.filter((c) => c.strike >= sides[c.type].from && c.strike <= sides[c.type].to);
      // A quarter less or more: the band is the larger share of a cheap underlying's window.
      expect(fetched.length).toBeLessThan(chain.contracts.length * 0.75);
      const keep = chainInterest(input)(fetched);
      expect(decisions({ ...chain, contracts: fetched.filter(keep) })).toEqual(decisions(chain));
    });

  it("leaves the chain whole when the price is unknown", () => {
    expect(sideStrikes({ ...SPY, spot: 0 }, WINDOW)).toBeNull();
  });
});

/** Three expiries of both sides every `step` dollars within 20 % of `spot`, with a put skew, and what the scan decides on a chain. */
function modelChain(spot: number, step: number) {
  const now = Date.UTC(2027, 0, 12, 15, 35);
  const contracts = [];
  for (const expiration of [ATM_ONLY, WINGS_FROM, "2027-02-19"])
    for (let strike = Math.ceil((spot * 0.8) / step) * step; strike <= spot * 1.2; strike += step)
      for (const type of ["put", "call"] as const)
        contracts.push(
          modelQuote({ type, strike, expiration, now, spot, volatility: 0.25 + (0.4 * (spot - strike)) / spot }),
        );
  const chain: OptionChain = {
    underlying: { symbol: "SPY", price: spot, bid: spot, ask: spot, asOf: now },
    contracts,
  };
  const settings = screenSettings({
    minOpenInterest: 0,
    widths: [step, 2 * step],
    shortDeltaMin: 0.1,
    shortDeltaMax: 0.45,
    minCreditToWidth: 0.1,
  });
  const decisions = (c: OptionChain) => {
    const atm = atmImpliedVolatility(c, now);
    const { candidates } = screenCreditSpreads(c, settings, {
      now,
      ivRank: null,
      rate: 0.04,
      dividendYield: 0,
      fees: { optionFeePerContract: 0.65 },
    });
    return {
      atm: [atm?.iv, atm?.from.map((p) => p.expiration)],
      spreads: candidates.map((x) => [x.short.symbol, x.long.symbol, x.score, x.dividendYield, x.referenceVolatility]),
    };
  };
  return { chain, decisions };
}
