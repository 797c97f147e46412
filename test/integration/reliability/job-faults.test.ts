// Jobs under repeated and broken runs: the cron firing twice at once, a job that crashes half-way
// and runs again, and Claude failing while the scan asks for theses. Nothing is done twice,
// nothing is lost, and what happened is visible in the channel and the job runs.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { APIEmbed } from "discord-api-types/v10";
import { beforeEach, describe, expect, it } from "vitest";
import { SCHEDULE } from "../../../src/jobs/schedule";
import { sandboxWorld } from "../../../src/sandbox/outside";
import { database } from "../../../src/store/db";
import { jobRunStore } from "../../../src/store/job-runs";
import { performanceStore } from "../../../src/store/performance";
import { createWorker } from "../../../src/worker";
import { createAnthropicSim } from "../../support/anthropic-sim";
import { discordSim } from "../../support/discord-sim";
import {
  channelTexts,
  click,
  embedOf,
  fire,
  recommendationMessages,
  resetWorld,
  SANDBOX_WATCHLIST,
  SCAN_SLOT,
  scanAndPick,
} from "../../support/sandbox-driver";

const db = database(env.DB);
const EOD_SLOT = Date.UTC(2027, 0, 15, 21, 15); // 16:15 New York, winter time
const runsOf = async (job: string) => (await jobRunStore(db).recent()).filter((r) => r.job === job);

beforeEach(resetWorld);

describe("job faults", () => {
  it("makes one set of recommendations when the scan's cron fires twice at the same moment", async () => {
    await Promise.all([fire("scan", SCAN_SLOT), fire("scan", SCAN_SLOT)]);

    expect(await recommendationMessages()).toHaveLength(SANDBOX_WATCHLIST.length);
    expect(await db.query.recommendations.findMany()).toHaveLength(SANDBOX_WATCHLIST.length);
    expect((await runsOf("scan")).map((r) => r.outcome)).toEqual(["ran"]);
  });

  it("posts the end-of-day summary exactly once when the first run crashes after writing the day and the next run finishes it", async () => {
    const { message, approve } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id);
    // Every try of the summary post fails: the run dies after writing the day's row.
    await discordSim.setFaults([{ status: 500, count: 3 }]);
    await fire("eod", EOD_SLOT);

    expect((await runsOf("eod")).map((r) => r.outcome)).toEqual(["failed"]);
    const [day] = await performanceStore(db).recentDays(1);
    expect(day).toMatchObject({ tradesOpened: 1, summaryMessageId: null });
    expect((await channelTexts()).filter((t) => t.includes("eod job failed"))).toHaveLength(1);

    await fire("eod", EOD_SLOT);

    expect((await channelTexts()).filter((t) => t.includes("End of day"))).toHaveLength(1);
    expect((await runsOf("eod")).map((r) => r.outcome)).toEqual(["ran"]);
    expect((await performanceStore(db).recentDays(1))[0]?.summaryMessageId).not.toBeNull();
    const reflections = (await performanceStore(db).recentPlaybook(10)).filter((p) => p.kind === "reflection");
    expect(reflections).toHaveLength(1);
  });

  it("falls back to the rule-based analyst, naming why, when Claude answers invalid JSON or 500 during a scan", async () => {
    const claude = createAnthropicSim(
      { kind: "text", text: "Sure! Here is my thesis: {oops" },
      { kind: "error", status: 500 },
    );
    const worker = createWorker("sandbox", async (e) => ({ ...(await sandboxWorld(e)), anthropic: claude.fetch }));
    const entry = SCHEDULE.find((s) => s.job === "scan");
    if (!entry) throw new Error("no scan cron");
    // The deployer's secret, as `wrangler secret put ANTHROPIC_API_KEY` would set it, on the paid
    // plan's subrequest budget (on the free plan's 50, four symbols leave room for two Claude calls).
    const withKey = { ...env, ANTHROPIC_API_KEY: "sk-ant-reliability-test", SUBREQUEST_BUDGET: "1000" };
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: entry.cron, scheduledTime: SCAN_SLOT }), withKey, ctx);
    await waitOnExecutionContext(ctx);

    expect(claude.requests.length).toBeGreaterThanOrEqual(SANDBOX_WATCHLIST.length);
    const authors = (await recommendationMessages()).map((m) => thesisAuthor(embedOf(m)));
    expect(authors).toHaveLength(SANDBOX_WATCHLIST.length);
    expect(authors).toContain("Rule-based analyst (Claude unavailable: invalid answer)");
    expect(authors).toContain("Rule-based analyst (Claude unavailable: Anthropic error 500)");
    expect((await runsOf("scan")).map((r) => r.outcome)).toEqual(["ran"]);
  });
});

function thesisAuthor(embed: APIEmbed): string | undefined {
  return embed.fields
    ?.find((f) => f.name.startsWith("Thesis"))
    ?.name.replace(/^Thesis — /, "")
    .replace(/ · confidence.*$/, "");
}
