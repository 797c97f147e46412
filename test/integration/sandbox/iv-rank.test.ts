// In the sandbox, IV rank has a value from the first scan: the sandbox backfills a year of daily
// ATM IV from the simulated market's own volatility model, so today's IV sits inside its range.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { database } from "../../../src/store/db";
import {
  embedOf,
  fire,
  recommendationMessages,
  resetWorld,
  SANDBOX_WATCHLIST,
  SCAN_SLOT,
} from "../../support/sandbox-driver";

beforeEach(resetWorld);

/** The "IV rank" field, named with what it ranks and its window ("IV rank of 30-day ATM IV (252 days)"). */
const ivRankField = (embed: ReturnType<typeof embedOf>) =>
  embed.fields?.find((f) => /^IV rank of 30-day ATM IV( \(\d+ days\))?$/.test(f.name))?.value;

describe("IV rank in the sandbox", () => {
  it("shows a number on every recommendation of the first scan, not 'unavailable'", async () => {
    await fire("scan", SCAN_SLOT);
    const posted = await recommendationMessages();
    expect(posted).toHaveLength(SANDBOX_WATCHLIST.length);
    for (const message of posted) {
      const embed = embedOf(message);
      const rank = ivRankField(embed);
      expect(rank, embed.title).toMatch(/^\d{1,3}$/);
      expect(JSON.stringify(embed)).not.toMatch(/IV rank unavailable/);
    }
  });

  it("puts a fresh simulated world's IV mid-range of its past year", async () => {
    await fire("scan", SCAN_SLOT);
    const rows = await database(env.DB).query.recommendations.findMany();
    expect(rows.map((r) => r.symbol).sort()).toEqual([...SANDBOX_WATCHLIST].sort());
    for (const row of rows) {
      expect(row.ivRank, row.symbol).not.toBeNull();
      expect(row.ivRank ?? -1, row.symbol).toBeGreaterThanOrEqual(30);
      expect(row.ivRank ?? 101, row.symbol).toBeLessThanOrEqual(70);
    }
  });
});
