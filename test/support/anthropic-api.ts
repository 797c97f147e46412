// What the real Messages API checks before it answers, so the simulator refuses what Anthropic
// would refuse (a simulator that accepts anything agrees with every mistake of the adapter).
// Read on 2026-11-30 from Anthropic's pages, independently of src/analyst/models.ts:
//   versions   https://platform.claude.com/docs/en/api/versioning (the header is required;
//              2026-10-21 removes temperature, top_p and top_k: sending one is a 400)
//   errors     https://platform.claude.com/docs/en/api/errors ({type:"error", error:{type,
//              message, details?}, request_id}; 404 not_found_error; 429 rate_limit_error)
//   rate limits https://platform.claude.com/docs/en/api/rate-limits (the monthly spend cap's 429
//              with details.error_code enforced_spend_limit_reached and no retry-after)
//   models     https://platform.claude.com/docs/en/about-claude/models/overview and each model's
//              "what's new" page (thinking types, sampling parameters, prefill, effort)
//   thinking   https://platform.claude.com/docs/en/build-with-claude/thinking-troubleshooting
//              ("Only Claude Sonnet 5.5 accepts between_tools, and it takes it in place of
//              disabled"; budget_tokens is a 400 from Claude 4.7 on; always-on models refuse
//              disabled)
//   structured https://platform.claude.com/docs/en/build-with-claude/structured-outputs
//              (output_config.format = {type: "json_schema", schema}; objects closed with
//              additionalProperties: false; no numeric or length constraints)
// Messages are close to the API's own but their wording is not a contract: Anthropic says not
// to match on them, and the adapter does not.

export const API_VERSIONS = ["2023-06-01", "2026-10-21"] as const;

type ThinkingType = "adaptive" | "enabled" | "disabled" | "between_tools";

interface SimModel {
  /** thinking.type values the model accepts; any other is a 400. */
  thinking: readonly ThinkingType[];
  /** Thinks unless told not to, spending output tokens (and max_tokens) on it. */
  thinksByDefault: boolean;
  /** Accepts non-default temperature, top_p, top_k (under API version 2023-06-01). */
  sampling: boolean;
  /** Accepts output_config.effort. */
  effort: boolean;
  /** Accepts a final assistant turn (prefill). */
  prefill: boolean;
}

const ALWAYS_ON: SimModel = {
  thinking: ["adaptive"],
  thinksByDefault: true,
  sampling: false,
  effort: true,
  prefill: false,
};
const CLAUDE_5: SimModel = {
  thinking: ["adaptive", "disabled"],
  thinksByDefault: true,
  sampling: false,
  effort: true,
  prefill: false,
};
const OPUS_47: SimModel = { ...CLAUDE_5, thinksByDefault: false };
const CLAUDE_46: SimModel = {
  thinking: ["adaptive", "enabled", "disabled"],
  thinksByDefault: false,
  sampling: true,
  effort: true,
  prefill: false,
};
const CLAUDE_45: SimModel = {
  thinking: ["enabled", "disabled"],
  thinksByDefault: false,
  sampling: true,
  effort: false,
  prefill: true,
};

/** Model ids the API answers today. A retired or misspelt id is a 404. */
export const SIM_MODELS: Record<string, SimModel> = {
  "claude-fable-5-2": ALWAYS_ON,
  "claude-mythos-5-2": ALWAYS_ON,
  "claude-fable-5-1": ALWAYS_ON,
  "claude-mythos-5-1": ALWAYS_ON,
  "claude-fable-5": ALWAYS_ON,
  "claude-mythos-5": ALWAYS_ON,
  "claude-opus-5-5": ALWAYS_ON,
  "claude-sonnet-5-5": { ...CLAUDE_5, thinking: ["adaptive", "between_tools"] },
  "claude-haiku-5-5": CLAUDE_5,
  "claude-opus-5": CLAUDE_5,
  "claude-sonnet-5": CLAUDE_5,
  "claude-opus-4-8": OPUS_47,
  "claude-opus-4-7": OPUS_47,
  "claude-opus-4-6": CLAUDE_46,
  "claude-sonnet-4-6": CLAUDE_46,
  "claude-opus-4-5": { ...CLAUDE_45, effort: true },
  "claude-opus-4-5-20251101": { ...CLAUDE_45, effort: true },
  "claude-sonnet-4-5": CLAUDE_45,
  "claude-sonnet-4-5-20250929": CLAUDE_45,
  "claude-haiku-4-5": CLAUDE_45,
  "claude-haiku-4-5-20251001": CLAUDE_45,
};

const TOP_LEVEL = new Set([
  "model",
  "messages",
  "max_tokens",
  "system",
  "metadata",
  "stop_sequences",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "tools",
  "tool_choice",
  "thinking",
  "output_config",
  "output_format", // the structured-outputs beta's name, accepted during its transition
  "service_tier",
  "container",
  "mcp_servers",
  "context_management",
]);
const SAMPLING = ["temperature", "top_p", "top_k"] as const;
const CONSTRAINTS = [
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "maxItems",
];

export interface ApiRefusal {
  status: number;
  type: string;
  message: string;
}

const invalid = (message: string): ApiRefusal => ({ status: 400, type: "invalid_request_error", message });

