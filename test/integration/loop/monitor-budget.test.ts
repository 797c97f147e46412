// The monitor with five positions open must stay light: it runs every 5 minutes, each firing its
// own invocation with the free plan's 50 subrequests (fetches and every D1, KV and R2 operation).
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { database } from "../../../src/store/db";
import { countingWorld, total } from "../../support/counting-env";
import {
  buttonsOf,
  click,
  recommendationMessages,
  resetWorld,
  SCAN_SLOT,
  TEN_SYMBOLS,
} from "../../support/sandbox-driver";

beforeEach(resetWorld);

describe("monitor budget", () => {
  it("marks five open positions within the free plan's subrequests", async () => {
    const scanning = await countingWorld({ WATCHLIST: TEN_SYMBOLS });
    await scanning.run("scan", SCAN_SLOT);
    for (const message of await recommendationMessages()) {
      const approve = buttonsOf(message).find((b) => b.custom_id.startsWith("v1:approve:"));
      if (approve) await click(message.id, approve.custom_id);
    }
    const open = await database(env.DB).query.positions.findMany({ where: (p, { eq }) => eq(p.status, "open") });
    expect(open).toHaveLength(5);

    const world = await countingWorld({ WATCHLIST: TEN_SYMBOLS });
    const result = await world.run("monitor", SCAN_SLOT + 10 * 60_000);

    expect(result).toMatchObject({ outcome: "ran", summary: { marked: 5, errors: [] } });
    // Measured 2026-12-01: 5 fetches, 18 D1 operations (the five marks are one batch), 2 KV;
    // with the run's reads in one opening batch: 4 fetches (clock, quotes, account, positions:
    // no option events before an expiration day), 5 D1 operations (claim, book, marks, equity,
    // finish), 1 KV (the breaker mirror).
    expect(total(world.counts), JSON.stringify(world.counts)).toBeLessThanOrEqual(50);
    expect(world.counts.d1, JSON.stringify(world.counts)).toBeLessThanOrEqual(5);
    expect(world.counts.fetch, JSON.stringify(world.counts)).toBe(4);
  });

  it("reads what an empty run needs in one D1 round trip and asks Alpaca only what can matter", async () => {
    const world = await countingWorld();
    const result = await world.run("monitor", SCAN_SLOT + 10 * 60_000);

    expect(result).toMatchObject({ outcome: "ran", summary: { marked: 0, errors: [] } });
    // D1: the slot's claim, the run's book (expiries, stale runs, entries in flight, positions,
    // breaker state and the loss records, one batch), the day's equity, the run's record.
    expect(world.counts.d1, JSON.stringify(world.counts)).toBeLessThanOrEqual(4);
    // Alpaca: the clock, the account (equity, daily loss) and its positions (reconcile); no
    // option events and no quotes without a position they could settle or mark.
    expect(world.counts.fetch, JSON.stringify(world.counts)).toBe(3);
  });
});
