// The Anthropic simulator refuses what the real API refuses, with the real error shape, so an
// adapter that sends a wrong header, model or parameter fails a test instead of a first deploy.
// Sources are in test/support/anthropic-api.ts.
import { describe, expect, it } from "vitest";
import { createAnthropicSim } from "../../support/anthropic-sim";

const URL = "https://api.anthropic.com/v1/messages";
const SCHEMA = {
  type: "object",
  properties: { thesis: { type: "string" } },
  required: ["thesis"],
  additionalProperties: false,
};

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: "claude-sonnet-5-5",
    max_tokens: 700,
    messages: [{ role: "user", content: "Explain the idea." }],
    thinking: { type: "between_tools" },
    output_config: { format: { type: "json_schema", schema: SCHEMA } },
    ...overrides,
  };
}

async function post(payload: Record<string, unknown>, version: string | null = "2026-10-21") {
  const sim = createAnthropicSim({ kind: "answer", answer: { thesis: "ok" } });
  const headers: Record<string, string> = { "content-type": "application/json", "x-api-key": "sk-ant-test" };
  if (version !== null) headers["anthropic-version"] = version;
  const response = await sim.fetch(URL, { method: "POST", headers, body: JSON.stringify(payload) });
  return { response, json: await response.json<Record<string, unknown>>() };
}

/** The error envelope every API error has: type "error", error {type, message}, request_id. */
function expectRefusal(json: Record<string, unknown>, type: string, message: RegExp) {
  expect(json).toMatchObject({ type: "error", error: { type }, request_id: expect.stringMatching(/^req_/) });
  expect((json.error as { message: string }).message).toMatch(message);
}

describe("the simulated Messages API refuses what the real one refuses", () => {
  it("answers a well-formed request with a message", async () => {
    const { response, json } = await post(body());
    expect(response.status).toBe(200);
    expect(json).toMatchObject({ type: "message", stop_reason: "end_turn", content: [{ type: "text" }] });
  });

  it("refuses a request without the anthropic-version header (400)", async () => {
    const { response, json } = await post(body(), null);
    expect(response.status).toBe(400);
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    expectRefusal(json, "invalid_request_error", /anthropic-version/);
  });

  it("refuses an API version that does not exist (400)", async () => {
    const { response, json } = await post(body(), "2024-01-01");
    expect(response.status).toBe(400);
    expectRefusal(json, "invalid_request_error", /anthropic-version/);
  });

  it("answers an unknown or retired model with 404 not_found_error naming it", async () => {
    for (const model of ["claude-sonnet-9", "claude-3-5-sonnet-20241022", "claude-sonnet-4-20250514"]) {
      const { response, json } = await post(body({ model }));
      expect(response.status).toBe(404);
      expectRefusal(json, "not_found_error", new RegExp(`model: ${model}`));
    }
  });

  it("refuses temperature, top_p and top_k under API version 2026-10-21 (removed)", async () => {
    for (const param of ["temperature", "top_p", "top_k"]) {
      const { response, json } = await post(body({ [param]: 0.5 }));
      expect(response.status).toBe(400);
      expectRefusal(json, "invalid_request_error", new RegExp(param));
    }
  });

  it("under 2023-06-01, refuses a non-default temperature on a Claude 5 model but not on Sonnet 4.6", async () => {
    expect((await post(body({ temperature: 0.2 }), "2023-06-01")).response.status).toBe(400);
    const legacy = body({ model: "claude-sonnet-4-6", temperature: 0.2, thinking: { type: "disabled" } });
    expect((await post(legacy, "2023-06-01")).response.status).toBe(200);
  });

  it("refuses thinking settings the model does not take", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ["claude-sonnet-5-5", { type: "disabled" }], // Sonnet 5.5 takes between_tools instead
      ["claude-opus-5-5", { type: "disabled" }], // always on
      ["claude-opus-5-5", { type: "enabled", budget_tokens: 2048 }], // manual budgets are gone from 4.7 on
      ["claude-sonnet-4-6", { type: "between_tools" }], // only Sonnet 5.5 knows it
    ];
    for (const [model, thinking] of cases) {
      const { response, json } = await post(body({ model, thinking }));
      expect(response.status, `${model} ${JSON.stringify(thinking)}`).toBe(400);
      expectRefusal(json, "invalid_request_error", /thinking/);
    }
  });

  it("refuses effort on Haiku 4.5, which does not support it", async () => {
    const request = body({ model: "claude-haiku-4-5", thinking: undefined });
    request.output_config = { format: { type: "json_schema", schema: SCHEMA }, effort: "low" };
    const { response, json } = await post(request);
    expect(response.status).toBe(400);
    expectRefusal(json, "invalid_request_error", /effort/);
  });

  it("refuses a parameter the API does not have (Extra inputs are not permitted)", async () => {
    const { response, json } = await post(body({ response_format: { type: "json" } }));
    expect(response.status).toBe(400);
    expectRefusal(json, "invalid_request_error", /response_format: Extra inputs are not permitted/);
  });

  it("checks output_config.format: json_schema, closed objects, no length or numeric limits", async () => {
    const bad = [
      { type: "json", schema: SCHEMA },
      { type: "json_schema", schema: { ...SCHEMA, additionalProperties: true } },
      { type: "json_schema", schema: { ...SCHEMA, properties: { thesis: { type: "string", maxLength: 600 } } } },
      { type: "json_schema", schema: { ...SCHEMA, properties: { c: { type: "number", minimum: 0 } } } },
    ];
    for (const format of bad) {
      const { response, json } = await post(body({ output_config: { format } }));
      expect(response.status, JSON.stringify(format)).toBe(400);
      expectRefusal(json, "invalid_request_error", /output_config/);
    }
  });

  it("refuses an assistant prefill on models from 4.6 on", async () => {
    const messages = [
      { role: "user", content: "Explain." },
      { role: "assistant", content: "{" },
    ];
    expect((await post(body({ messages }))).response.status).toBe(400);
  });

  it("lets a thinking model spend max_tokens on thinking: 700 tokens without thinking off cut the answer", async () => {
    const { response, json } = await post(body({ thinking: undefined }));
    expect(response.status).toBe(200);
    expect(json).toMatchObject({ stop_reason: "max_tokens", content: [{ type: "thinking" }] });
  });
});

describe("the simulated API's limits look like the real ones", () => {
  it("sends retry-after in whole seconds with a 429 rate_limit_error", async () => {
    const sim = createAnthropicSim({ kind: "error", status: 429, retryAfterSeconds: 7 });
    const response = await sim.fetch(URL, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2026-10-21", "content-type": "application/json" },
      body: JSON.stringify(body()),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(response.headers.get("retry-after-ms")).toBeNull();
    expectRefusal(await response.json(), "rate_limit_error", /./);
  });

  it("answers the monthly spend cap with a 429 that has an error code and no retry-after", async () => {
    const sim = createAnthropicSim({ kind: "spend_cap" });
    const response = await sim.fetch(URL, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2026-10-21", "content-type": "application/json" },
      body: JSON.stringify(body()),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBeNull();
    const json = await response.json<Record<string, unknown>>();
    expectRefusal(json, "rate_limit_error", /monthly API usage threshold/);
    expect(json.error).toMatchObject({ details: { error_code: "enforced_spend_limit_reached" } });
  });
});