/** The API version the request asked for, or why it is refused. */
export function checkVersion(header: string | null): ApiRefusal | null {
  if (header === null) return invalid("anthropic-version: header is required");
  if (!(API_VERSIONS as readonly string[]).includes(header))
    return invalid(`anthropic-version: invalid version "${header}"; use one of ${API_VERSIONS.join(", ")}`);
  return null;
}

/** The refusal the real API would send for this body, or null when it would answer. */
export function checkBody(body: Record<string, unknown>, version: string): ApiRefusal | null {
  for (const key of Object.keys(body))
    if (!TOP_LEVEL.has(key)) return invalid(`${key}: Extra inputs are not permitted`);
  if (typeof body.model !== "string") return invalid("model: Field required");
  if (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens) || body.max_tokens < 1)
    return invalid("max_tokens: Field required (a positive integer)");
  if (!Array.isArray(body.messages) || body.messages.length === 0) return invalid("messages: Field required");
  const model = SIM_MODELS[body.model];
  if (!model) return { status: 404, type: "not_found_error", message: `model: ${body.model}` };

  for (const key of SAMPLING) {
    if (!(key in body)) continue;
    if (version === "2026-10-21") return invalid(`${key}: this parameter was removed in API version 2026-10-21`);
    const nonDefault = key !== "temperature" || body[key] !== 1;
    if (!model.sampling && nonDefault)
      return invalid(`${key}: non-default sampling parameters are not supported for this model`);
  }
  const thinking = body.thinking as { type?: string; budget_tokens?: number } | undefined;
  if (thinking !== undefined) {
    if (!model.thinking.includes(thinking.type as ThinkingType))
      return invalid(`thinking.type: "${String(thinking.type)}" is not supported for this model`);
    if (thinking.type === "enabled" && !(typeof thinking.budget_tokens === "number" && thinking.budget_tokens >= 1024))
      return invalid("thinking.budget_tokens: must be at least 1024");
  }
  const last = (body.messages as { role?: string }[]).at(-1);
  if (last?.role === "assistant" && !model.prefill)
    return invalid(
      "This model does not support assistant message prefill. The conversation must end with a user message.",
    );
  return checkOutputConfig(body.output_config, model);
}

function checkOutputConfig(config: unknown, model: SimModel): ApiRefusal | null {
  if (config === undefined) return null;
  const { format, effort, ...rest } = config as { format?: unknown; effort?: unknown };
  const extra = Object.keys(rest)[0];
  if (extra) return invalid(`output_config.${extra}: Extra inputs are not permitted`);
  if (effort !== undefined) {
    if (!model.effort) return invalid("output_config.effort: effort is not supported for this model");
    if (!["low", "medium", "high", "xhigh", "max"].includes(String(effort)))
      return invalid(`output_config.effort: unknown level "${String(effort)}"`);
  }
  if (format === undefined || format === null) return null;
  const { type, schema } = format as { type?: unknown; schema?: unknown };
  if (type !== "json_schema") return invalid('output_config.format.type: must be "json_schema"');
  if (typeof schema !== "object" || schema === null) return invalid("output_config.format.schema: Field required");
  const problem = schemaProblem(schema as Record<string, unknown>, "schema");
  return problem ? invalid(`output_config.format.${problem}`) : null;
}

/** Structured outputs take a subset of JSON Schema: closed objects, no numeric or length limits. */
function schemaProblem(node: Record<string, unknown>, path: string): string | null {
  for (const key of CONSTRAINTS) if (key in node) return `${path}: "${key}" is not supported`;
  if (typeof node.minItems === "number" && node.minItems > 1) return `${path}: minItems above 1 is not supported`;
  if (node.type === "object" && node.additionalProperties !== false)
    return `${path}: objects must set additionalProperties to false`;
  const children: [string, unknown][] = [
    ...Object.entries((node.properties as Record<string, unknown>) ?? {}).map(([k, v]): [string, unknown] => [
      `${path}.properties.${k}`,
      v,
    ]),
    ...Object.entries((node.$defs as Record<string, unknown>) ?? {}).map(([k, v]): [string, unknown] => [
      `${path}.$defs.${k}`,
      v,
    ]),
    [`${path}.items`, node.items],
    ...["anyOf", "allOf"].flatMap((k) =>
      Array.isArray(node[k]) ? (node[k] as unknown[]).map((v, i): [string, unknown] => [`${path}.${k}[${i}]`, v]) : [],
    ),
  ];
  for (const [childPath, child] of children)
    if (typeof child === "object" && child !== null) {
      const problem = schemaProblem(child as Record<string, unknown>, childPath);
      if (problem) return problem;
    }
  return null;
}

/** Output tokens the model spends thinking before it answers: none when thinking is off. */
export function thinkingTokens(body: Record<string, unknown>): number {
  const model = SIM_MODELS[String(body.model)];
  const type = (body.thinking as { type?: string } | undefined)?.type;
  const thinks = type === "adaptive" || type === "enabled" || (type === undefined && model?.thinksByDefault === true);
  if (!thinks) return 0;
  const effort = (body.output_config as { effort?: string } | undefined)?.effort;
  return effort === "low" ? 400 : 2_000;
}
