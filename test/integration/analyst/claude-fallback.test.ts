// The analyst the jobs use, with Anthropic simulated at its HTTP edge behind the real SDK, and
// the budget and rate limit kept in the real local D1 and KV. No test waits on a clock: waits
// before a retry go through an injected sleep that records them, and a call that must time out
// meets a simulator that never answers.
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { analystUsage } from "../../../drizzle/schema";
import { DEFAULT_MODEL } from "../../../src/analyst/models";
import { type AnalystDeps, createAnalyst } from "../../../src/analyst/with-fallback";
import { usageLedger } from "../../../src/store/analyst-usage";
import { KV_KEYS, kvState } from "../../../src/store/kv-state";
import { type AnthropicReply, createAnthropicSim, SIM_REFLECTION, SIM_THESIS } from "../../support/anthropic-sim";
import { anIdea } from "./idea";

const API_KEY = "sk-ant-test-key-never-logged";
const MODEL = DEFAULT_MODEL;
const NOW = Date.UTC(2027, 0, 15, 15, 0); // 10:00 New York, trading day 2027-01-15
const DAY = "2027-01-15";

/** Long enough never to fire on a busy machine; the timeout test sets its own. */
const NO_TIMEOUT_MS = 60_000;

function setup(replies: AnthropicReply[] = [], overrides: Partial<AnalystDeps> = {}) {
  const sim = createAnthropicSim(...replies);
  const waits: number[] = [];
  const analyst = createAnalyst({
    settings: { apiKey: API_KEY, model: MODEL, dailyBudgetUsd: 1, timeoutMs: NO_TIMEOUT_MS },
    fetch: sim.fetch,
    usage: usageLedger(env.DB),
    rateLimit: kvState(env.STATE),
    now: () => NOW,
    maxRetries: 0,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  return { sim, analyst, waits };
}

async function usageRows() {
  return drizzle(env.DB).select().from(analystUsage);
}

// The SDK's first load (a cold module graph) is set-up, not part of any scenario.
beforeAll(() => import("../../../src/analyst/anthropic-sdk"));

beforeEach(async () => {
  await env.DB.exec("DELETE FROM analyst_usage");
  await env.STATE.delete(KV_KEYS.claudeRateLimit);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("analyst with Claude configured", () => {
  it("returns Claude's thesis, confidence and risks, with Claude and the model as author", async () => {
    const { sim, analyst } = setup([{ kind: "answer" }]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis).toEqual({
      author: `Claude (${MODEL})`,
      kind: "llm",
      thesis: SIM_THESIS.thesis,
      confidence: SIM_THESIS.confidence,
      risks: [...SIM_THESIS.risks],
    });
    expect(sim.requests).toHaveLength(1);
  });

  it("sends the model, a JSON schema, the no-price-no-size rule, the idea and the playbook", async () => {
    const { sim, analyst } = setup();
    await analyst.analyse(anIdea(), ["2027-01-14: losses outnumbered wins", "prefer one expected move"]);
    const [request] = sim.requests;
    expect(request?.path).toBe("/v1/messages");
    expect(request?.apiKey).toBe(API_KEY);
    expect(request?.anthropicVersion).toBeTruthy();
    expect(request?.body.model).toBe(MODEL);
    // Sonnet 5.5 thinks by default and refuses "disabled": between_tools keeps all 700 tokens for the answer.
    expect(request?.body.thinking).toEqual({ type: "between_tools" });
    expect(request?.body.max_tokens).toBe(700);
    expect(request?.body.output_config?.format?.type).toBe("json_schema");
    expect(Object.keys(request?.body.output_config?.format?.schema?.properties ?? {})).toEqual([
      "thesis",
      "confidence",
      "risks",
    ]);
    expect(request?.body.system).toContain("never decide the price, the strikes or the size");
    const prompt = request?.body.messages?.[0]?.content ?? "";
    expect(prompt).toContain('"symbol": "SPY"');
    expect(prompt).toContain("- 2027-01-14: losses outnumbered wins");
    expect(prompt).toContain("- prefer one expected move");
  });

  it("records requests, tokens and cost per model and day in D1, adding up across calls", async () => {
    const { analyst } = setup();
    await analyst.analyse(anIdea(), []);
    const [first] = await usageRows();
    expect(first).toMatchObject({ tradingDay: DAY, model: MODEL, requests: 1, inputTokens: 1000, outputTokens: 200 });
    // Sonnet 5.5: 1000 × $2/M in + 200 × $10/M out = $0.004 (pricing page).
    expect(first?.costUsd).toBeCloseTo(0.004, 10);
    await analyst.analyse(anIdea({ symbol: "QQQ" }), []);
    const [row] = await usageRows();
    expect(row).toMatchObject({ requests: 2, inputTokens: 2000, outputTokens: 400 });
    expect(row?.costUsd).toBeCloseTo(0.008, 10);
  });

  it("falls back to rules, naming the reason, when the answer is not JSON (and still counts the tokens)", async () => {
    const { analyst } = setup([{ kind: "text", text: "Sure! Here is my analysis: looks good." }]);
    const thesis = await analyst.analyse(anIdea({ ivRank: null }), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: invalid answer)");
    expect(thesis.kind).toBe("rules");
    expect(thesis.thesis).toContain("IV rank unavailable");
    expect(await usageRows()).toMatchObject([{ requests: 1, inputTokens: 1000 }]);
  });

  it("falls back to rules when the JSON breaks the schema", async () => {
    const { analyst } = setup([
      { kind: "answer", answer: { thesis: "x".repeat(700), confidence: 1.4, risks: ["a", "b", "c", "d", "e", "f"] } },
    ]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: invalid answer)");
  });

  it("falls back to rules on a 500", async () => {
    const { sim, analyst } = setup([{ kind: "error", status: 500 }]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: Anthropic error 500)");
    expect(sim.requests).toHaveLength(1);
    expect(await usageRows()).toEqual([]);
  });

  it("falls back to rules on a 429 from Anthropic", async () => {
    const { analyst } = setup([{ kind: "error", status: 429, retryAfterSeconds: 1 }]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: Anthropic rate limit (429))");
  });

  it("retries an overloaded 529 once and uses Claude's answer when the retry succeeds", async () => {
    const { sim, analyst, waits } = setup([{ kind: "error", status: 529 }, { kind: "answer" }], { maxRetries: 1 });
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe(`Claude (${MODEL})`);
    expect(sim.requests).toHaveLength(2);
    expect(waits).toEqual([500]);
  });

  it("falls back to rules when 529 overloaded persists", async () => {
    const { sim, analyst } = setup([{ kind: "error", status: 529 }], { maxRetries: 1 });
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: Anthropic overloaded (529))");
    expect(sim.requests).toHaveLength(2);
  });

  it("falls back to rules on a timeout", async () => {
    const settings = { apiKey: API_KEY, model: MODEL, dailyBudgetUsd: 1, timeoutMs: 20 };
    const { analyst } = setup([{ kind: "slow" }], { settings });
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: timeout)");
    expect(thesis.kind).toBe("rules");
  });

  it("uses rules without calling Anthropic once the day's budget is spent", async () => {
    await usageLedger(env.DB).record(DAY, "claude-opus-4-1", 10_000, 10_000, 1.2);
    const { sim, analyst } = setup();
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: daily budget spent)");
    expect(sim.requests).toHaveLength(0);
  });

  it("counts only today's spend against the budget", async () => {
    await usageLedger(env.DB).record("2027-01-14", MODEL, 10_000, 10_000, 5);
    const { analyst } = setup();
    expect((await analyst.analyse(anIdea(), [])).author).toBe(`Claude (${MODEL})`);
  });

  it("uses rules without calling Anthropic past the per-minute limit", async () => {
    const { sim, analyst } = setup([], { requestsPerMinute: 1 });
    expect((await analyst.analyse(anIdea(), [])).author).toBe(`Claude (${MODEL})`);
    const second = await analyst.analyse(anIdea({ symbol: "QQQ" }), []);
    expect(second.author).toBe("Rule-based analyst (Claude unavailable: rate limited)");
    expect(sim.requests).toHaveLength(1);
  });

  it("logs one JSON line with the reason on fallback, never the key", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { analyst } = setup([{ kind: "error", status: 401 }]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: API key rejected (401))");
    const lines = warn.mock.calls.map((call) => String(call[0]));
    const line = lines.find((l) => l.includes("analyst fell back to rules"));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? "{}")).toMatchObject({ level: "warn", code: "auth", symbol: "SPY" });
    expect(lines.join("\n")).not.toContain(API_KEY);
  });

  it("reflects with Claude, and with rules when Claude fails", async () => {
    const day = { tradingDay: DAY, realizedPl: 85, tradesOpened: 1, tradesClosed: 1, wins: 1, losses: 0, notes: [] };
    const { sim, analyst } = setup([{ kind: "answer" }, { kind: "error", status: 500 }]);
    expect(await analyst.reflect(day)).toEqual({ author: `Claude (${MODEL})`, content: SIM_REFLECTION.reflection });
    const fallback = await analyst.reflect(day);
    expect(fallback.author).toBe("Rule-based analyst (Claude unavailable: Anthropic error 500)");
    expect(fallback.content).toContain("2027-01-15: realized P/L +$85.00");
    expect(sim.requests).toHaveLength(2);
  });
});

describe("analyst without an API key", () => {
  it("uses the rule-based analyst and never calls Anthropic", async () => {
    const { sim, analyst } = setup([], {
      settings: { apiKey: undefined, model: MODEL, dailyBudgetUsd: 1, timeoutMs: NO_TIMEOUT_MS },
    });
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst");
    expect(thesis.kind).toBe("rules");
    expect(sim.requests).toHaveLength(0);
  });
});
