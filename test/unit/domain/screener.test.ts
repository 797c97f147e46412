import { describe, expect, it } from "vitest";
import { yearsToExpiration } from "../../../src/domain/greeks-from-quotes";
import { greeks, price } from "../../../src/domain/option-math";
import { type ScreenSettings, screenCreditSpreads } from "../../../src/domain/screener";
import type { OptionChain, OptionQuote, OptionType } from "../../../src/domain/types";
import { modelQuote, screenSettings } from "../../support/builders";

const NOW = Date.parse("2027-01-15T15:00:00Z"); // 10:00 New York
const EXPIRY = "2027-02-19"; // 35 days out
const SPOT = 600;
const VOL = 0.2;
const ctx = { now: NOW, ivRank: 45, rate: 0.04, dividendYield: 0.013, fees: { optionFeePerContract: 0.06 } };

const settings: ScreenSettings = screenSettings();

/** A contract priced by Black-Scholes at VOL, quoted a few cents wide, with broker greeks. */
const quote = (type: OptionType, strike: number, expiration = EXPIRY, overrides: Partial<OptionQuote> = {}) =>
  modelQuote({ type, strike, expiration, now: NOW, spot: SPOT, volatility: VOL }, overrides);

function chain(contracts: OptionQuote[]): OptionChain {
  return { underlying: { symbol: "SPY", price: SPOT, bid: 599.98, ask: 600.02, asOf: NOW }, contracts };
}

const strikes = (from: number, to: number) => Array.from({ length: (to - from) / 5 + 1 }, (_, i) => from + i * 5);
const fullChain = (map: (q: OptionQuote) => OptionQuote = (q) => q) =>
  chain(strikes(520, 680).flatMap((k) => [quote("put", k), quote("call", k)].map(map)));

