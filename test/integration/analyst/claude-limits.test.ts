// Claude's limits as they look on a real account's first day: spend caps named as such and never
// retried, a `retry-after` waited only when short, no second try after a timeout, a caller's
// deadline that stops everything, and each model asked in a way that leaves room for its answer.
// Deterministic: the retry wait is an injected recorder, the deadline an AbortController this
// file aborts, and a hanging call is a simulator reply that never comes.
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KNOWN_MODELS } from "../../../src/analyst/models";
import { type AnalystDeps, createAnalyst } from "../../../src/analyst/with-fallback";
import { usageLedger } from "../../../src/store/analyst-usage";
import { KV_KEYS, kvState } from "../../../src/store/kv-state";
import { type AnthropicReply, createAnthropicSim } from "../../support/anthropic-sim";
import { anIdea } from "./idea";

const NOW = Date.UTC(2027, 0, 15, 15, 0);
const rules = (reason: string) => `Rule-based analyst (Claude unavailable: ${reason})`;

function setup(replies: AnthropicReply[], overrides: Partial<AnalystDeps> = {}) {
  const sim = createAnthropicSim(...replies);
  const waits: number[] = [];
  const analyst = createAnalyst({
    settings: { apiKey: "sk-ant-test", model: "claude-sonnet-5-5", dailyBudgetUsd: 5, timeoutMs: 60_000 },
    fetch: sim.fetch,
    usage: usageLedger(env.DB),
    rateLimit: kvState(env.STATE),
    now: () => NOW,
    requestsPerMinute: 1_000,
    maxRetries: 3,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  return { sim, analyst, waits };
}

beforeAll(() => import("../../../src/analyst/anthropic-sdk"));

beforeEach(async () => {
  await env.DB.exec("DELETE FROM analyst_usage");
  await env.STATE.delete(KV_KEYS.claudeRateLimit);
});

describe("spend limits", () => {
  it("names the monthly spend cap's 429 as such and does not retry it (every retry fails until next month)", async () => {
    const { sim, analyst, waits } = setup([{ kind: "spend_cap" }, { kind: "answer" }]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe(rules("Anthropic monthly spend cap reached (429)"));
    expect(sim.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("names a spend limit set in the Console (Anthropic answers it with a 400)", async () => {
    const { sim, analyst } = setup([{ kind: "own_spend_limit" }, { kind: "answer" }]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe(rules("Anthropic spend limit set in the Console reached (400)"));
    expect(sim.requests).toHaveLength(1);
  });

  it("names a billing problem (402) and does not retry it", async () => {
    const { sim, analyst } = setup([{ kind: "error", status: 402 }, { kind: "answer" }]);
    expect((await analyst.analyse(anIdea(), [])).author).toBe(rules("Anthropic billing problem (402)"));
    expect(sim.requests).toHaveLength(1);
  });
});

describe("retries", () => {
  it("waits a short retry-after (in seconds, as Anthropic sends it) and retries once", async () => {
    const { sim, analyst, waits } = setup([{ kind: "error", status: 429, retryAfterSeconds: 2 }, { kind: "answer" }]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.kind).toBe("llm");
    expect(waits).toEqual([2_000]);
    expect(sim.requests).toHaveLength(2);
  });

  it("does not wait a long retry-after: the rules answer at once, saying when Claude would be back", async () => {
    const { sim, analyst, waits } = setup([{ kind: "error", status: 429, retryAfterSeconds: 30 }, { kind: "answer" }]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe(rules("Anthropic rate limit (429), retry in 30 s"));
    expect(waits).toEqual([]);
    expect(sim.requests).toHaveLength(1);
  });

  it("never retries a timeout (a second wait is what made one call take 30 s)", async () => {
    const settings = { apiKey: "sk-ant-test", model: "claude-sonnet-5-5", dailyBudgetUsd: 5, timeoutMs: 20 };
    const { sim, analyst } = setup([{ kind: "slow" }, { kind: "answer" }], { settings });
    expect((await analyst.analyse(anIdea(), [])).author).toBe(rules("timeout"));
    expect(sim.requests).toHaveLength(1);
  });

  it("stops at maxRetries when the overload persists", async () => {
    const { sim, analyst, waits } = setup([{ kind: "error", status: 529 }], { maxRetries: 2 });
    expect((await analyst.analyse(anIdea(), [])).author).toBe(rules("Anthropic overloaded (529)"));
    expect(sim.requests).toHaveLength(3);
    expect(waits).toEqual([500, 500]);
  });
});

describe("the caller's deadline", () => {
  it("answers with the rules the moment the deadline passes, while Claude's call still hangs", async () => {
    const deadline = new AbortController();
    const sim = createAnthropicSim({ kind: "slow" });
    let sent = 0;
    const { analyst } = setup([], {
      fetch: (input, init) => {
        sent += 1;
        const pending = sim.fetch(input, init);
        deadline.abort(); // the deadline passes while the request is in flight
        return pending;
      },
    });
    const thesis = await analyst.analyse(anIdea(), [], { signal: deadline.signal });
    expect(thesis.author).toBe(rules("out of time for this scan"));
    expect(sent).toBe(1);
  });

  it("stops waiting for a retry when the deadline passes during the wait", async () => {
    const deadline = new AbortController();
    const { sim, analyst } = setup([{ kind: "error", status: 529, retryAfterSeconds: 1 }, { kind: "answer" }], {
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
          deadline.abort();
        }),
    });
    const thesis = await analyst.analyse(anIdea(), [], { signal: deadline.signal });
    expect(thesis.author).toBe(rules("out of time for this scan"));
    expect(sim.requests).toHaveLength(1);
  });

  it("does not call Anthropic at all once the deadline has passed", async () => {
    const { sim, analyst } = setup([{ kind: "answer" }]);
    const thesis = await analyst.analyse(anIdea(), [], { signal: AbortSignal.abort() });
    expect(thesis.author).toBe(rules("out of time for this scan"));
    expect(sim.requests).toHaveLength(0);
  });
});

describe("every model the price table knows", () => {
  it.each(KNOWN_MODELS)("%s is asked so that the simulated API accepts it and the answer fits", async (model) => {
    const settings = { apiKey: "sk-ant-test", model, dailyBudgetUsd: 5, timeoutMs: 60_000 };
    const { sim, analyst } = setup([{ kind: "answer" }], { settings });
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author, JSON.stringify(sim.requests.at(-1)?.body.thinking)).toBe(`Claude (${model})`);
  });

  it("gives a model whose thinking cannot be turned off low effort and room to think", async () => {
    const settings = { apiKey: "sk-ant-test", model: "claude-opus-5-5", dailyBudgetUsd: 5, timeoutMs: 60_000 };
    const { sim, analyst } = setup([{ kind: "answer" }], { settings });
    expect((await analyst.analyse(anIdea(), [])).kind).toBe("llm");
    const body = sim.requests[0]?.body;
    expect(body?.output_config?.effort).toBe("low");
    expect(body?.max_tokens).toBe(3_700);
    expect(body?.thinking).toBeUndefined();
  });

  it("names a model Anthropic does not know (404), e.g. a retired one", async () => {
    const settings = {
      apiKey: "sk-ant-test",
      model: "claude-3-5-sonnet-20241022",
      dailyBudgetUsd: 5,
      timeoutMs: 60_000,
    };
    const { sim, analyst } = setup([{ kind: "answer" }], { settings });
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe(rules("model claude-3-5-sonnet-20241022 not found at Anthropic (404)"));
    expect(sim.requests).toHaveLength(1);
  });
});
