import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { breakerStore } from "../../../src/store/breakers";
import { database } from "../../../src/store/db";
import { jobRunStore } from "../../../src/store/job-runs";
import * as alpaca from "../../support/alpaca-sim";
import { discordSim } from "../../support/discord-sim";
import {
  buttonsOf,
  command,
  embedOf,
  fire,
  messageById,
  moveClockTo,
  moveToNextSessionMorning,
  recommendationMessages,
  resetWorld,
  SCAN_SLOT,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);

beforeEach(resetWorld);

describe("scan", () => {
  it("posts one recommendation per watchlist symbol, each with Approve sizes and Reject", async () => {
    await fire("scan", SCAN_SLOT);
    const posted = await recommendationMessages();
    expect(posted.map((m) => embedOf(m).title?.split(" ")[0]).sort()).toEqual(["GLD", "IWM", "QQQ", "SPY"]);
    for (const message of posted) {
      const labels = buttonsOf(message).map((b) => b.label);
      expect(labels.some((l) => l.startsWith("Approve"))).toBe(true);
      expect(labels).toContain("Reject");
      expect(textOf(message)).toMatch(/Credit/);
      expect(textOf(message)).toMatch(/Max loss/);
      expect(textOf(message)).toMatch(/Rule-based analyst/);
      // The thesis gives the odds at the bot's own time exit beside those at expiry.
      expect(textOf(message)).toMatch(/POP \d+% at expiry, \d+% in profit at the 21-DTE exit\./);
    }
    const rows = await db.query.recommendations.findMany();
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.status).toBe("pending");
      expect(row.discordMessageId).not.toBeNull();
      expect(row.clientOrderId).toBe(`sd-open-${row.id}`);
      expect(row.expiresAt).toBeGreaterThan(row.createdAt);
    }
  });

  it("on the default market offers bull puts and bear calls: the side follows each smile (gold's call skew, the index ETFs' put skew)", async () => {
    // The smile alone: no ex-dividend date in the window to refuse a bear call (events.test.ts).
    for (const symbol of ["SPY", "QQQ", "IWM"]) await alpaca.setDividends(symbol, []);
    await fire("scan", SCAN_SLOT);
    const rows = await db.query.recommendations.findMany();
    const sides = Object.fromEntries(rows.map((r) => [r.symbol, r.strategy]));
    expect(new Set(Object.values(sides))).toEqual(new Set(["bull_put", "bear_call"]));
    expect(sides.GLD).toBe("bull_put");
    for (const row of rows) {
      // The promise is the fillable estimate, between the natural and the mid, all three stored.
      expect(row.naturalCredit).not.toBeNull();
      expect(row.credit).toBeGreaterThanOrEqual(row.naturalCredit ?? Number.POSITIVE_INFINITY);
      expect(row.credit).toBeLessThanOrEqual(row.midCredit ?? 0);
      expect(row.profitAtExitProbability).toBeGreaterThan(0);
      expect(row.quotesAt).not.toBeNull();
    }
  });

  it("does nothing twice when the same cron fires twice", async () => {
    await fire("scan", SCAN_SLOT);
    await fire("scan", SCAN_SLOT);
    expect(await recommendationMessages()).toHaveLength(4);
    const runs = (await jobRunStore(db).recent()).filter((r) => r.job === "scan");
    expect(runs.map((r) => r.outcome)).toEqual(["ran"]);
  });

  it("does nothing at 13:35 UTC in January (08:35 New York, July's 09:35): no slot, no record", async () => {
    await fire("scan", SCAN_SLOT - 3_600_000);
    expect(await recommendationMessages()).toHaveLength(0);
    expect(await jobRunStore(db).recent()).toEqual([]);
  });

  it("runs at 13:35 UTC in July, when New York is on summer time", async () => {
    await fire("scan", Date.UTC(2027, 6, 15, 13, 35));
    expect(await recommendationMessages()).toHaveLength(4);
  });

  it("does nothing on a weekend, without asking for a chain", async () => {
    await fire("scan", Date.UTC(2027, 0, 16, 14, 35)); // Saturday
    expect(await recommendationMessages()).toHaveLength(0);
    expect(await jobRunStore(db).recent()).toEqual([]);
  });

  it("offers nothing while the breaker is halted, and says so in the job run", async () => {
    await breakerStore(db, env.STATE).halt(["manual: test"], "manual", "u", SCAN_SLOT);
    await fire("scan", SCAN_SLOT);
    expect(await recommendationMessages()).toHaveLength(0);
    const run = await jobRunStore(db).lastOf("scan");
    expect(JSON.stringify(run?.summary)).toMatch(/circuit breaker halted/);
  });

  it("says once a day in the channel that a halt from an earlier day stopped its scans, by whom and why", async () => {
    const thursday = SCAN_SLOT - 86_400_000;
    await breakerStore(db, env.STATE).halt(["14 Jan: the day's P/L -$2,499.32"], "auto", "monitor", thursday);
    const halted = async () =>
      (await discordSim.messages()).filter((m) => textOf(m).includes("Scan skipped: trading is halted"));

    // The notice's day is the sandbox clock's (the scan works in the present), moved with the slots.
    await moveClockTo(SCAN_SLOT);
    await fire("scan", SCAN_SLOT);
    await moveClockTo(SCAN_SLOT + 145 * 60_000);
    await fire("scan", SCAN_SLOT + 145 * 60_000); // the day's 12:00 slot
    expect(await halted()).toHaveLength(1);
    const [notice] = await halted();
    expect(notice && textOf(notice)).toMatch(
      /Halted automatically \(monitor\) <t:\d+:R>; no new ideas until a person resumes/,
    );
    expect(notice && textOf(notice)).toContain("• 14 Jan: the day's P/L -$2,499.32");
    expect(notice && textOf(notice)).toContain("/resume clears it");

    await moveClockTo(SCAN_SLOT + 86_400_000 * 4);
    await fire("scan", SCAN_SLOT + 86_400_000 * 4); // the next session (Tuesday; Monday is MLK Day)
    expect(await halted()).toHaveLength(2);
  });

  it("still runs when Discord refuses the halted notice, and the next scan of the day posts it", async () => {
    await breakerStore(db, env.STATE).halt(["manual: news"], "manual", "100000000000000003", SCAN_SLOT - 86_400_000);
    await moveClockTo(SCAN_SLOT);
    await discordSim.setFaults([{ status: 403, count: 10 }]);
    await fire("scan", SCAN_SLOT);
    expect((await jobRunStore(db).lastOf("scan"))?.outcome).toBe("ran");

    await discordSim.setFaults([]);
    await moveClockTo(SCAN_SLOT + 145 * 60_000);
    await fire("scan", SCAN_SLOT + 145 * 60_000);
    const notices = (await discordSim.messages()).filter((m) => textOf(m).includes("Scan skipped: trading is halted"));
    expect(notices).toHaveLength(1);
  });

  it("posts no such notice on the day of the halt: the halt or the breaker's trip said so", async () => {
    await moveClockTo(SCAN_SLOT);
    await breakerStore(db, env.STATE).halt(["manual: news"], "manual", "100000000000000003", SCAN_SLOT);
    await fire("scan", SCAN_SLOT);
    expect((await discordSim.messages()).some((m) => textOf(m).includes("Scan skipped: trading is halted"))).toBe(
      false,
    );
  });

  it("does not offer a symbol again while its recommendation is pending", async () => {
    await fire("scan", SCAN_SLOT);
    await fire("scan", SCAN_SLOT + 86_400_000 * 4); // Tuesday's slot (Monday 18th is MLK Day: no session)
    expect(await recommendationMessages()).toHaveLength(4);
    const run = await jobRunStore(db).lastOf("scan");
    expect(JSON.stringify(run?.summary)).toMatch(/already has a pending recommendation/);
  });

  it("expires an idea whose time is up that no monitor swept, says so on its card, and offers its symbol again", async () => {
    await fire("scan", SCAN_SLOT);
    const first = await recommendationMessages();
    expect(first).toHaveLength(4);
    // Past the ideas' expiry, the next session, with no monitor run in between (after hours).
    await moveToNextSessionMorning();
    // Nothing is waiting for a person any more, though no run has swept the ideas yet.
    const status = (await command("status")).response.data?.embeds?.[0]?.fields ?? [];
    expect(status.find((f) => f.name.startsWith("Pending"))).toMatchObject({ name: "Pending (0)" });
    await fire("scan", SCAN_SLOT + 145 * 60_000); // the day's 12:00 slot
    const run = await jobRunStore(db).lastOf("scan");
    expect(JSON.stringify(run?.summary)).not.toMatch(/already has a pending recommendation/);
    // Four new cards with Approve buttons; the four old ones say they expired, without them.
    const open = await recommendationMessages();
    expect(open).toHaveLength(4);
    expect(open.some((m) => first.some((old) => old.id === m.id))).toBe(false);
    for (const old of first) {
      const card = await messageById(old.id);
      expect(textOf(card)).toContain("Expired unanswered");
      // Its title keeps the DTE it was offered at.
      expect(embedOf(card).title).toBe(embedOf(old).title);
      expect(buttonsOf(card).some((b) => b.custom_id.startsWith("v1:approve:"))).toBe(false);
    }
  });

  it("archives the scan's inputs and report to R2", async () => {
    await fire("scan", SCAN_SLOT);
    const listed = await env.ARCHIVE.list({ prefix: "scans/" });
    expect(listed.objects).toHaveLength(1);
    const archived = await (await env.ARCHIVE.get(listed.objects[0]?.key ?? ""))?.json<{
      inputs: unknown[];
      report: { posted: unknown[] };
    }>();
    expect(archived?.inputs).toHaveLength(4);
    expect(archived?.report.posted).toHaveLength(4);
  });

  it("withdraws the recommendations it could not post to Discord, with the reason", async () => {
    await discordSim.setFaults(Array.from({ length: 12 }, () => ({ status: 500 })));
    await fire("scan", SCAN_SLOT);
    const rows = await db.query.recommendations.findMany();
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.status === "expired" && r.statusReason === "Could not be posted to Discord.")).toBe(
      true,
    );
    // Once a post failed through the client's retries (3 tries), the rest are withdrawn untried:
    // each would spend three more of the free plan's 50 subrequests on a Discord that is down.
    const posts = (await discordSim.requests()).filter((r) => r.method === "POST");
    expect(posts.map((r) => r.status)).toEqual([500, 500, 500]);
  });

  it("still posts the other ideas when Discord refuses one card as such (a 4xx is about that request)", async () => {
    await discordSim.setFaults([{ status: 400 }]);
    await fire("scan", SCAN_SLOT);
    const rows = await db.query.recommendations.findMany();
    expect(rows.filter((r) => r.statusReason === "Could not be posted to Discord.")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "pending" && r.discordMessageId !== null)).toHaveLength(rows.length - 1);
  });
});
