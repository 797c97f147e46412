// Discord failing under the bot, simulated at its REST edge: rate limits while posting a scan, and
// server errors past every retry while editing an approved recommendation. Discord is the window,
// not the ledger: the trade is placed and recorded whatever the window shows.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { positions, recommendations, trades } from "../../../drizzle/schema";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import { discordSim } from "../../support/discord-sim";
import {
  buttonsOf,
  click,
  command,
  embedOf,
  fire,
  messageById,
  recommendationMessages,
  resetWorld,
  SANDBOX_WATCHLIST,
  SCAN_SLOT,
  scanAndPick,
  statusFields,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);

beforeEach(resetWorld);

describe("discord faults", () => {
  it("posts each recommendation once when Discord answers 429 before letting the scan through", async () => {
    await discordSim.setFaults([{ status: 429, count: 2, retryAfter: 0.05 }]);
    await fire("scan", SCAN_SLOT);

    const posts = (await discordSim.requests()).filter((r) => r.method === "POST" && r.route.endsWith("/messages"));
    expect(posts.map((r) => r.status)).toEqual([429, 429, ...SANDBOX_WATCHLIST.map(() => 200)]);
    const titles = (await recommendationMessages()).map((m) => embedOf(m).title?.split(" ")[0]);
    expect(titles.sort()).toEqual([...SANDBOX_WATCHLIST].sort());
    const rows = await db.select().from(recommendations).all();
    expect(rows.every((r) => r.status === "pending" && r.discordMessageId !== null)).toBe(true);
  });

  it("says in /status that Discord refused the scan's posts (an IP block at its edge), with when and why", async () => {
    const quiet = await command("status");
    expect(JSON.stringify(quiet.response)).not.toMatch(/⚠️ Discord/);
    await discordSim.setFaults([{ status: 403, edge: "blocked", count: 20 }]);
    await fire("scan", SCAN_SLOT);
    expect(await recommendationMessages()).toEqual([]);
    await discordSim.setFaults([]);

    const field = (await statusFields())["⚠️ Discord"];
    expect(field).toMatch(/Refused a post or edit <t:\d+:R>: .*edge refused the Worker's IP/);
    expect(field).toMatch(/Ideas and alerts may be missing/);
  });

  it("places and records the order when every edit of the approved message fails, and /portfolio shows it", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await discordSim.setFaults([{ status: 502, count: 3 }]);
    const answer = await click(message.id, approve.custom_id);

    // The first answer (type 7) updated the message at once; the later edit to "Filled" was lost.
    expect(answer.response.type).toBe(7);
    const edits = (await discordSim.requests()).filter((r) => r.method === "PATCH");
    expect(edits.map((r) => r.status)).toEqual([502, 502, 502]);
    const shown = await messageById(message.id);
    expect(buttonsOf(shown)).toEqual([]);
    expect(textOf(shown)).toMatch(/placing order/);

    const orders = (await alpaca.listOrders()).filter((o) => o.client_order_id === `sd-open-${recId}`);
    expect(orders).toHaveLength(1);
    expect((await db.select().from(recommendations).where(eq(recommendations.id, recId)).get())?.status).toBe("filled");
    expect(await db.select().from(trades).where(eq(trades.recommendationId, recId)).all()).toEqual([
      expect.objectContaining({ kind: "open", status: "filled" }),
    ]);
    const position = await db.select().from(positions).where(eq(positions.recommendationId, recId)).get();
    expect(position?.status).toBe("open");
    const portfolio = await command("portfolio");
    expect(JSON.stringify(portfolio.response)).toContain("SPY");
  });
});
