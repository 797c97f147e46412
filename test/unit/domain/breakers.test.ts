import { describe, expect, it } from "vitest";
import { type BreakerInput, blocksAction, evaluateBreakers } from "../../../src/domain/breakers";

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
  equity: 100_000,
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
    ["no data yet", { dataAgeMs: null }, "stale_data", "no market data"],
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
        equity: 100_000,
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
