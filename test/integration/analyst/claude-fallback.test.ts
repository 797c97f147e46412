// The analyst the jobs use, with Anthropic simulated at its HTTP edge behind the real SDK, and
// the budget and rate limit kept in the real local D1 and KV.
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { analystUsage } from "../../../drizzle/schema";
import { RATE_LIMIT_KEY } from "../../../src/analyst/rate-limit";
import { type AnalystDeps, createAnalyst } from "../../../src/analyst/with-fallback";
import { usageLedger } from "../../../src/store/analyst-usage";
import { type AnthropicReply, createAnthropicSim, SIM_REFLECTION, SIM_THESIS } from "../../support/anthropic-sim";
import { anIdea } from "./idea";

const API_KEY = "sk-ant-test-key-never-logged";
const MODEL = "claude-sonnet-4-6";
const NOW = Date.UTC(2027, 0, 15, 15, 0); // 10:00 New York, trading day 2027-01-15
const DAY = "2027-01-15";

function setup(replies: AnthropicReply[] = [], overrides: Partial<AnalystDeps> = {}) {
  const sim = createAnthropicSim(...replies);
  const analyst = createAnalyst({
    settings: { apiKey: API_KEY, model: MODEL, dailyBudgetUsd: 1, timeoutMs: 1000 },
    fetch: sim.fetch,
    usage: usageLedger(env.DB),
    kv: env.STATE,
    now: () => NOW,
    maxRetries: 0,
    ...overrides,
  });
  return { sim, analyst };
}

async function usageRows() {
  return drizzle(env.DB).select().from(analystUsage);
}

beforeEach(async () => {
  await env.DB.exec("DELETE FROM analyst_usage");
  await env.STATE.delete(RATE_LIMIT_KEY);
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
    expect(await usageRows()).toEqual([
      // Sonnet: 1000 × $3/M in + 200 × $15/M out = $0.006
      { tradingDay: DAY, model: MODEL, requests: 1, inputTokens: 1000, outputTokens: 200, costUsd: 0.006 },
    ]);
    await analyst.analyse(anIdea({ symbol: "QQQ" }), []);
    const [row] = await usageRows();
    expect(row).toMatchObject({ requests: 2, inputTokens: 2000, outputTokens: 400 });
    expect(row?.costUsd).toBeCloseTo(0.012, 10);
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
    const { analyst } = setup([{ kind: "error", status: 429, retryAfterMs: 5 }]);
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: Anthropic rate limit (429))");
  });

  it("retries an overloaded 529 once and uses Claude's answer when the retry succeeds", async () => {
    const { sim, analyst } = setup([{ kind: "error", status: 529, retryAfterMs: 5 }, { kind: "answer" }], {
      maxRetries: 1,
    });
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe(`Claude (${MODEL})`);
    expect(sim.requests).toHaveLength(2);
  });

  it("falls back to rules when 529 overloaded persists", async () => {
    const { analyst } = setup([{ kind: "error", status: 529, retryAfterMs: 5 }], { maxRetries: 1 });
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst (Claude unavailable: Anthropic overloaded (529))");
  });

  it("falls back to rules on a timeout", async () => {
    const { analyst } = setup([{ kind: "slow" }]);
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
      settings: { apiKey: undefined, model: MODEL, dailyBudgetUsd: 1, timeoutMs: 1000 },
    });
    const thesis = await analyst.analyse(anIdea(), []);
    expect(thesis.author).toBe("Rule-based analyst");
    expect(thesis.kind).toBe("rules");
    expect(sim.requests).toHaveLength(0);
  });
});
