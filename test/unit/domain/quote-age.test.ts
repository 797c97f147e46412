import { describe, expect, it } from "vitest";
import { formatAge, newestQuoteAt, quoteFreshness, staleQuoteReason } from "../../../src/domain/quote-age";
import { type ScreenSettings, screenCreditSpreads } from "../../../src/domain/screener";
import type { OptionChain, OptionQuote, OptionType } from "../../../src/domain/types";
import { modelQuote, screenSettings } from "../../support/builders";

const NOW = Date.parse("2027-01-15T15:00:00Z"); // 10:00 New York

describe("quoteFreshness", () => {
  it.each<[string, number | null, number, ReturnType<typeof quoteFreshness>]>([
    ["a quote 59 s old on a 60 s limit is fresh", NOW - 59_000, 60, { kind: "fresh", ageMs: 59_000 }],
    ["a quote exactly 60 s old on a 60 s limit is fresh", NOW - 60_000, 60, { kind: "fresh", ageMs: 60_000 }],
    ["a quote 60.001 s old on a 60 s limit is stale", NOW - 60_001, 60, { kind: "stale", ageMs: 60_001 }],
    [
      "a 15-min delayed quote (900 s) on the 1200 s indicative limit is fresh",
      NOW - 900_000,
      1200,
      { kind: "fresh", ageMs: 900_000 },
    ],
    [
      "a 25-min old quote (1500 s) on the 1200 s limit is stale",
      NOW - 1_500_000,
      1200,
      { kind: "stale", ageMs: 1_500_000 },
    ],
    ["a quote stamped 3 s ahead of our clock is 0 s old (clock skew)", NOW + 3_000, 60, { kind: "fresh", ageMs: 0 }],
    ["a quote without a time is unknown, not fresh", null, 3600, { kind: "unknown" }],
    ["a quote with an unreadable time (NaN) is unknown", Number.NaN, 3600, { kind: "unknown" }],
  ])("%s", (_name, quotedAt, limit, expected) => {
    expect(quoteFreshness(quotedAt, NOW, limit)).toEqual(expected);
  });
});

describe("formatAge", () => {
  it.each([
    [0, "0 s"],
    [45_400, "45 s"],
    [119_000, "119 s"],
    [120_000, "2 min"],
    [900_000, "15 min"],
    [7_200_000, "2 h"],
    [7_500_000, "2 h 5 min"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});

describe("staleQuoteReason", () => {
  it("says nothing for fresh quotes", () => {
    expect(staleQuoteReason({ kind: "fresh", ageMs: 1000 }, 60, "the option quotes")).toBeNull();
  });

  it("names the age and the limit: 25 min old against 20 min", () => {
    expect(staleQuoteReason({ kind: "stale", ageMs: 1_500_000 }, 1200, "SPY's option quotes")).toBe(
      "SPY's option quotes are 25 min old (limit 20 min, MAX_QUOTE_AGE_SECONDS): the market may have left those prices",
    );
  });
});

describe("newestQuoteAt", () => {
  it("is the newest known time: 10:00:05 among 09:45, 10:00:05 and no time", () => {
    expect(newestQuoteAt([{ quotedAt: NOW - 15 * 60_000 }, { quotedAt: NOW + 5_000 }, { quotedAt: null }])).toBe(
      NOW + 5_000,
    );
  });

  it("is null when no quote has a time", () => {
    expect(newestQuoteAt([{ quotedAt: null }])).toBeNull();
    expect(newestQuoteAt([])).toBeNull();
  });
});

// The screener on a small chain: SPY at 600, 35 days, 20 % flat vol, every leg a few cents wide.
const EXPIRY = "2027-02-19";
const SPOT = 600;
const RATES = { rate: 0.04, dividendYield: 0.013 };
const ctx = { now: NOW, ivRank: 45, ...RATES, fees: { optionFeePerContract: 0 } };
const settings: ScreenSettings = screenSettings();

const quote = (type: OptionType, strike: number, quotedAt: number | null): OptionQuote =>
  modelQuote({ type, strike, expiration: EXPIRY, now: NOW, spot: SPOT }, { quotedAt });

const strikes = Array.from({ length: 33 }, (_, i) => 520 + i * 5);
function chainQuotedAt(at: (q: { type: OptionType; strike: number }) => number | null): OptionChain {
  return {
    underlying: { symbol: "SPY", price: SPOT, bid: 599.98, ask: 600.02, asOf: NOW },
    contracts: strikes.flatMap((k) =>
      (["put", "call"] as const).map((type) => quote(type, k, at({ type, strike: k }))),
    ),
  };
}

describe("screenCreditSpreads and quote age", () => {
  it("offers spreads whose legs were quoted 30 s ago on a 60 s limit", () => {
    const result = screenCreditSpreads(
      chainQuotedAt(() => NOW - 30_000),
      settings,
      ctx,
    );
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(result.rejected.stale_quote).toBeUndefined();
  });

  it("offers nothing from a chain quoted 15 min ago on a 60 s limit, counting the spreads as stale_quote", () => {
    const result = screenCreditSpreads(
      chainQuotedAt(() => NOW - 15 * 60_000),
      settings,
      ctx,
    );
    expect(result.candidates).toEqual([]);
    expect(result.rejected.stale_quote).toBeGreaterThan(0);
  });

  it("offers the same 15-min-old chain on the indicative feed's 1200 s limit", () => {
    const result = screenCreditSpreads(
      chainQuotedAt(() => NOW - 15 * 60_000),
      { ...settings, maxQuoteAgeSeconds: 1200 },
      ctx,
    );
    expect(result.candidates.length).toBeGreaterThan(0);
  });

  it("offers nothing from quotes without a time (unknown is not fresh), counted as quote_time_unknown", () => {
    const result = screenCreditSpreads(
      chainQuotedAt(() => null),
      settings,
      ctx,
    );
    expect(result.candidates).toEqual([]);
    expect(result.rejected.quote_time_unknown).toBeGreaterThan(0);
    expect(result.considered).toBe(Object.values(result.rejected).reduce((a, b) => a + b, 0));
  });

  it("skips a bull put whose long leg alone was quoted 2 min ago (limit 60 s)", () => {
    const fresh = screenCreditSpreads(
      chainQuotedAt(() => NOW),
      settings,
      ctx,
    );
    const longPuts = new Set(fresh.candidates.filter((c) => c.strategy === "bull_put").map((c) => c.long.strike));
    expect(longPuts.size).toBeGreaterThan(0);
    const staleLongs = screenCreditSpreads(
      chainQuotedAt(({ type, strike }) => (type === "put" && longPuts.has(strike) ? NOW - 120_000 : NOW)),
      settings,
      ctx,
    );
    for (const c of staleLongs.candidates.filter((c) => c.strategy === "bull_put"))
      expect(longPuts.has(c.long.strike)).toBe(false);
    expect(staleLongs.rejected.stale_quote).toBeGreaterThan(0);
  });
});
