// A scan of a 10-symbol watchlist must fit the Workers free plan: 50 subrequests per
// invocation, counting fetches and every D1, KV and R2 operation.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { SCAN_STORAGE_OPS } from "../../../src/domain/scan-plan";
import { database } from "../../../src/store/db";
import { chainRequests, requests, setFaults } from "../../support/alpaca-sim";
import { createAnthropicSim } from "../../support/anthropic-sim";
import { countingWorld, total } from "../../support/counting-env";
import * as discordSim from "../../support/discord-sim";
import { resetWorld, SCAN_SLOT, TEN_SYMBOLS, textOf } from "../../support/sandbox-driver";

// Ten symbols spend about 22 on quotes and listings (the open-interest listings only as far as the
// five slots need), 7 on storage and 5 on posts: what is left pays for two Claude calls.

beforeEach(resetWorld);

describe("scan budget", () => {
  it("scans a 10-symbol watchlist within 50 subrequests, as the scheduled job does", async () => {
    const world = await countingWorld({ WATCHLIST: TEN_SYMBOLS });
    const result = await world.run("scan", SCAN_SLOT);
    expect(result.outcome).toBe("ran");
    const summary = result.outcome === "ran" ? result.summary : {};
    expect((summary.posted as unknown[]).length).toBeGreaterThan(0);
    // Every symbol's chain was fetched and screened: none was skipped for lack of data.
    expect(JSON.stringify(summary.skipped)).not.toMatch(/empty chain|data unavailable|no price/);
    expect(total(world.counts), JSON.stringify(world.counts)).toBeLessThanOrEqual(50);
    // What claudeCallsWithinBudget sets aside for storage is what a scan spends on it.
    const { d1, kv, r2 } = world.counts;
    expect(d1 + kv + r2, JSON.stringify(world.counts)).toBeLessThanOrEqual(SCAN_STORAGE_OPS);
  });

  it("with Claude configured, lets Claude write what fits in the budget and the rules write the rest, saying why", async () => {
    const claude = createAnthropicSim({ kind: "answer" });
    const world = await countingWorld({ WATCHLIST: TEN_SYMBOLS, ANTHROPIC_API_KEY: "sk-test" }, claude.fetch);
    const result = await world.run("scan", SCAN_SLOT);
    expect(result.outcome).toBe("ran");
    expect(total(world.counts), JSON.stringify(world.counts)).toBeLessThanOrEqual(50);
    const rows = await database(env.DB).query.recommendations.findMany();
    const authors = rows.map((r) => r.analyst);
    // The best two of the five ideas: 50 − 22 quotes and listings − 9 set aside for storage − 5 posts.
    expect(authors.filter((a) => a.startsWith("Claude"))).toHaveLength(2);
    expect(claude.requests.length).toBe(authors.filter((a) => a.startsWith("Claude")).length);
    for (const author of authors.filter((a) => !a.startsWith("Claude")))
      expect(author).toBe("Rule-based analyst (Claude unavailable: subrequest budget)");
  });

  describe("a watchlist larger than the budget", () => {
    const NOT_READ = /not read.*: the rest of the scan's \d+ subrequests \(SUBREQUEST_BUDGET\) is kept/;
    const notices = async () =>
      (await discordSim.messages()).filter((m) => textOf(m).includes("Scan cut short by the subrequest budget"));

    /** A scan of TEN_SYMBOLS in a world that fails the subrequest past `budget`, as Cloudflare does. */
    async function scanOverBudget(
      budget = 30,
      overrides: Record<string, string> = {},
      slot = SCAN_SLOT,
      anthropic?: typeof fetch,
    ) {
      const world = await countingWorld(
        { WATCHLIST: TEN_SYMBOLS, SUBREQUEST_BUDGET: String(budget), ...overrides },
        anthropic,
        budget,
      );
      const result = await world.run("scan", slot);
      expect(result.outcome).toBe("ran");
      // Nothing was refused for passing the limit: the scan itself stayed within it.
      expect(world.counts.refused, JSON.stringify(world.counts)).toBe(0);
      expect(total(world.counts)).toBeLessThanOrEqual(budget);
      const summary = result.outcome === "ran" ? result.summary : {};
      const skipped = summary.skipped as { symbol: string; reason: string }[];
      return {
        posted: (summary.posted as { symbol: string }[]).map((p) => p.symbol),
        notRead: skipped.filter((s) => NOT_READ.test(s.reason)).map((s) => s.symbol),
        skipped,
      };
    }

    it("reads the chains the budget allows, posts what they gave, and names the symbols it left unread", async () => {
      const { posted, notRead } = await scanOverBudget();
      // Chains are read in watchlist order until what is left is what must follow them (the
      // storage, the notice, a listing and a post per slot): the rest of the list goes unread.
      const watchlist = TEN_SYMBOLS.split(",");
      const read = watchlist.slice(0, watchlist.length - notRead.length);
      expect(notRead.length).toBeGreaterThan(0);
      expect(read.length).toBeGreaterThan(0);
      expect(notRead).toEqual(watchlist.slice(read.length));
      expect(posted.length).toBeGreaterThan(0);
      expect(posted.every((symbol) => read.includes(symbol))).toBe(true);
      const told = (await notices()).map(textOf);
      expect(told).toHaveLength(1);
      expect(told[0]).toContain(`${notRead.join(", ")} (${notRead.length} of 10 symbols) were not read in full`);
      expect(told[0]).toContain("SUBREQUEST_BUDGET=1000");

      // The trader is told once a day, not at every scan (the 12:00 one is cut short too).
      const noon = await scanOverBudget(30, {}, SCAN_SLOT + (2 * 60 + 25) * 60_000);
      expect(noon.notRead.length).toBeGreaterThan(0);
      expect(await notices()).toHaveLength(1);
    });

    it("with Claude configured, keeps the notice's share from Claude too", async () => {
      // Claude's calls come 5 subrequests at a time, and what is left for them depends on how
      // many ideas and listings the budget's chains gave: across these budgets some leave room
      // for a call and some leave it only if the notice's 3 are not kept.
      let called = 0;
      for (const budget of [30, 31, 32, 33, 34, 35, 36]) {
        await resetWorld();
        const claude = createAnthropicSim({ kind: "answer" });
        const { posted, notRead } = await scanOverBudget(
          budget,
          { ANTHROPIC_API_KEY: "sk-test" },
          SCAN_SLOT,
          claude.fetch,
        );
        expect(notRead.length, `budget ${budget}`).toBeGreaterThan(0);
        expect(posted.length, `budget ${budget}`).toBeGreaterThan(0);
        expect(await notices(), `budget ${budget}`).toHaveLength(1);
        called += claude.requests.length;
      }
      expect(called).toBeGreaterThan(0);
    });

    it("stops a chain that needs more pages than the budget leaves, and says so the same way", async () => {
      // Every page capped at 100 quotes: SPY's chain alone needs more requests than are left.
      await setFaults({ page_cap: 100 });
      const { posted, notRead } = await scanOverBudget();
      // SPY's chain was begun, then stopped where the budget ends: the rest go unread with it.
      const spyPages = (await requests()).filter((r) => r.path === "/v1beta1/options/snapshots/SPY");
      expect(spyPages.length).toBeGreaterThan(0);
      expect(notRead).toEqual(TEN_SYMBOLS.split(","));
      expect(posted).toEqual([]);
      expect(await notices()).toHaveLength(1);
    });

    it("leaves a listing out when only the posts' share is left: that symbol's spread is not offered", async () => {
      // Room for every chain (about 16 of 40, keeping 22), then for a few listings (keeping 17).
      // With an open interest no contract has, every listing refuses its spreads and the next
      // symbol is listed, until one finds no room.
      const { posted, notRead, skipped } = await scanOverBudget(40, { MIN_OPEN_INTEREST: "1000000" });
      const chainsRead = new Set((await chainRequests()).map((r) => r.symbol));
      expect([...chainsRead].sort()).toEqual(TEN_SYMBOLS.split(",").sort());
      const listed = skipped.filter((s) => /low open interest/.test(s.reason)).map((s) => s.symbol);
      expect(listed.length).toBeGreaterThan(0);
      expect(notRead.length).toBeGreaterThan(0);
      expect(notRead.filter((symbol) => listed.includes(symbol))).toEqual([]);
      for (const s of skipped.filter((s) => notRead.includes(s.symbol)))
        expect(s.reason).toMatch(/^open interest not read \(no spread is offered without it\)/);
      expect(posted).toEqual([]);
      expect(await notices()).toHaveLength(1);
    });
  });
});