const totalRejected = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describe("screenCreditSpreads", () => {
  it("finds bull puts and bear calls in the delta window, legs one width apart, best first", () => {
    const result = screenCreditSpreads(fullChain(), settings, ctx);
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(new Set(result.candidates.map((c) => c.strategy))).toEqual(new Set(["bull_put", "bear_call"]));
    for (const c of result.candidates) {
      expect(Math.abs(c.shortDelta)).toBeGreaterThanOrEqual(0.2);
      expect(Math.abs(c.shortDelta)).toBeLessThanOrEqual(0.3);
      expect(c.long.strike).toBe(c.strategy === "bull_put" ? c.short.strike - 5 : c.short.strike + 5);
      expect(c.short.type).toBe(c.strategy === "bull_put" ? "put" : "call");
      expect(c.credit / c.width).toBeGreaterThanOrEqual(0.2);
      expect(c.greeksSource).toBe("broker");
      expect(c.dte).toBe(35);
    }
    const scores = result.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(result.considered).toBe(result.candidates.length + totalRejected(result.rejected));
    expect(result.considered).toBe(fullChain().contracts.length * settings.widths.length);
  });

  it("states a candidate's money at the fillable credit: halfway from mid to natural, per share and per contract", () => {
    const [c] = screenCreditSpreads(fullChain(), settings, ctx).candidates.filter((x) => x.strategy === "bull_put");
    if (!c) throw new Error("expected a bull put");
    const shortMid = ((c.short.bid ?? 0) + (c.short.ask ?? 0)) / 2;
    const longMid = ((c.long.bid ?? 0) + (c.long.ask ?? 0)) / 2;
    const natural = (c.short.bid ?? 0) - (c.long.ask ?? 0);
    expect(c.midCredit).toBeCloseTo(shortMid - longMid, 12);
    expect(c.naturalCredit).toBeCloseTo(natural, 12);
    expect(c.credit).toBeCloseTo((shortMid - longMid + natural) / 2, 12);
    // Fees in ($0.06 a contract a leg a fill): $0.24 round trip in the max loss, the entry's
    // $0.12 a contract ($0.0012 a share) in the breakeven and the return.
    expect(c.maxLoss).toBeCloseTo((5 - c.credit) * 100 + 0.24, 2);
    expect(c.breakeven).toBeCloseTo(c.short.strike - c.credit + 0.0012, 12);
    expect(c.returnOnRisk).toBeCloseTo((c.credit * 100 - 0.12) / c.maxLoss, 12);
    expect(c.probabilityOfProfit).toBeGreaterThan(0.6);
    expect(c.probabilityOfProfit).toBeLessThan(0.85);
    expect(c.ivRank).toBe(45);
    expect(c.underlying).toBe("SPY");
  });

  it("a 5-wide spread at mid $1.00 (20%) but natural $0.625 (12.5%) passes at the mid and not at the natural", () => {
    // Short put bid 1.8125 / ask 2.6875 (mid 2.25), long put bid 0.8125 / ask 1.6875 (mid 1.25).
    const wide = (q: OptionQuote, bid: number, ask: number) => ({ ...q, bid, ask });
    const [shortQ, longQ] = [quote("put", 575), quote("put", 570)];
    if (!shortQ || !longQ) throw new Error("quotes");
    const legs = chain([wide(shortQ, 1.8125, 2.6875), wide(longQ, 0.8125, 1.6875)]);
    const loose = { ...settings, maxBidAskToMid: 2, shortDeltaMin: 0.01, shortDeltaMax: 0.5 };
    const atMid = screenCreditSpreads(legs, { ...loose, fillTowardNatural: 0 }, ctx);
    expect(atMid.candidates.map((c) => c.credit)).toEqual([1]);
    const atNatural = screenCreditSpreads(legs, { ...loose, fillTowardNatural: 1 }, ctx);
    expect(atNatural.candidates).toEqual([]);
    expect(atNatural.rejected.credit_too_small).toBe(1);
  });

  it("fees in the numbers: a 575/570 bull put at a $1.00 credit risks $400.24/ct (both fills' $0.24) and breaks even at 574.0012", () => {
    const [shortQ, longQ] = [quote("put", 575), quote("put", 570)];
    if (!shortQ || !longQ) throw new Error("quotes");
    const legs = chain([
      { ...shortQ, bid: 2.24, ask: 2.26 },
      { ...longQ, bid: 1.24, ask: 1.26 },
    ]);
    const loose = { ...settings, shortDeltaMin: 0.01, shortDeltaMax: 0.5, fillTowardNatural: 0 };
    const [c] = screenCreditSpreads(legs, loose, ctx).candidates;
    expect(c?.credit).toBeCloseTo(1, 12);
    expect(c?.maxLoss).toBe(400.24);
    expect(c?.breakeven).toBeCloseTo(574.0012, 12);
    expect(c?.returnOnRisk).toBeCloseTo(99.88 / 400.24, 12);
    const free = screenCreditSpreads(legs, loose, { ...ctx, fees: { optionFeePerContract: 0 } }).candidates[0];
    expect(free?.maxLoss).toBe(400);
    expect(free?.breakeven).toBeCloseTo(574, 12);
  });

  it("reads the dividend yield from put-call parity (the chain was priced at 1.3%)", () => {
    const [c] = screenCreditSpreads(fullChain(), settings, ctx).candidates;
    expect(c?.dividendYieldSource).toBe("put-call parity");
    expect(c?.dividendYield).toBeCloseTo(0.013, 3);
  });

  it("no built-in side: on a flat 20% smile with 2-cent quotes every spread's edge is −$2/ct, bull put or bear call", () => {
    const flat = fullChain((q) => {
      const mid = ((q.bid ?? 0) + (q.ask ?? 0)) / 2;
      return { ...q, bid: mid - 0.02, ask: mid + 0.02 };
    });
    const { candidates } = screenCreditSpreads(flat, settings, { ...ctx, dividendYield: 0 });
    expect(new Set(candidates.map((c) => c.strategy))).toEqual(new Set(["bull_put", "bear_call"]));
    // Halfway to natural crosses 2 cents per contract-share of the bid/ask: 0.02 × 100.
    for (const c of candidates) expect(c.edge).toBeCloseTo(-2, 6);
  });

  /** A chain on the smile σ(K) = 20% + tilt·ln(K/600), quoted 2 cents either side of its model price. */
  const tilted = (tilt: number) =>
    chain(
      strikes(520, 680).flatMap((k) => {
        const vol = VOL + tilt * Math.log(k / SPOT);
        return (["put", "call"] as const).map((type) => {
          const years = yearsToExpiration(EXPIRY, NOW);
          const p = { type, spot: SPOT, strike: k, years, volatility: vol, rate: ctx.rate, dividendYield: 0.013 };
          const fair = price(p);
          return quote(type, k, EXPIRY, {
            bid: fair - 0.02,
            ask: fair + 0.02,
            impliedVolatility: vol,
            greeks: greeks(p),
          });
        });
      }),
    );
  const best = (tilt: number) => {
    const { candidates } = screenCreditSpreads(tilted(tilt), settings, ctx);
    return {
      top: candidates[0],
      put: candidates.find((c) => c.strategy === "bull_put"),
      call: candidates.find((c) => c.strategy === "bear_call"),
    };
  };

  it("a put skew (tilt −0.25) makes the 625/630 call vertical worth more than at the 20% ATM vol: the bear call's edge is +$5.79 less costs, the 575/570 bull put's −$4.99", () => {
    // The slope, not the level: on a put skew P(S_T > K) = N(d2) + F·φ(d1)·√T·|σ'| is higher than
    // one flat vol says, so call verticals are rich and put verticals cheap against the ATM vol.
    const { top, put, call } = best(-0.25);
    expect(top?.strategy).toBe("bear_call");
    // Less the fill cost: halfway from mid to natural is 2 cents a share, $2 a contract.
    expect([call?.short.strike, call?.long.strike, call?.edge]).toEqual([625, 630, expect.closeTo(5.79 - 2, 2)]);
    expect([put?.short.strike, put?.long.strike, put?.edge]).toEqual([575, 570, expect.closeTo(-4.99 - 2, 2)]);
    expect(put?.referenceVolatility).toBeCloseTo(0.2, 6); // the at-the-money strike is 600
  });

  it("no built-in side: mirroring the smile (a call skew, tilt +0.25) puts the bull put first, with the bear call's edge of the put skew", () => {
    const skew = best(-0.25);
    const mirror = best(0.25);
    expect(mirror.top?.strategy).toBe("bull_put");
    expect(mirror.put?.edge).toBeGreaterThan(0);
    expect(mirror.call?.edge).toBeLessThan(0);
    // Mirrored in log-moneyness the two trades are not exact twins (the forward drifts up), so
    // the edges agree in sign and size, not to the cent.
    expect(Math.abs((mirror.put?.edge ?? 0) - (skew.call?.edge ?? 0))).toBeLessThan(3);
  });

  it("computes IV from the mid, then greeks, when the broker sends none", () => {
    const withBroker = screenCreditSpreads(fullChain(), settings, ctx).candidates;
    const bare = screenCreditSpreads(
      fullChain((q) => ({ ...q, greeks: null, impliedVolatility: null })),
      settings,
      ctx,
    ).candidates;
    expect(bare.length).toBeGreaterThan(0);
    expect(bare.every((c) => c.greeksSource === "computed")).toBe(true);
    for (const c of bare) {
      const twin = withBroker.find((b) => b.short.symbol === c.short.symbol);
      if (twin) expect(c.shortDelta).toBeCloseTo(twin.shortDelta, 2);
    }
  });

  it("rejects a contract whose greeks cannot be computed (mid below intrinsic, no broker greeks)", () => {
    const broken = quote("put", 640, EXPIRY, { bid: 30, ask: 31, greeks: null, impliedVolatility: null });
    const result = screenCreditSpreads(chain([broken, quote("put", 635)]), settings, ctx);
    expect(result.rejected.no_greeks).toBe(1);
  });

  it("counts illiquid contracts under their reasons", () => {
    const thin = fullChain((q) => (q.type === "put" ? { ...q, openInterest: 10 } : { ...q, bid: 0.5, ask: 9 }));
    const result = screenCreditSpreads(thin, settings, ctx);
    expect(result.candidates).toEqual([]);
    expect(result.rejected.low_open_interest).toBeGreaterThan(0);
    expect(result.rejected.wide_bid_ask).toBeGreaterThan(0);
    expect(result.considered).toBe(totalRejected(result.rejected));
  });

  it("rejects everything when IV rank is required and unavailable", () => {
    const result = screenCreditSpreads(fullChain(), { ...settings, ivRankRequired: true }, { ...ctx, ivRank: null });
    expect(result.candidates).toEqual([]);
    expect(result.rejected).toEqual({ iv_rank_unavailable: result.considered });
  });

  it("does not filter on IV rank when it is unavailable and not required", () => {
    const result = screenCreditSpreads(fullChain(), settings, { ...ctx, ivRank: null });
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(result.candidates.every((c) => c.ivRank === null)).toBe(true);
  });

  it("rejects everything when IV rank is below the minimum", () => {
    const result = screenCreditSpreads(fullChain(), settings, { ...ctx, ivRank: 12 });
    expect(result.rejected).toEqual({ iv_rank_below_min: result.considered });
  });

  it.each([
    ["too soon", "2027-02-05", 21],
    ["too far", "2027-03-19", 63],
  ])("rejects expirations outside the DTE window: %s (%s, %s days)", (_name, expiration) => {
    const result = screenCreditSpreads(
      chain([quote("put", 575, expiration), quote("put", 570, expiration)]),
      settings,
      ctx,
    );
    expect(result.rejected).toEqual({ dte_out_of_window: 2 });
  });

  it("needs the long leg at exactly one width away", () => {
    // Only every 10th strike listed: 5-wide spreads have no long leg, 10-wide ones do.
    const sparse = chain(
      strikes(520, 680)
        .filter((k) => k % 10 === 0)
        .map((k) => quote("put", k)),
    );
    const five = screenCreditSpreads(sparse, settings, ctx);
    expect(five.candidates).toEqual([]);
    expect(five.rejected.no_long_leg).toBeGreaterThan(0);
    const ten = screenCreditSpreads(sparse, { ...settings, widths: [10] }, ctx);
    expect(ten.candidates.every((c) => c.width === 10 && c.long.strike === c.short.strike - 10)).toBe(true);
    expect(ten.candidates.length).toBeGreaterThan(0);
  });

  it("rejects a short leg with no bid and a long leg with no quote", () => {
    const result = screenCreditSpreads(
      chain([quote("put", 590, EXPIRY, { bid: null }), quote("put", 580), quote("put", 575, EXPIRY, { ask: null })]),
      { ...settings, shortDeltaMin: 0.01, shortDeltaMax: 0.5 },
      ctx,
    );
    expect(result.rejected.short_no_quote).toBe(2);
    expect(result.rejected.long_no_quote).toBe(1);
  });

  it("rejects a spread whose credit is too small a share of the width", () => {
    const result = screenCreditSpreads(fullChain(), { ...settings, minCreditToWidth: 0.9 }, ctx);
    expect(result.candidates).toEqual([]);
    expect(result.rejected.credit_too_small).toBeGreaterThan(0);
  });

  it("evaluates every width, each one counted", () => {
    const result = screenCreditSpreads(fullChain(), { ...settings, widths: [5, 10] }, ctx);
    expect(result.considered).toBe(fullChain().contracts.length * 2);
    expect(new Set(result.candidates.map((c) => c.width))).toEqual(new Set([5, 10]));
  });
});
