// Open interest comes with Alpaca's contracts listing only, an answer as large as the chain. The
// scan reads the chain's snapshots, screens, and then lists one expiry and side: the legs of the
// best spread and of the others in its group (domain/open-interest.ts).
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { FaultsInput } from "../../../src/sandbox/alpaca/faults";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import { countingWorld } from "../../support/counting-env";
import { resetWorld, SANDBOX_START, SCAN_SLOT, TEN_SYMBOLS } from "../../support/sandbox-driver";

beforeEach(resetWorld);

async function scan(vars: Record<string, string>, now?: number) {
  const world = await countingWorld({ WATCHLIST: "SPY,GLD", ...vars });
  const result = await world.run("scan", SCAN_SLOT, now);
  if (result.outcome !== "ran") throw new Error(`the scan did not run: ${JSON.stringify(result)}`);
  const listings = (await alpaca.requests()).filter((r) => r.path === "/v2/options/contracts");
  return { summary: result.summary, listings: listings.map((r) => new URLSearchParams(r.query)) };
}

type Scanned = Awaited<ReturnType<typeof scan>>;
const posted = (s: Scanned) => (s.summary.posted as { symbol: string }[]).map((p) => p.symbol);
const skipped = (s: Scanned) => s.summary.skipped as { symbol: string; reason: string }[];

/**
 * Ten symbols scanned twice on the same frozen market: with room for every idea (so every symbol
 * is listed), then with two slots, after the given simulator faults.
 */
async function roomForAllThenTwo(faults?: FaultsInput): Promise<{ every: Scanned; two: Scanned }> {
  // resetWorld pins the clock, frozen, at SANDBOX_START: both scans see the same market.
  const at = SANDBOX_START;
  const every = await scan({ WATCHLIST: TEN_SYMBOLS, MAX_RECOMMENDATIONS_PER_SCAN: "25" }, at);
  await resetWorld();
  if (faults) await alpaca.setFaults(faults);
  const two = await scan({ WATCHLIST: TEN_SYMBOLS, MAX_RECOMMENDATIONS_PER_SCAN: "2" }, at);
  return { every, two };
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

  it("lists the best symbols first and stops once listed ideas fill the slots: the same ideas, fewer listings", async () => {
    const { every, two } = await roomForAllThenTwo();
    // Posted best first: with room for every idea, each symbol was listed; with two slots, the
    // two best of those, and the symbols never listed say they lost the last slot.
    expect(posted(every).length).toBeGreaterThan(4);
    expect(every.listings.length).toBeGreaterThanOrEqual(posted(every).length);
    expect(posted(two)).toEqual(posted(every).slice(0, 2));
    expect(two.listings.length).toBeLessThan(every.listings.length);
    const listed = new Set(two.listings.map((q) => q.get("underlying_symbols")));
    for (const symbol of posted(every).filter((s) => !listed.has(s)))
      expect(skipped(two).find((s) => s.symbol === symbol)?.reason).toBe("a better idea took this scan's last slot");
  });

  it("a listing that fails skips its symbol and says why; the next best are listed in its place", async () => {
    // The first listing fails on every try (the SDK's two retries included).
    const { every, two } = await roomForAllThenTwo({
      fail_next: { count: 3, status: 503, retry_after: 0, path_prefix: "/v2/options/contracts" },
    });
    const failed = skipped(two).filter((s) => s.reason.startsWith("data unavailable"));
    expect(failed).toHaveLength(1);
    expect(posted(two)).toEqual(
      posted(every)
        .filter((symbol) => symbol !== failed[0]?.symbol)
        .slice(0, 2),
    );
    // Every symbol of the watchlist is accounted for: posted or skipped with a reason.
    expect([...posted(two), ...skipped(two).map((s) => s.symbol)].sort()).toEqual(TEN_SYMBOLS.split(",").sort());
  });

  it("with MIN_OPEN_INTEREST=0 lists no contracts at all", async () => {
    const { summary, listings } = await scan({ MIN_OPEN_INTEREST: "0" });
    expect((summary.posted as unknown[]).length).toBe(2);
    expect(listings).toEqual([]);
  });
});
