import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { positions, recommendations } from "../../../drizzle/schema";
import { database } from "../../../src/store/db";
import { performanceStore } from "../../../src/store/performance";
import * as alpaca from "../../support/alpaca-sim";
import { aPosition, aRecommendation } from "../../support/builders";
import { discordSim } from "../../support/discord-sim";
import {
  buttonsOf,
  call,
  click,
  embedOf,
  fire,
  moveClockTo,
  recommendationMessages,
  resetWorld,
  SANDBOX_WATCHLIST,
  SCAN_SLOT,
  scanAndPick,
  storedRecommendation,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);
const EOD_SLOT = Date.UTC(2027, 0, 15, 21, 15); // 16:15 New York, winter time

beforeEach(resetWorld);

describe("end of day", () => {
  it("posts one summary with the day's numbers and a reflection, and writes the day's row", async () => {
    const { message, approve } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id);
    await fire("eod", EOD_SLOT);
    const summaries = (await discordSim.messages()).filter((m) => textOf(m).includes("End of day"));
    expect(summaries).toHaveLength(1);
    const text = textOf(summaries[0] ?? message);
    expect(text).toMatch(/Trades closed today/);
    expect(text).toMatch(/Trades/);
    const today = (await performanceStore(db).recentDays(1))[0];
    expect(today).toMatchObject({
      tradesOpened: 1,
      openPositions: 1,
      recommendationsPosted: SANDBOX_WATCHLIST.length, // the scan's card per symbol
      recommendationsApproved: 1,
    });
    expect(today?.summaryMessageId).not.toBeNull();
    expect(await performanceStore(db).recentPlaybook()).toHaveLength(1);
  });

  it("counts the ideas left pending past the close as expired, and says an unmarked position is not in the unrealized P/L", async () => {
    await moveClockTo(SCAN_SLOT);
    const { message, approve } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id);
    // No monitor ran: the fill is not marked, and the other cards stay pending past the close.
    await moveClockTo(EOD_SLOT);

    await fire("eod", EOD_SLOT);

    const today = (await performanceStore(db).recentDays(1))[0];
    expect(today).toMatchObject({ recommendationsApproved: 1, recommendationsExpired: SANDBOX_WATCHLIST.length - 1 });
    const summary = (await discordSim.messages()).find((m) => textOf(m).includes("End of day"));
    expect(summary && textOf(summary)).toContain(
      "open positions $0 unrealized (1 position without a mark, not counted)",
    );
  });

  it("lists the positions that need a person: books that disagree with Alpaca, shares an expiry left", async () => {
    const { message, approve } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id);
    const qqq = (await recommendationMessages()).find((m) => embedOf(m).title?.startsWith("QQQ"));
    const approveQqq = qqq && buttonsOf(qqq).find((b) => b.custom_id.startsWith("v1:approve:"));
    if (!qqq || !approveQqq) throw new Error("no QQQ recommendation");
    await click(qqq.id, approveQqq.custom_id);
    // The states the monitor's reconcile and expiry booking write (both tested on their own).
    await env.DB.prepare(
      "UPDATE positions SET attention = 'Alpaca holds 0 and 0; the bot says -5 and 5.' WHERE symbol = 'SPY'",
    ).run();
    await env.DB.prepare(
      "UPDATE positions SET status = 'closed', close_reason = 'assigned', shares = 200, shares_mark = 498.5, realized_pl = -150, closed_at = opened_at WHERE symbol = 'QQQ'",
    ).run();
    await fire("eod", EOD_SLOT);
    const summary = (await discordSim.messages()).find((m) => textOf(m).includes("End of day"));
    const text = textOf(summary ?? message);
    expect(text).toMatch(/Needs attention/);
    expect(text).toMatch(/Position \d+ \(SPY [\d.]+\/[\d.]+\): Alpaca holds 0 and 0/);
    expect(text).toMatch(/QQQ [\d.]+\/[\d.]+\): Alpaca holds 200 QQQ shares long from its assigned/);
  });

  it("counts as approved only the approvals that became orders, and a trade closed at $0.00 as a scratch, neither win nor loss", async () => {
    const { message, approve } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id);
    const [spy] = await db.select().from(positions).all();
    if (!spy) throw new Error("the SPY approval opened nothing");
    // QQQ moves 3 % after its card: the recheck refuses the Approve, and no order is placed.
    const qqq = (await recommendationMessages()).find((m) => embedOf(m).title?.startsWith("QQQ"));
    const approveQqq = qqq && buttonsOf(qqq).find((b) => b.custom_id.startsWith("v1:approve:"));
    if (!qqq || !approveQqq) throw new Error("no QQQ recommendation");
    await alpaca.moveMarket({ symbol: "QQQ", move_pct: 3 });
    await click(qqq.id, approveQqq.custom_id);
    expect((await storedRecommendation(approveQqq.custom_id.split(":")[2] ?? ""))?.status).toBe("refused");
    // Three trades closed today: +$50.00, -$30.00 and one bought back for exactly its credit and fees.
    for (const pl of [50, -30, 0]) await closedTrade(pl, spy.openedAt);

    await fire("eod", EOD_SLOT);
    const today = (await performanceStore(db).recentDays(1))[0];
    expect(today).toMatchObject({
      recommendationsApproved: 1,
      tradesClosed: 3,
      wins: 1,
      losses: 1,
      realizedPl: 20,
    });
    const summary = (await discordSim.messages()).find((m) => textOf(m).includes("End of day"));
    const text = textOf(summary ?? message);
    expect(text).toContain("Win rate: 50% (1W / 1L / 1 scratch)");
    expect(text).toMatch(/ · 1 approved and ordered · 1 approval refused · 0 rejected · /);
    // The reflection's notes, in a trader's words: "SPY bull put closed (profit target): +$50.00".
    expect(text).toMatch(/SPY (bull put|bear call) closed \([a-z ]+\): -\$30\.00/);
  });

  it("posts once even when the cron fires twice, and skips the other daylight-saving firing", async () => {
    await fire("eod", EOD_SLOT);
    await fire("eod", EOD_SLOT);
    await fire("eod", EOD_SLOT - 3_600_000);
    expect((await discordSim.messages()).filter((m) => textOf(m).includes("End of day"))).toHaveLength(1);
  });

  it("lists the job runs newest first on the sandbox jobs route", async () => {
    await fire("scan", SCAN_SLOT);
    await fire("eod", EOD_SLOT);
    const response = await fetchJobs();
    expect(response.map((r) => r.job).slice(0, 2)).toEqual(["eod", "scan"]);
    expect(response[0]).toMatchObject({ outcome: "ran" });
  });
});

/** A trade closed at `closedAt` with this P/L, its idea from two days before (not today's). */
async function closedTrade(realizedPl: number, closedAt: number) {
  const rec = aRecommendation({ status: "filled", createdAt: closedAt - 2 * 86_400_000, updatedAt: closedAt });
  await db.insert(recommendations).values(rec).run();
  await db
    .insert(positions)
    .values(
      aPosition(rec.id, {
        status: "closed",
        openedAt: rec.createdAt,
        closedAt,
        updatedAt: closedAt,
        realizedPl,
        closePrice: 1.2,
      }),
    )
    .run();
}

async function fetchJobs(): Promise<{ job: string; outcome: string }[]> {
  return (await call("/sandbox/api/jobs")).json();
}
