// Anthropic at its HTTP edge: a `fetch` that answers POST /v1/messages the way the API does
// (message objects, error envelopes, status codes, `retry-after` in whole seconds), for the
// REAL SDK to call. It first refuses what the real API refuses (anthropic-api.ts: the version
// header, the model, removed parameters, output_config), then each accepted request takes the
// next scripted reply; the last one repeats. Requests are recorded so a test can assert what
// went on the wire, or that nothing did. Nothing here waits on a clock: a "slow" reply hangs
// until the caller aborts, so a test's outcome never depends on how fast the machine is.
import { checkBody, checkVersion, thinkingTokens } from "./anthropic-api";

export type AnthropicReply =
  /** A valid structured answer. Without `answer`, one that fits the schema the request asked for. */
  | { kind: "answer"; answer?: Record<string, unknown> }
  /** Any text as the model's answer: invalid JSON, or JSON that breaks the schema. */
  | { kind: "text"; text: string; stopReason?: "end_turn" | "max_tokens" | "refusal" }
  /** An API error: 429 rate limit, 500 api error, 529 overloaded, 401 bad key, 402 billing… */
  | { kind: "error"; status: 401 | 402 | 403 | 429 | 500 | 529; retryAfterSeconds?: number }
  /** The tier's monthly spend cap: a 429 rate_limit_error with an error code and no retry-after. */
  | { kind: "spend_cap" }
  /** A spend limit the organisation set itself in the Console: a 400, as the errors page says. */
  | { kind: "own_spend_limit" }
  /** Never answers: the caller's timeout or deadline has to abort it. */
  | { kind: "slow" };

export interface SimRequest {
  method: string;
  path: string;
  apiKey: string | null;
  anthropicVersion: string | null;
  body: MessagesBody;
}

export interface MessagesBody extends Record<string, unknown> {
  model?: string;
  max_tokens?: number;
  system?: string;
  messages?: Array<{ role: string; content: string }>;
  thinking?: { type: string };
  output_config?: {
    effort?: string;
    format?: { type?: string; schema?: { properties?: Record<string, unknown> } };
  };
}

export interface AnthropicSim {
  fetch: typeof fetch;
  /** Every request that reached the simulator, refused ones included. */
  requests: SimRequest[];
  /** Replaces the script of replies. */
  script(...replies: AnthropicReply[]): void;
  /** Replies by what was asked instead of in order (calls made at once arrive in any order). */
  replyBy(choose: (body: MessagesBody) => AnthropicReply): void;
}

/** Tokens of every answer (thinking, when the model thinks, comes on top of the output). */
export const SIM_USAGE = { input_tokens: 1000, output_tokens: 200 } as const;

export const SIM_THESIS = {
  thesis:
    "Premium is rich for the distance: the short strike sits beyond one expected move and the credit is a third of the width.",
  confidence: 0.72,
  risks: ["gap through the short strike", "earnings and news not checked beyond BLACKOUT_DATES"],
} as const;

export const SIM_REFLECTION = {
  reflection: "A calm day: one winner closed at target. Keep the same filters.",
} as const;

export const SIM_REVIEW = {
  reflection:
    "Opened at 38 DTE with a rich IV rank; the short strike was never tested and it closed at the profit target.",
  lesson: "SPY bull puts at high IV rank pay early: keep taking half the credit.",
} as const;

