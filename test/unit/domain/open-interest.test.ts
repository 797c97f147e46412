import { describe, expect, it } from "vitest";
import { bestGroup, keepLiquid, type ListedContract } from "../../../src/domain/open-interest";
import { type SpreadCandidate, screenCreditSpreads } from "../../../src/domain/screener";
import type { OptionQuote, OptionType } from "../../../src/domain/types";
import { modelQuote, screenSettings } from "../../support/builders";

const NOW = Date.parse("2027-01-15T15:00:00Z"); // 10:00 New York
const NEAR = "2027-02-19"; // 35 days out
const FAR = "2027-02-26"; // 42 days out
const SPOT = 600;
const ctx = { now: NOW, ivRank: 45, rate: 0.04, dividendYield: 0.013, fees: { optionFeePerContract: 0.06 } };

/** A contract priced by Black-Scholes at 20 % volatility, as the snapshots carry it: no open interest. */
const quote = (type: OptionType, strike: number, expiration: string): OptionQuote =>
  modelQuote({ type, strike, expiration, now: NOW, spot: SPOT }, { openInterest: null });

// Both sides of two expiries, screened as the scan does: open interest judged later.
const contracts = [NEAR, FAR].flatMap((expiration) =>
  Array.from({ length: 33 }, (_, i) => 520 + i * 5).flatMap((k) => [
    quote("put", k, expiration),
    quote("call", k, expiration),
  ]),
);
const screened = screenCreditSpreads(
  { underlying: { symbol: "SPY", price: SPOT, bid: 599.98, ask: 600.02, asOf: NOW }, contracts },
  { ...screenSettings(), minOpenInterest: 0 },
  ctx,
);
const best = screened.candidates[0] as SpreadCandidate;
const listedAs = (group: SpreadCandidate[], openInterest: (strike: number) => number | null) =>
  new Map<string, ListedContract>(
    group
      .flatMap((c) => [c.short, c.long])
      .map((q) => [q.symbol, { openInterest: openInterest(q.strike), tradable: true }]),
  );

describe("open interest of the chosen spreads", () => {
  it("the screener, told to leave open interest for later, offers spreads on both sides and both expiries", () => {
    const kinds = new Set(screened.candidates.map((c) => `${c.strategy} ${c.expiration}`));
    expect(kinds.size).toBeGreaterThan(2);
    expect(screened.rejected.low_open_interest).toBeUndefined();
  });

  it("looks up one listing: the best spread's expiry and side, from its group's lowest leg strike to its highest", () => {
    const { group, listing } = bestGroup(screened.candidates, best);
    expect(group[0]).toBe(best);
    expect(group.every((c) => c.expiration === best.expiration && c.strategy === best.strategy)).toBe(true);
    expect(group.length).toBeLessThan(screened.candidates.length);
    const strikes = group.flatMap((c) => [c.short.strike, c.long.strike]);
    expect(listing).toEqual({
      underlying: "SPY",
      expiration: best.expiration,
      type: best.short.type,
      strikeFrom: Math.min(...strikes),
      strikeTo: Math.max(...strikes),
    });
  });

  it("keeps the spreads whose both legs hold at least the minimum, best first, each leg now carrying its open interest", () => {
    const { group } = bestGroup(screened.candidates, best);
    // Open interest 150 from the group's middle strike up, 40 below it: at a minimum of 100 the
    // spreads with a leg below the middle go, the rest stay in their order.
    const legs = group.flatMap((c) => [c.short.strike, c.long.strike]).sort((a, b) => a - b);
    const middle = legs[Math.floor(legs.length / 2)] ?? 0;
    const listed = listedAs(group, (k) => (k >= middle ? 150 : 40));
    const { liquid, rejected } = keepLiquid(group, listed, 100);
    const held = group.filter((c) => c.short.strike >= middle && c.long.strike >= middle);
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(group.length);
    expect(liquid.map((c) => c.short.symbol)).toEqual(held.map((c) => c.short.symbol));
    expect(rejected).toEqual({ low_open_interest: group.length - held.length });
    for (const c of liquid) {
      expect(c.short.openInterest).toBe(150);
      expect(c.long.openInterest).toBe(150);
    }
  });

  it("refuses a spread with a leg the listing lacks, marks not tradable or gives no open interest for", () => {
    const { group } = bestGroup(screened.candidates, best);
    const first = group[0] as SpreadCandidate;
    const listed = listedAs(group, () => 500);
    listed.delete(first.long.symbol);
    const missing = keepLiquid([first], listed, 100);
    expect(missing).toEqual({ liquid: [], rejected: { not_tradable: 1 } });
    listed.set(first.long.symbol, { openInterest: 500, tradable: false });
    expect(keepLiquid([first], listed, 100).rejected).toEqual({ not_tradable: 1 });
    listed.set(first.long.symbol, { openInterest: null, tradable: true });
    expect(keepLiquid([first], listed, 100).rejected).toEqual({ low_open_interest: 1 });
    listed.set(first.long.symbol, { openInterest: 100, tradable: true });
    expect(keepLiquid([first], listed, 100).liquid).toHaveLength(1);
  });
});
