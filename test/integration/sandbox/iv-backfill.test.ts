// The sandbox's IV history backfill: a year of trading days per watchlist symbol from the
// simulated market, written once, never over an observation already recorded, and not at all
// for a symbol that already has the 20 days IV rank needs.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nyseSession, tradingDay } from "../../../src/domain/market-time";
import { previousTradingDay } from "../../../src/sandbox/alpaca/trading-days";
import { backfillIvHistory } from "../../../src/sandbox/iv-backfill";
import { database } from "../../../src/store/db";
import { ivHistoryStore } from "../../../src/store/iv-history";
import { SANDBOX_WATCHLIST } from "../../support/sandbox-driver";

const store = ivHistoryStore(database(env.DB));

async function rows(symbol: string): Promise<{ trading_day: string; iv: number }[]> {
  const result = await env.DB.prepare("SELECT trading_day, iv FROM iv_history WHERE symbol = ? ORDER BY trading_day")
    .bind(symbol)
    .all<{ trading_day: string; iv: number }>();
  return result.results;
}

// One scenario in order: the backfill runs once per isolate, so the file walks through it.
describe("IV history backfill (sandbox only)", () => {
  it("fills a year of trading days for short histories, keeps what exists, skips full ones, then stops", async () => {
    const now = Date.now();
    const today = tradingDay(now);
    // SPY already has 25 days: left alone. QQQ has one observation: kept as it was.
    for (let i = 1; i <= 25; i++) await store.record("SPY", `2020-01-${String(i).padStart(2, "0")}`, 0.2);
    const yesterday = previousTradingDay(today);
    await store.record("QQQ", yesterday, 0.5);

    const written = await backfillIvHistory(env, now);

    expect(await rows("SPY")).toHaveLength(25);
    const qqq = await rows("QQQ");
    // Every other watchlist symbol (IWM, GLD) had no history: a full year each.
    const empty = SANDBOX_WATCHLIST.filter((s) => s !== "SPY" && s !== "QQQ");
    expect(empty).toContain("IWM");
    for (const symbol of empty) expect(await rows(symbol), symbol).toHaveLength(252);
    const iwm = await rows("IWM");
    expect(written).toBe(251 + 252 * empty.length);
    for (const { trading_day } of iwm) {
      expect(nyseSession(trading_day), trading_day).not.toBeNull();
      expect(trading_day < today).toBe(true);
    }
    const ivs = iwm.map((r) => r.iv);
    expect(Math.min(...ivs)).toBeGreaterThan(0.1);
    expect(Math.max(...ivs)).toBeLessThan(0.4);
    expect(Math.max(...ivs) - Math.min(...ivs)).toBeGreaterThan(0.05); // a range to rank against
    expect(qqq).toHaveLength(252);
    expect(qqq.find((r) => r.trading_day === yesterday)?.iv).toBe(0.5);

    // A second call writes nothing.
    expect(await backfillIvHistory(env, now)).toBe(0);
    expect(await rows("IWM")).toHaveLength(252);
  });
});
