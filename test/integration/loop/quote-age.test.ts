// Quotes with an age: the sandbox's option quotes are dated in the past (or carry no time) through
// the simulator's fault knobs, and the scan and the approval recheck judge them against
// MAX_QUOTE_AGE_SECONDS (unset in the sandbox: 1200 s on its indicative feed).
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { database } from "../../../src/store/db";
import { jobRunStore } from "../../../src/store/job-runs";
import * as alpaca from "../../support/alpaca-sim";
import {
  click,
  embedOf,
  fire,
  messageById,
  openingOrdersFor as ordersFor,
  storedRecommendation as rec,
  recommendationMessages,
  resetWorld,
  SANDBOX_WATCHLIST,
  SCAN_SLOT,
  scanAndPick,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);

beforeEach(resetWorld);

async function scanSkips(): Promise<{ symbol: string; reason: string }[]> {
  const run = await jobRunStore(db).lastOf("scan");
  return (run?.summary as { skipped?: { symbol: string; reason: string }[] } | null)?.skipped ?? [];
}

describe("scan and quote age", () => {
  it("posts ideas from option quotes 15 min old: the indicative feed's delay is inside its 20-min limit", async () => {
    await alpaca.setFaults({ quote_age_seconds: 900 });
    await fire("scan", SCAN_SLOT);
    const posted = await recommendationMessages();
    expect(posted).toHaveLength(SANDBOX_WATCHLIST.length);
    // The bot's clock keeps flowing while the simulator's quotes stay frozen: a few seconds more.
    for (const m of posted) expect(textOf(m)).toMatch(/Quotes: indicative \(delayed\) · 1[56] min old/);
  });

  it("skips every idea when the option quotes are 25 min old (limit 20 min) and says why in the scan's report", async () => {
    await alpaca.setFaults({ quote_age_seconds: 1500 });
    await fire("scan", SCAN_SLOT);
    expect(await recommendationMessages()).toHaveLength(0);
    expect(await db.query.recommendations.findMany()).toHaveLength(0);
    const skipped = await scanSkips();
    expect(skipped.map((s) => s.symbol).sort()).toEqual([...SANDBOX_WATCHLIST].sort());
    for (const s of skipped)
      expect(s.reason).toMatch(
        new RegExp(
          `^idea skipped: ${s.symbol}'s option quotes are 2[56] min old \\(limit 20 min, MAX_QUOTE_AGE_SECONDS\\): the market may have left those prices$`,
        ),
      );
  });

  it("skips every idea when the quotes carry no time: unknown age is not fresh", async () => {
    await alpaca.setFaults({ quotes_without_time: true });
    await fire("scan", SCAN_SLOT);
    expect(await recommendationMessages()).toHaveLength(0);
    const skipped = await scanSkips();
    expect(skipped).toHaveLength(SANDBOX_WATCHLIST.length);
    for (const s of skipped) expect(s.reason).toMatch(/option quotes carry no time, so how old they are is unknown/);
  });
});

describe("approve and quote age", () => {
  it("refuses when the leg quotes at the tap are 25 min old (limit 20 min), says so on the card, and places nothing", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setFaults({ quote_age_seconds: 1500 });
    await click(message.id, approve.custom_id);
    expect(await ordersFor(recId)).toHaveLength(0);
    const row = await rec(recId);
    expect(row?.status).toBe("refused");
    expect(row?.statusReason).toMatch(
      /^the option quotes are 2[56] min old \(limit 20 min, MAX_QUOTE_AGE_SECONDS\): the market may have left those prices$/,
    );
    expect(textOf(await messageById(message.id))).toMatch(/the option quotes are 2[56] min old \(limit 20 min/);
  });

  it("refuses when the quotes carry no time: the legs' age and the stock price's age are unknown, both said", async () => {
    const { message, approve, recId } = await scanAndPick("QQQ");
    await alpaca.setFaults({ quotes_without_time: true });
    await click(message.id, approve.custom_id);
    expect(await ordersFor(recId)).toHaveLength(0);
    const row = await rec(recId);
    expect(row?.status).toBe("refused");
    expect(row?.statusReason).toMatch(/the option quotes carry no time, so how old they are is unknown/);
    expect(row?.statusReason).toMatch(/the age of the market data is unknown/);
    const card = textOf(await messageById(message.id));
    expect(card).toMatch(/option quotes carry no time/);
    expect(embedOf(await messageById(message.id)).title).toMatch(/^QQQ/);
  });

  it("trades on leg quotes 15 min old, inside the indicative feed's 20-min limit", async () => {
    const { message, approve, recId } = await scanAndPick("IWM");
    await alpaca.setFaults({ quote_age_seconds: 900 });
    await click(message.id, approve.custom_id);
    expect(await ordersFor(recId)).toHaveLength(1);
    expect((await rec(recId))?.status).toBe("filled");
  });
});
