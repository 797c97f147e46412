// A scan of a 10-symbol watchlist must fit the Workers free plan: 50 subrequests per
// invocation, counting fetches and every D1, KV and R2 operation.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { SCAN_STORAGE_OPS } from "../../../src/domain/scan-plan";
import { runJob } from "../../../src/jobs/run-job";
import { database } from "../../../src/store/db";
import { createAnthropicSim } from "../../support/anthropic-sim";
import { countingWorld, total } from "../../support/counting-env";
import { resetWorld, SCAN_SLOT } from "../../support/sandbox-driver";

const TEN = "SPY,QQQ,IWM,DIA,XLF,XLE,XLK,TLT,GLD,EEM";
// Ten symbols spend about 22 on quotes and listings (the open-interest listings only as far as the
// five slots need), 7 on storage and 5 on posts: what is left pays for two Claude calls.

beforeEach(resetWorld);

describe("scan budget", () => {
  it("scans a 10-symbol watchlist within 50 subrequests, as the scheduled job does", async () => {
    const world = countingWorld({ WATCHLIST: TEN });
    const app = createApp(world.env, world.outside);
    const result = await runJob(app, "scan", SCAN_SLOT, Date.now());
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
    const world = countingWorld({ WATCHLIST: TEN, ANTHROPIC_API_KEY: "sk-test" }, claude.fetch);
    const app = createApp(world.env, world.outside);
    const result = await runJob(app, "scan", SCAN_SLOT, Date.now());
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
});
