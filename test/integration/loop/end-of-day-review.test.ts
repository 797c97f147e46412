// The end of day's picture and Friday's review: the last 30 days' equity curve as an image in
// the summary, and on a Friday the week's track record beside the day's.
import { env } from "cloudflare:workers";
import type { APIEmbed } from "discord-api-types/v10";
import { beforeEach, describe, expect, it } from "vitest";
import { positions, recommendations } from "../../../drizzle/schema";
import { createApp } from "../../../src/app";
import { runJob } from "../../../src/jobs/run-job";
import { sandboxWorld } from "../../../src/sandbox/outside";
import { database } from "../../../src/store/db";
import { aPosition, aRecommendation } from "../../support/builders";
import { discordSim } from "../../support/discord-sim";
import { resetWorld } from "../../support/sandbox-driver";

const DAY = 86_400_000;
const FRIDAY_CLOSE = Date.UTC(2027, 0, 15, 21, 15); // Friday 2027-01-15, 16:15 New York
const TUESDAY_CLOSE = Date.UTC(2027, 0, 19, 21, 15); // Monday the 18th is a market holiday
const db = database(env.DB);

async function closedTrade(symbol: string, realizedPl: number, closedAt: number) {
  const rec = aRecommendation({ symbol, status: "filled" });
  await db.insert(recommendations).values(rec).run();
  await db
    .insert(positions)
    .values({ ...aPosition(rec.id, { symbol }), status: "closed", realizedPl, closedAt, updatedAt: closedAt })
    .run();
}

async function endOfDayAt(now: number) {
  await runJob(createApp(env, await sandboxWorld(env)), "eod", now, now);
  const summary = (await discordSim.messages()).find((m) =>
    (m.embeds as APIEmbed[])[0]?.title?.startsWith("End of day"),
  );
  if (!summary) throw new Error("no end-of-day summary");
  return { embed: (summary.embeds as APIEmbed[])[0], attachments: summary.attachments as { url: string }[] };
}

beforeEach(resetWorld);

describe("end of day review", () => {
  it("on a Friday shows the last 30 days' equity curve and the week: 2 trades, 50% won, +$50", async () => {
    await closedTrade("SPY", 150, FRIDAY_CLOSE - 2 * DAY);
    await closedTrade("QQQ", -100, FRIDAY_CLOSE - 1 * DAY);
    await closedTrade("IWM", 80, FRIDAY_CLOSE - 20 * DAY); // in the month, not the week

    const { embed, attachments } = await endOfDayAt(FRIDAY_CLOSE);
    expect(embed?.image?.url).toBe(attachments[0]?.url);
    expect(attachments[0]?.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/); // a PNG
    const week = embed?.fields?.find((f) => f.name === "📅 The week")?.value;
    expect(week).toBe(
      "2 trades · 50% won · +$50 · expectancy +$25 · max drawdown −$100\nbest SPY +$150 · worst QQQ −$100\n3 trades reviewed · no rule proposed (`/playbook`)",
    );
  });

  it("on a Tuesday without a closed trade in 30 days: no chart, no week", async () => {
    await closedTrade("SPY", 150, TUESDAY_CLOSE - 40 * DAY);
    const { embed, attachments } = await endOfDayAt(TUESDAY_CLOSE);
    expect(embed?.image).toBeUndefined();
    expect(attachments).toEqual([]);
    expect(embed?.fields?.some((f) => f.name === "📅 The week")).toBe(false);
  });
});
