// Open interest comes with Alpaca's contracts listing only, an answer as large as the chain. The
// scan reads the chain's snapshots, screens, and then lists one expiry and side: the legs of the
// best spread and of the others in its group (domain/open-interest.ts).
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { runJob } from "../../../src/jobs/run-job";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import { countingWorld } from "../../support/counting-env";
import { resetWorld, SCAN_SLOT } from "../../support/sandbox-driver";

beforeEach(resetWorld);

async function scan(vars: Record<string, string>) {
  const world = countingWorld({ WATCHLIST: "SPY,GLD", ...vars });
  const result = await runJob(createApp(world.env, world.outside), "scan", SCAN_SLOT, Date.now());
  if (result.outcome !== "ran") throw new Error(`the scan did not run: ${JSON.stringify(result)}`);
  const listings = (await alpaca.requests()).filter((r) => r.path === "/v2/options/contracts");
  return { summary: result.summary, listings: listings.map((r) => new URLSearchParams(r.query)) };
}

describe("scan: open interest of the chosen spreads", () => {
  it("lists one expiry and one side per symbol, and the posted spread's legs are in it", async () => {
    const { listings } = await scan({});
    const rows = await database(env.DB).query.recommendations.findMany();
    expect(rows.map((r) => r.symbol).sort()).toEqual(["GLD", "SPY"]);
    expect(listings).toHaveLength(2);
    for (const row of rows) {
      const listing = listings.find((q) => q.get("underlying_symbols") === row.symbol);
      expect(listing?.get("expiration_date_gte")).toBe(row.expiration);
      expect(listing?.get("expiration_date_lte")).toBe(row.expiration);
      expect(listing?.get("type")).toBe(row.strategy === "bull_put" ? "put" : "call");
      const strikes = [row.shortStrike, row.longStrike];
      expect(Number(listing?.get("strike_price_gte"))).toBeLessThanOrEqual(Math.min(...strikes));
      expect(Number(listing?.get("strike_price_lte"))).toBeGreaterThanOrEqual(Math.max(...strikes));
    }
  });

  it("posts nothing whose legs are held fewer times than MIN_OPEN_INTEREST, and says so per symbol", async () => {
    const { summary, listings } = await scan({ MIN_OPEN_INTEREST: "1000000" });
    expect(summary.posted).toEqual([]);
    const skipped = summary.skipped as { symbol: string; reason: string }[];
    expect(skipped.map((s) => s.symbol).sort()).toEqual(["GLD", "SPY"]);
    for (const s of skipped) expect(s.reason).toMatch(/^no spread passed the rules \(.*low open interest \d+/);
    expect(listings).toHaveLength(2);
    expect(await database(env.DB).query.recommendations.findMany()).toEqual([]);
  });

  it("with MIN_OPEN_INTEREST=0 lists no contracts at all", async () => {
    const { summary, listings } = await scan({ MIN_OPEN_INTEREST: "0" });
    expect((summary.posted as unknown[]).length).toBe(2);
    expect(listings).toEqual([]);
  });
});
