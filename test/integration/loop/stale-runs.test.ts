// A run the platform stopped mid-way (waitUntil cut a /scan off) stays "running" in D1. The next
// monitor marks it failed and says so once in the channel; a run still young is left alone.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { jobRuns } from "../../../drizzle/schema";
import { STALE_RUN_REASON } from "../../../src/jobs/stale-runs";
import { database } from "../../../src/store/db";
import { jobRunStore } from "../../../src/store/job-runs";
import { discordSim } from "../../support/discord-sim";
import { embedOf, monitorAfter, resetWorld, sandboxNow } from "../../support/sandbox-driver";

const db = database(env.DB);
const runs = jobRunStore(db);
const runById = (id: number) => db.select().from(jobRuns).where(eq(jobRuns.id, id)).get();

async function staleNotices() {
  return (await discordSim.messages()).filter(
    (m) => m.embeds.length > 0 && embedOf(m).title?.includes("run did not finish"),
  );
}

beforeEach(resetWorld);

describe("runs that died while running", () => {
  it("are finished as failed by the next monitor, with one notice each, and young runs are left alone", async () => {
    const now = await sandboxNow();
    const dead = await runs.claim("scan", "manual:cut-off", now - 11 * 60_000, now - 11 * 60_000);
    const young = await runs.claim("scan", "manual:still-going", now - 60_000, now - 60_000);
    if (dead === null || young === null) throw new Error("could not set up the runs");

    expect((await monitorAfter(0)).outcome).toBe("ran");

    expect(await runById(dead)).toMatchObject({ outcome: "failed", reason: STALE_RUN_REASON });
    expect((await runById(dead))?.finishedAt).not.toBeNull();
    expect(await runById(young)).toMatchObject({ outcome: "running", finishedAt: null });
    const notices = await staleNotices();
    expect(notices).toHaveLength(1);
    expect(embedOf(notices[0] as (typeof notices)[number]).description).toMatch(
      /still running after 10 minutes[\s\S]*marked failed[\s\S]*\/scan/,
    );

    // The next monitor finds nothing new to say; the failed slot may be claimed again.
    expect((await monitorAfter(5)).outcome).toBe("ran");
    expect(await staleNotices()).toHaveLength(1);
    expect(await runs.claim("scan", "manual:cut-off", now, now + 5 * 60_000)).toBe(dead);
  });
});
