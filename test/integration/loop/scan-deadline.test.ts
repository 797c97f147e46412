// An interactive /scan runs in waitUntil, which the platform cuts 30 s after the reply: Claude is
// asked for every idea at once, and when the analysis deadline passes the rule-based analyst
// writes whatever Claude has not, so the run still stores, posts and finishes. The deadline here
// is an AbortController the test aborts at a known point, never a clock.
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { JobAnalyst } from "../../../src/analyst/port";
import { type App, createApp } from "../../../src/app";
import { runJobNow } from "../../../src/jobs/run-job";
import { sandboxWorld } from "../../../src/sandbox/outside";
import { database } from "../../../src/store/db";
import { type AnthropicSim, createAnthropicSim } from "../../support/anthropic-sim";
import { resetWorld, SANDBOX_WATCHLIST } from "../../support/sandbox-driver";

const OUT_OF_TIME = "Rule-based analyst (Claude unavailable: out of time for this scan)";

// The paid plan's subrequest budget: on the free plan's 50 the budget, not the deadline, would
// decide who writes (scan-budget.test.ts covers that).
async function appWithClaude(anthropic: typeof fetch): Promise<App> {
  return createApp({ ...env, ANTHROPIC_API_KEY: "sk-ant-scan-deadline", SUBREQUEST_BUDGET: "1000" } as Env, {
    ...(await sandboxWorld(env)),
    anthropic,
  });
}

async function authorsBySymbol(): Promise<Record<string, string>> {
  const rows = await database(env.DB).query.recommendations.findMany();
  return Object.fromEntries(rows.map((r) => [r.symbol, r.analyst]));
}

const askedFor = (sim: AnthropicSim) =>
  sim.requests.map((r) => /"symbol": "([A-Z]+)"/.exec(r.body.messages?.[0]?.content ?? "")?.[1]).sort();

beforeAll(() => import("../../../src/analyst/anthropic-sdk"));
beforeEach(resetWorld);

describe("interactive scan deadline", () => {
  it("asks Claude for every idea at once, and at the deadline the rules write them all", async () => {
    const sim = createAnthropicSim({ kind: "slow" });
    const deadline = new AbortController();
    let inFlight = 0;
    const app = await appWithClaude((input, init) => {
      // Only calls made together can all be in flight: one at a time, the second would never start.
      inFlight += 1;
      if (inFlight === SANDBOX_WATCHLIST.length) deadline.abort();
      return sim.fetch(input, init);
    });
    // A guard for a regression to one-at-a-time calls, so the test fails instead of hanging: well
    // past any machine's scan time and short of the project's 120 s hang budget.
    const guard = AbortSignal.any([deadline.signal, AbortSignal.timeout(100_000)]);

    const result = await runJobNow(app, "scan", "manual:all-at-once", app.clock.now(), { analysisDeadline: guard });

    expect(inFlight).toBe(SANDBOX_WATCHLIST.length);
    expect(result.outcome).toBe("ran");
    expect(await authorsBySymbol()).toEqual(Object.fromEntries(SANDBOX_WATCHLIST.map((s) => [s, OUT_OF_TIME])));
    const summary = result.outcome === "ran" ? result.summary : {};
    expect((summary.posted as unknown[]).length).toBe(SANDBOX_WATCHLIST.length);
  });

  it("keeps the theses Claude wrote in time and lets the rules write the rest", async () => {
    const sim = createAnthropicSim();
    sim.replyBy((body) =>
      body.messages?.[0]?.content.includes('"symbol": "SPY"') ? { kind: "answer" } : { kind: "slow" },
    );
    const deadline = new AbortController();
    const base = await appWithClaude(sim.fetch);
    const claude = base.analyst;
    // The deadline passes right after Claude's SPY thesis is in, while the other symbols' calls hang.
    const analyst: JobAnalyst = {
      byRules: (idea, reason) => claude.byRules(idea, reason),
      async analyse(idea, playbook, options) {
        const thesis = await claude.analyse(idea, playbook, options);
        if (idea.symbol === "SPY") deadline.abort();
        return thesis;
      },
      reflect: (day) => claude.reflect(day),
      review: (trade) => claude.review(trade),
    };
    const app: App = { ...base, analyst };

    const result = await runJobNow(app, "scan", "manual:partly-in-time", app.clock.now(), {
      analysisDeadline: deadline.signal,
    });

    expect(result.outcome).toBe("ran");
    expect(askedFor(sim)).toEqual([...SANDBOX_WATCHLIST].sort());
    expect(await authorsBySymbol()).toEqual({
      ...Object.fromEntries(SANDBOX_WATCHLIST.map((s) => [s, OUT_OF_TIME])),
      SPY: "Claude (claude-sonnet-5-5)",
    });
  });
});
