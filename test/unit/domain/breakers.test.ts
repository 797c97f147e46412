import { describe, expect, it } from "vitest";
import {
  type BreakerInput,
  blocksAction,
  evaluateBreakers,
  evaluateBreakersForEntry,
  openPlAtMark,
  riskHeadroom,
} from "../../../src/domain/breakers";

const limits = {
  dailyLossLimitPct: 0.02,
  maxConsecutiveLosses: 3,
  maxOpenPositions: 5,
  maxTotalRiskPct: 0.2,
  maxDataAgeMs: 10 * 60_000,
};
const clear: BreakerInput = {
  manualHalt: null,
  realizedPlToday: -500,
  unrealizedPl: 0,
  openPlAtLastClose: 0,
  unmarkedPositions: [],
  equity: 100_000,
  dayStartEquity: null,
  consecutiveLosses: 1,
  openPositions: 2,
  openRisk: 5_000,
  dataAgeMs: 30_000,
};

describe("evaluateBreakers", () => {
  it("a normal day trips nothing", () => {
    expect(evaluateBreakers(clear, limits)).toEqual({ halted: false, reasons: [] });
  });

  it.each([
    ["manual halt", { manualHalt: { reason: "fed day", by: "alice" } }, "manual_halt", "alice"],
    ["daily loss exactly at the limit", { realizedPlToday: -2_000 }, "daily_loss", "-$2,000.00"],
    ["three losses in a row", { consecutiveLosses: 3 }, "consecutive_losses", "3 losing trades"],
    ["five positions open", { openPositions: 5 }, "max_open_positions", "5 positions"],
    ["risk at 20% of equity", { openRisk: 20_000 }, "max_total_risk", "$20,000.00"],
    ["data 11 minutes old", { dataAgeMs: 11 * 60_000 }, "stale_data", "660 s"],
    [
      "no data, or a price without a time: age unknown is stale",
      { dataAgeMs: null },
      "stale_data",
      "age of the market data is unknown",
    ],
  ] as const)("%s trips %s", (_name, overrides, code, words) => {
    const result = evaluateBreakers({ ...clear, ...overrides }, limits);
    expect(result.halted).toBe(true);
    expect(result.reasons.map((r) => r.code)).toEqual([code]);
    expect(result.reasons[0]?.message).toContain(words);
  });

  it("reports every reason that applies, together", () => {
    const result = evaluateBreakers(
      {
        manualHalt: { reason: "bad morning", by: "bob" },
        realizedPlToday: -3_000,
        unrealizedPl: 0,
        openPlAtLastClose: 0,
        unmarkedPositions: [],
        equity: 100_000,
        dayStartEquity: 100_000,
        consecutiveLosses: 4,
        openPositions: 6,
        openRisk: 25_000,
        dataAgeMs: null,
      },
      limits,
    );
    expect(result.reasons.map((r) => r.code)).toEqual([
      "manual_halt",
      "daily_loss",
      "consecutive_losses",
      "max_open_positions",
      "max_total_risk",
      "stale_data",
    ]);
  });

  it("fails closed when equity is unknown", () => {
    const result = evaluateBreakers({ ...clear, equity: Number.NaN }, limits);
    expect(result.reasons.map((r) => r.code)).toEqual(["daily_loss", "max_total_risk"]);
  });

  it("fails closed on a counter that is not a number", () => {
    const result = evaluateBreakers({ ...clear, consecutiveLosses: Number.NaN }, limits);
    expect(result.reasons.map((r) => r.code)).toEqual(["consecutive_losses"]);
  });
});