const ERROR_TYPES: Record<number, string> = {
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

export function createAnthropicSim(...initial: AnthropicReply[]): AnthropicSim {
  let replies: AnthropicReply[] = initial.length > 0 ? initial : [{ kind: "answer" }];
  const requests: SimRequest[] = [];
  let next = 0;
  let choose: ((body: MessagesBody) => AnthropicReply) | undefined;

  const simFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const parsed: unknown = await request.json().catch(() => null);
    const body = (typeof parsed === "object" && parsed !== null ? parsed : {}) as MessagesBody;
    const apiKey = credential(request.headers);
    const version = request.headers.get("anthropic-version");
    requests.push({ method: request.method, path: url.pathname, apiKey, anthropicVersion: version, body });
    if (request.method !== "POST" || url.pathname !== "/v1/messages")
      return apiError(404, "not_found_error", "Not found");
    if (!apiKey) return apiError(401, "authentication_error", "x-api-key header is required");
    const refusal = checkVersion(version) ?? (parsed === null ? badJson() : checkBody(body, version ?? ""));
    if (refusal) return apiError(refusal.status, refusal.type, refusal.message);

    const reply = choose ? choose(body) : (replies[Math.min(next, replies.length - 1)] ?? { kind: "answer" });
    next += 1;
    switch (reply.kind) {
      case "answer":
        return message(body, JSON.stringify(reply.answer ?? defaultAnswer(body)));
      case "text":
        return message(body, reply.text, reply.stopReason);
      case "error":
        return apiError(reply.status, ERROR_TYPES[reply.status] ?? "api_error", "simulated error", {
          retryAfterSeconds: reply.retryAfterSeconds,
        });
      case "spend_cap":
        return apiError(
          429,
          "rate_limit_error",
          "You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on 2027-02-01 at 00:00 UTC.",
          { details: { error_code: "enforced_spend_limit_reached" } },
        );
      case "own_spend_limit":
        return apiError(
          400,
          "invalid_request_error",
          "You have reached your specified API usage limits. You will regain access on 2027-02-01 at 00:00 UTC.",
        );
      case "slow":
        return never(init?.signal ?? request.signal);
    }
  };

  return {
    fetch: simFetch as typeof fetch,
    requests,
    script(...r) {
      replies = r;
      next = 0;
      choose = undefined;
    },
    replyBy(c) {
      choose = c;
    },
  };
}

const badJson = () => ({ status: 400, type: "invalid_request_error", message: "The request body is not valid JSON." });

/** The API takes the key as `x-api-key` or, as SDK 1.x sends it, `Authorization: Bearer`. */
function credential(headers: Headers): string | null {
  const bearer = /^Bearer (.+)$/.exec(headers.get("authorization") ?? "")?.[1];
  return headers.get("x-api-key") ?? bearer ?? null;
}

/** The answer that fits the schema in the request: a thesis, a day's reflection or a trade's review. */
function defaultAnswer(body: MessagesBody): Record<string, unknown> {
  const properties = body.output_config?.format?.schema?.properties ?? {};
  if ("lesson" in properties) return { ...SIM_REVIEW };
  return "reflection" in properties ? { ...SIM_REFLECTION } : { ...SIM_THESIS, risks: [...SIM_THESIS.risks] };
}

let sequence = 0;

/**
 * A message as the API returns it. A model that thinks spends its thinking tokens out of
 * max_tokens first (thinking text is omitted by default, only the block shows); when too few
 * are left the answer stops mid-way with stop_reason "max_tokens", as a real one would.
 */
function message(body: MessagesBody, text: string, stopReason = "end_turn"): Response {
  sequence += 1;
  const thinking = thinkingTokens(body);
  const room = (body.max_tokens ?? 0) - thinking;
  const cut = room < SIM_USAGE.output_tokens;
  const shown = cut ? text.slice(0, Math.max(0, Math.floor((text.length * room) / SIM_USAGE.output_tokens))) : text;
  const content = [
    ...(thinking > 0 ? [{ type: "thinking", thinking: "", signature: `sig_sim_${sequence}` }] : []),
    ...(shown ? [{ type: "text", text: shown }] : []),
  ];
  return Response.json(
    {
      id: `msg_sim_${sequence}`,
      type: "message",
      role: "assistant",
      model: body.model,
      content,
      stop_reason: cut ? "max_tokens" : stopReason,
      stop_sequence: null,
      usage: {
        input_tokens: SIM_USAGE.input_tokens,
        output_tokens: Math.min(body.max_tokens ?? 0, thinking + SIM_USAGE.output_tokens),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
    { headers: { "request-id": `req_sim_${sequence}` } },
  );
}

function apiError(
  status: number,
  type: string,
  message: string,
  extra: { retryAfterSeconds?: number | undefined; details?: Record<string, unknown> } = {},
): Response {
  sequence += 1;
  const requestId = `req_sim_err_${sequence}`;
  const headers: Record<string, string> = { "request-id": requestId };
  if (extra.retryAfterSeconds !== undefined) headers["retry-after"] = String(extra.retryAfterSeconds);
  const error = { type, message, ...(extra.details ? { details: extra.details } : {}) };
  return Response.json({ type: "error", error, request_id: requestId }, { status, headers });
}

/** Waits until the caller gives up, as a stalled connection does. */
function never(signal: AbortSignal | null | undefined): Promise<Response> {
  return new Promise((_, reject) => {
    const abort = () => reject(signal?.reason ?? new DOMException("The operation was aborted.", "AbortError"));
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort, { once: true });
  });
}
