import { describe, expect, it } from "vitest";
import { closesFrom } from "../../../src/domain/equity-closes";
import { type ClosedTrade, parsePeriod, periodStart, trackRecord } from "../../../src/domain/track-record";

const DAY = 86_400_000;
const t0 = Date.UTC(2027, 0, 4, 20);
const trade = (i: number, symbol: string, strategy: ClosedTrade["strategy"], realizedPl: number): ClosedTrade => ({
  symbol,
  strategy,
  realizedPl,
  closedAt: t0 + i * DAY,
});

// Closed in this order: +100, −300, +50, 0 (a scratch), +120.
const MONTH = [
  trade(3, "IWM", "bull_put", 0),
  trade(0, "SPY", "bull_put", 100),
  trade(2, "SPY", "bear_call", 50),
  trade(1, "QQQ", "bear_call", -300),
  trade(4, "GLD", "bull_put", 120),
];

describe("track record", () => {
  const record = trackRecord(MONTH, [
    { tradingDay: "2027-01-29", equity: 99_970 },
    { tradingDay: "2027-01-04", equity: 100_000 },
  ]);

  it("5 trades: 3 wins, 1 loss, 1 scratch, win rate 60%, realized −$30, expectancy −$6", () => {
    expect(record).toMatchObject({ trades: 5, wins: 3, losses: 1, scratches: 1, winRate: 0.6, realizedPl: -30 });
    expect(record.expectancy).toBe(-6);
  });

  it("average win $90, average loss −$300, profit factor 0.9 ($270 won / $300 lost)", () => {
    expect(record).toMatchObject({ averageWin: 90, averageLoss: -300, profitFactor: 0.9 });
  });

  it("max drawdown $300: the curve 100, −200, −150, −150, −30 fell from its $100 peak to −$200", () => {
    expect(record.curve.map((p) => p.pl)).toEqual([100, -200, -150, -150, -30]);
    expect(record.maxDrawdown).toBe(300);
  });

  it("P/L by symbol (SPY +$150 over 2, GLD +$120, IWM $0, QQQ −$300) and by strategy, best first", () => {
    expect(record.bySymbol).toEqual([
      { key: "SPY", trades: 2, pl: 150 },
      { key: "GLD", trades: 1, pl: 120 },
      { key: "IWM", trades: 1, pl: 0 },
      { key: "QQQ", trades: 1, pl: -300 },
    ]);
    expect(record.byStrategy).toEqual([
      { key: "bull_put", trades: 3, pl: 220 },
      { key: "bear_call", trades: 2, pl: -250 },
    ]);
  });

  it("the account's equity change −$30 from 2027-01-04 to 2027-01-29, beside the realized −$30", () => {
    expect(record.equityChange).toBe(-30);
    expect(record.equityFrom?.tradingDay).toBe("2027-01-04");
    expect(record.equityTo?.tradingDay).toBe("2027-01-29");
  });

  it("no trades: counts 0, rates and averages null (not 0), no drawdown", () => {
    const empty = trackRecord([], []);
    expect(empty).toMatchObject({ trades: 0, winRate: null, expectancy: null, profitFactor: null, maxDrawdown: 0 });
    expect(empty.equityChange).toBeNull();
  });

  it("no losing trade: profit factor null (infinite), not a number", () => {
    expect(trackRecord([trade(0, "SPY", "bull_put", 80)], []).profitFactor).toBeNull();
  });
});

describe("periods", () => {
  const now = Date.UTC(2027, 0, 31, 21);
  it("week, month and year reach back 7, 30 and 365 days; all has no start", () => {
    expect(periodStart("week", now)).toBe(now - 7 * DAY);
    expect(periodStart("month", now)).toBe(now - 30 * DAY);
    expect(periodStart("year", now)).toBe(now - 365 * DAY);
    expect(periodStart("all", now)).toBeNull();
  });

  it("reads week/month/year/all; anything else, or nothing, is the month", () => {
    expect(["week", "month", "year", "all", "decade", undefined, 7].map(parsePeriod)).toEqual([
      "week",
      "month",
      "year",
      "all",
      "month",
      "month",
      "month",
    ]);
  });
});

describe("closesFrom", () => {
  // Thursday 14 and Friday 15 January 2027 close at 16:00 New York (21:00 UTC).
  const closes = [
    { tradingDay: "2027-01-15", equity: 101_000 },
    { tradingDay: "2027-01-13", equity: 99_000 },
    { tradingDay: "2027-01-14", equity: 100_000 },
  ];
  const days = (start: number | null) => closesFrom(closes, start).map((p) => p.tradingDay);

  it("starts a period that begins in Friday's session from Thursday's close", () => {
    expect(days(Date.UTC(2027, 0, 15, 15, 0))).toEqual(["2027-01-14", "2027-01-15"]);
  });

  it("starts a period that begins after Friday's close from Friday's close", () => {
    expect(days(Date.UTC(2027, 0, 15, 22, 0))).toEqual(["2027-01-15"]);
    expect(days(Date.UTC(2027, 0, 15, 21, 0))).toEqual(["2027-01-15"]);
  });

  it("starts from the first close when none is that early, and takes them all without a start", () => {
    expect(days(Date.UTC(2027, 0, 1))).toEqual(["2027-01-13", "2027-01-14", "2027-01-15"]);
    expect(days(null)).toEqual(["2027-01-13", "2027-01-14", "2027-01-15"]);
  });
});