describe("the daily loss at the mark (limit 2% of $100,000 = $2,000)", () => {
  const daily = (state: Partial<BreakerInput>) => evaluateBreakers({ ...clear, ...state }, limits).reasons;

  it("realized -$1,400 and -$600 open at the mark reach -$2,000: tripped, the message saying both parts", () => {
    expect(daily({ realizedPlToday: -1_400, unrealizedPl: -600 })).toEqual([
      {
        code: "daily_loss",
        message:
          "the day's P/L -$2,000.00 (realized -$1,400.00, open positions at the mark -$600.00) reached the 2.0% daily loss limit (-$2,000.00)",
      },
    ]);
  });

  it("measures the limit from the last close's equity, so it holds still as the day loses", () => {
    // 2 % of the 100,000 the day started with is 2,000: a 1,950 loss is inside it, though it is
    // over 2 % of the 95,000 the account is worth now.
    const losing = { realizedPlToday: -1_950, unrealizedPl: 0, equity: 95_000 };
    expect(daily({ ...losing, dayStartEquity: 100_000 })).toEqual([]);
    expect(daily({ ...losing, dayStartEquity: null }).map((r) => r.message)).toEqual([
      expect.stringContaining("reached the 2.0% daily loss limit (-$1,900.00)"),
    ]);
    expect(daily({ ...losing, realizedPlToday: -2_000, dayStartEquity: 100_000 })[0]?.message).toContain(
      "reached the 2.0% daily loss limit (-$2,000.00)",
    );
  });

  it("no realized loss, -$2,050 open at the mark: tripped before anything is closed", () => {
    expect(daily({ realizedPlToday: 0, unrealizedPl: -2_050 }).map((r) => r.code)).toEqual(["daily_loss"]);
  });

  it("counts only what moved since the last close: -$2,241 since entry, -$339 of it carried from yesterday, is -$1,902: clear", () => {
    // The open positions stood at -$339 at yesterday's end of day; one of them closed today
    // (its whole loss realized today), the others are at -$1,273 now.
    expect(daily({ realizedPlToday: -968, unrealizedPl: -1_273, openPlAtLastClose: -339 })).toEqual([]);
    expect(daily({ realizedPlToday: -968, unrealizedPl: -1_400, openPlAtLastClose: -339 })).toEqual([
      {
        code: "daily_loss",
        message:
          "the day's P/L -$2,029.00 (realized -$968.00, open positions at the mark -$1,400.00, less -$339.00 carried from the last close) reached the 2.0% daily loss limit (-$2,000.00)",
      },
    ]);
    // A gain carried in is not the day's gain either: +$800 at the last close, +$300 now, -$1,500 realized.
    expect(daily({ realizedPlToday: -1_500, unrealizedPl: 300, openPlAtLastClose: 800 }).map((r) => r.code)).toEqual([
      "daily_loss",
    ]);
  });

  it("realized -$1,900 and +$500 open at the mark: -$1,400, clear", () => {
    expect(daily({ realizedPlToday: -1_900, unrealizedPl: 500 })).toEqual([]);
  });

  it("realized -$500 and one position without a mark: the limit cannot be checked, entries refused, naming it", () => {
    expect(daily({ unrealizedPl: -100, unmarkedPositions: ["SPY 580/575 (position 12)"] })).toEqual([
      {
        code: "daily_loss_unknown",
        message:
          "the 2.0% daily loss limit (-$2,000.00) cannot be checked: no mark for SPY 580/575 (position 12) (its last quote was missing); the day's P/L without it -$600.00 (realized -$500.00, open positions at the mark -$100.00)",
      },
    ]);
  });

  it("a position without a mark never hides a loss already past the limit: realized -$2,100 trips daily_loss", () => {
    const [reason] = daily({ realizedPlToday: -2_100, unmarkedPositions: ["QQQ 540/535 (position 3)"] });
    expect(reason?.code).toBe("daily_loss");
    expect(reason?.message).toContain("not counting QQQ 540/535 (position 3), without a mark");
  });
});

