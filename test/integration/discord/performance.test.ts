// /performance through the real endpoint (signed, as Discord sends it) on real local D1: the
// closed trades of the period and the end-of-day equity, in the figures a trader checks.
import { env } from "cloudflare:workers";
import type { APIEmbed } from "discord-api-types/v10";
import { beforeEach, describe, expect, it } from "vitest";
import { dailyPerformance, positions, recommendations } from "../../../drizzle/schema";
import { database } from "../../../src/store/db";
import { aDailyPerformance, aPosition, aRecommendation } from "../../support/builders";
import { discordSim } from "../../support/discord-sim";
import { command, resetWorld, SANDBOX_START } from "../../support/sandbox-driver";

const DAY = 86_400_000;
const db = database(env.DB);

/** A closed trade `daysAgo` days ago with its realized P/L (fees included, as the bot books it). */
async function closedTrade(symbol: string, strategy: "bull_put" | "bear_call", realizedPl: number, daysAgo: number) {
  const rec = aRecommendation({ symbol, strategy, status: "filled" });
  await db.insert(recommendations).values(rec).run();
  const closedAt = SANDBOX_START - daysAgo * DAY;
  await db
    .insert(positions)
    .values({ ...aPosition(rec.id, { symbol, strategy }), status: "closed", realizedPl, closedAt, updatedAt: closedAt })
    .run();
}

async function equityOn(tradingDay: string, equity: number) {
  await db
    .insert(dailyPerformance)
    .values(aDailyPerformance(tradingDay, equity, SANDBOX_START))
    .run();
}

/** The newest /performance reply in the channel, as the deferred reply's edit left it. */
async function performanceReply() {
  const replies = (await discordSim.messages()).filter((m) => m.interaction_metadata?.name === "performance");
  const reply = replies.at(-1);
  if (!reply) throw new Error("no /performance reply");
  return { embeds: reply.embeds as APIEmbed[], attachments: reply.attachments };
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
    const today = new Date(SANDBOX_START).toISOString().slice(0, 10);
    await equityOn("1999-12-31", 90_000); // an older close: left out
    await equityOn("2000-01-03", 100_000); // the last close before the month: the change starts there
    await equityOn(new Date(SANDBOX_START - 25 * DAY).toISOString().slice(0, 10), 100_050);
    await equityOn(today, 99_970);

    const { status, response } = await command("performance", { period: "month" });
    expect(status).toBe(200);
    // Deferred and ephemeral: only the person who asked sees it, and the chart follows.
    expect(response).toMatchObject({ type: 5, data: { flags: 64 } });
    const reply = await performanceReply();
    const embed = reply.embeds[0];
    expect(embed?.title).toBe("Performance · last 30 days");
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
    expect(fieldsOf(embed)["Account equity (end of day)"]).toBe(
      `$100,000 → $99,970 (−$30), close of 2000-01-03 to close of ${today}`,
    );
    expect(embed?.description).toMatch(/`[▁▂▃▄▅▆▇█]{5}`/); // $0, then one point per trade
    // The equity curve as a PNG image, sent with the reply and shown in the embed.
    const [chart] = reply.attachments as { filename: string; content_type: string; url: string }[];
    expect(chart).toMatchObject({ filename: "equity.png", content_type: "image/png" });
    expect(embed?.image?.url).toBe(chart?.url);
    const png = Uint8Array.from(atob(chart?.url.split(",")[1] ?? ""), (ch) => ch.charCodeAt(0));
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(new DataView(png.buffer).getUint32(16)).toBe(640); // IHDR width
  });

  it("all time counts the older trade too, and a period without trades says so", async () => {
    await closedTrade("IWM", "bull_put", 75, 45);
    await command("performance", { period: "all" });
    expect(fieldsOf((await performanceReply()).embeds[0]).Trades).toBe("1 (1 won · 0 lost)");
    await command("performance", { period: "week" });
    const week = await performanceReply();
    expect(week.embeds[0]?.description).toBe("No trades closed in this period yet.");
    expect(week.attachments).toEqual([]);
  });
});
