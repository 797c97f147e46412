import { describe, expect, it } from "vitest";
import { ivRank } from "../../../src/domain/volatility";

const ramp = (n: number, from = 0.1, step = 0.01) => Array.from({ length: n }, (_, i) => from + i * step);

describe("ivRank", () => {
  it.each([
    ["today just above the middle of the range", ramp(21), 0.205, 52.5, (11 / 21) * 100],
    ["today a new high", ramp(21), 0.4, 100, 100],
    ["today a new low", ramp(21), 0.05, 0, 0],
    ["today at the old low", ramp(21), 0.1, 0, 0],
  ])("%s", (_name, history, current, rank, percentile) => {
    const r = ivRank(history, current);
    expect(r).toMatchObject({ kind: "ok", observations: 21 });
    if (r.kind !== "ok") return;
    expect(r.rank).toBeCloseTo(rank, 9);
    expect(r.percentile).toBeCloseTo(percentile, 9);
  });

  it("rank and percentile differ when history is skewed", () => {
    // 19 quiet days and one spike: 0.2 is low in the range but above most days.
    const r = ivRank([...Array(19).fill(0.15), 0.6], 0.2);
    expect(r).toMatchObject({ kind: "ok", percentile: 95 });
    if (r.kind === "ok") expect(r.rank).toBeCloseTo(11.11, 2);
  });

  it.each([
    ["too little history", ramp(19), 0.2, "only 19 of the 20 days"],
    ["no history", [], 0.2, "only 0 of the 20 days"],
    ["bad values do not count", [...ramp(15), Number.NaN, -1, 0, 0, 0], 0.2, "only 15 of the 20 days"],
    ["flat history", Array(30).fill(0.2), 0.2, "flat"],
    ["no current IV", ramp(30), Number.NaN, "not a positive number"],
  ])("unavailable: %s", (_name, history, current, reason) => {
    const r = ivRank(history, current);
    expect(r.kind).toBe("unavailable");
    if (r.kind === "unavailable") expect(r.reason).toContain(reason);
  });

  it("the minimum number of observations is a parameter", () => {
    expect(ivRank(ramp(5), 0.12, 5).kind).toBe("ok");
    expect(ivRank(ramp(5), 0.12, 6).kind).toBe("unavailable");
  });
});