describe("openPlAtMark at $0.06 a contract a leg", () => {
  const fees = { optionFeePerContract: 0.06 };
  const at = (over: { mark: number | null; markedAt: number | null }) => ({
    name: "SPY 580/575 (position 1)",
    entryCredit: 1.2,
    contracts: 5,
    ...over,
  });

  it("5 × sold at 1.20 marked at 2.00: -$400 less $1.20 of fees, -$401.20", () => {
    expect(openPlAtMark([at({ mark: 2, markedAt: 1 })], fees)).toEqual({ unrealizedPl: -401.2, unmarkedPositions: [] });
  });

  it("not marked yet (just filled): at its fill price, its fees only, -$1.20", () => {
    expect(openPlAtMark([at({ mark: null, markedAt: null })], fees)).toEqual({
      unrealizedPl: -1.2,
      unmarkedPositions: [],
    });
  });

  it("its last mark failed: unknown and named, the others summed (-$401.20 + +$298.80 = -$102.40)", () => {
    const result = openPlAtMark(
      [
        at({ mark: 2, markedAt: 1 }),
        { ...at({ mark: 0.6, markedAt: 1 }), name: "QQQ 540/535 (position 2)" },
        { ...at({ mark: null, markedAt: 1 }), name: "IWM 220/215 (position 3)" },
      ],
      fees,
    );
    expect(result).toEqual({ unrealizedPl: -102.4, unmarkedPositions: ["IWM 220/215 (position 3)"] });
  });
});

describe("evaluateBreakersForEntry", () => {
  const none = { inFlightEntries: 0, inFlightRisk: 0 };
  const codes = (state: Partial<BreakerInput>, inFlight: typeof none, risk: number) =>
    evaluateBreakersForEntry({ ...clear, ...state }, inFlight, { risk }, limits).reasons.map((r) => r.code);

  it("lets the fifth position in when four are open and none in flight", () => {
    expect(codes({ openPositions: 4 }, none, 760)).toEqual([]);
  });

  it("counts entries in flight as positions: four open and one in flight leave no room", () => {
    const result = evaluateBreakersForEntry(
      { ...clear, openPositions: 4 },
      { inFlightEntries: 1, inFlightRisk: 760 },
      { risk: 760 },
      limits,
    );
    expect(result.reasons).toEqual([
      { code: "max_open_positions", message: "6 positions open or in flight counting this one (limit 5)" },
    ]);
  });

  it("lets a trade in that lands exactly on the total-risk limit", () => {
    expect(codes({ openRisk: 15_000 }, { inFlightEntries: 1, inFlightRisk: 4_000 }, 1_000)).toEqual([]);
  });

  it("refuses a trade that takes open, in-flight and its own risk a cent over the limit", () => {
    const result = evaluateBreakersForEntry(
      { ...clear, openRisk: 15_000 },
      { inFlightEntries: 1, inFlightRisk: 4_000 },
      { risk: 1_000.01 },
      limits,
    );
    expect(result.reasons).toEqual([
      {
        code: "max_total_risk",
        message:
          "$20,000.01 at risk counting orders in flight and this trade, over 20.0% of equity $100,000.00 ($20,000.00)",
      },
    ]);
  });

  it("fails closed on the risk limit when equity is unknown", () => {
    expect(codes({ equity: Number.NaN }, none, 1)).toEqual(["daily_loss", "max_total_risk"]);
  });
});

describe("riskHeadroom", () => {
  it.each([
    ["what the limit leaves beside open and in-flight risk", 10_000, 2_000, 8_000],
    ["never negative past the limit", 18_000, 5_000, 0],
  ])("%s", (_name, openRisk, inFlightRisk, expected) => {
    expect(riskHeadroom({ openRisk, inFlightRisk }, 100_000, 0.2)).toBe(expected);
  });

  it("leaves nothing when equity is unknown", () => {
    expect(riskHeadroom({ openRisk: 0, inFlightRisk: 0 }, Number.NaN, 0.2)).toBe(0);
  });
});

describe("blocksAction", () => {
  const tripped = evaluateBreakers({ ...clear, manualHalt: { reason: "x", by: "y" } }, limits);
  it.each([
    ["open while halted", "open", tripped, true],
    ["close while halted", "close", tripped, false],
    ["open while clear", "open", evaluateBreakers(clear, limits), false],
  ] as const)("%s → blocked: %s", (_name, kind, result, blocked) => {
    expect(blocksAction(kind, result)).toBe(blocked);
  });
});
