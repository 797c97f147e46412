// Ex-dividend dates through the real SDK (marketData.corporateActions → GET /v1/corporate-actions)
// against the simulator, which answers as Alpaca documents the endpoint.
import { beforeEach, describe, expect, it } from "vitest";
import { alpacaGet, requests, reset, setDividends, setFaults, simBroker } from "../../support/alpaca-sim";

beforeEach(() => reset());

describe("ex-dividend dates", () => {
  it("reads SPY's 2026-12-18 ($1.75) and QQQ's 2026-12-21 ($0.70) for December 2026; GLD pays none", async () => {
    const dividends = await simBroker().exDividends(["SPY", "QQQ", "GLD"], "2026-12-01", "2026-12-31");
    expect(dividends).toEqual([
      { symbol: "SPY", exDate: "2026-12-18", amount: 1.75 },
      { symbol: "QQQ", exDate: "2026-12-21", amount: 0.7 },
    ]);
  });

  it("asks for cash dividends by bare dates, reaching 90 days past the window (Alpaca filters on the process date)", async () => {
    await simBroker().exDividends(["SPY"], "2026-12-01", "2026-12-31");
    const asked = (await requests()).find((r) => r.path === "/v1/corporate-actions");
    const q = new URLSearchParams(asked?.query ?? "");
    expect(Object.fromEntries(q)).toMatchObject({
      symbols: "SPY",
      types: "cash_dividend",
      start: "2026-12-01",
      end: "2027-03-31",
    });
  });

  it("keeps only ex-dates inside the window: SPY's 2027-03-19 is outside 2026-12-19..2027-03-18", async () => {
    expect(await simBroker().exDividends(["SPY"], "2026-12-19", "2027-03-18")).toEqual([]);
  });

  it("reads dates a test set, over several pages", async () => {
    const dates = Array.from({ length: 12 }, (_, i) => `2027-02-${String(i + 1).padStart(2, "0")}`);
    await setDividends("IWM", dates, 0.5);
    await setFaults({ page_cap: 5 });
    const read = await simBroker().exDividends(["IWM"], "2027-02-01", "2027-02-28");
    expect(read.map((d) => d.exDate)).toEqual(dates);
    expect((await requests()).filter((r) => r.path === "/v1/corporate-actions")).toHaveLength(3);
  });

  it("the simulator refuses an unknown type and a start after the end, as Alpaca does", async () => {
    const base = "https://data.alpaca.markets/v1/corporate-actions?symbols=SPY";
    expect((await alpacaGet(`${base}&types=dividend`)).status).toBe(400);
    expect((await alpacaGet(`${base}&start=2027-01-02&end=2027-01-01`)).status).toBe(400);
  });
});
