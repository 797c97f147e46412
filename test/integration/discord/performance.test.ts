// /performance through the real endpoint (signed, as Discord sends it) on real local D1: the
// closed trades of the period and the end-of-day equity, in the figures a trader checks.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { dailyPerformance, positions, recommendations } from "../../../drizzle/schema";
import { database } from "../../../src/store/db";
import { aPosition, aRecommendation } from "../../support/builders";
import { command, resetWorld } from "../../support/sandbox-driver";

const DAY = 86_400_000;
const db = database(env.DB);

/** A closed trade `daysAgo` days ago with its realized P/L (fees included, as the bot books it). */
async function closedTrade(symbol: string, strategy: "bull_put" | "bear_call", realizedPl: number, daysAgo: number) {
  const rec = aRecommendation({ symbol, strategy, status: "filled" });
  await db.insert(recommendations).values(rec).run();
  const closedAt = Date.now() - daysAgo * DAY;
  await db
    .insert(positions)
    .values({ ...aPosition(rec.id, { symbol, strategy }), status: "closed", realizedPl, closedAt, updatedAt: closedAt })
    .run();
}

async function equityOn(tradingDay: string, equity: number) {
  await db
    .insert(dailyPerformance)
    .values({
      tradingDay,
      realizedPl: 0,
      unrealizedPl: 0,
      totalRealizedPl: 0,
      tradesOpened: 0,
      tradesClosed: 0,
      wins: 0,
      losses: 0,
      openPositions: 0,
      openRisk: 0,
      equity,
      recommendationsPosted: 0,
      recommendationsApproved: 0,
      recommendationsRejected: 0,
      recommendationsExpired: 0,
      breakerHalted: false,
      summaryMessageId: null,
      createdAt: Date.now(),
    })
    .run();
}

const fieldsOf = (embed: { fields?: { name: string; value: string }[] } | undefined) =>
  Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));

beforeEach(resetWorld);

describe("/performance", () => {
  it("shows the month's trades, win rate, expectancy, profit factor, drawdown and P/L by symbol and strategy", async () => {
    await closedTrade("SPY", "bull_put", 100, 20);
    await closedTrade("QQQ", "bear_call", -300, 15);
    await closedTrade("SPY", "bear_call", 50, 10);
    await closedTrade("GLD", "bull_put", 120, 5);
    await closedTrade("IWM", "bull_put", 75, 45); // before the month: left out
    const today = new Date().toISOString().slice(0, 10);
    await equityOn("2000-01-03", 100_000); // before the month: left out
    await equityOn(new Date(Date.now() - 25 * DAY).toISOString().slice(0, 10), 100_000);
    await equityOn(today, 99_970);

    const { status, response } = await command("performance", { period: "month" });
    expect(status).toBe(200);
    const embed = response.data?.embeds?.[0];
    expect(embed?.title).toBe("Performance · last 30 days");
    expect(response.data?.flags).toBe(64); // only the person who asked sees it
    expect(fieldsOf(embed)).toMatchObject({
      Trades: "4 (3 won · 1 lost)",
      "Win rate": "75%",
      "Realized P/L": "−$30",
      Expectancy: "−$8 a trade",
      "Average win / loss": "+$90 / −$300",
      "Profit factor": "0.90",
      "Max drawdown": "−$300",
      "By symbol": "SPY +$150 (2)\nGLD +$120 (1)\nQQQ −$300 (1)",
    });
    expect(fieldsOf(embed)["Account equity (end of day)"]).toMatch(/\$100,000 → \$99,970 \(−\$30\)/);
    expect(embed?.description).toMatch(/`[▁▂▃▄▅▆▇█]{5}`/); // $0, then one point per trade
  });

  it("all time counts the older trade too, and a period without trades says so", async () => {
    await closedTrade("IWM", "bull_put", 75, 45);
    const all = await command("performance", { period: "all" });
    expect(fieldsOf(all.response.data?.embeds?.[0]).Trades).toBe("1 (1 won · 0 lost)");
    const week = await command("performance", { period: "week" });
    expect(week.response.data?.embeds?.[0]?.description).toBe("No trades closed in this period yet.");
  });
});
