// Anthropic at its HTTP edge: a `fetch` that answers POST /v1/messages the way the API does
// (message objects, error envelopes, status codes, retry headers), for the REAL SDK to call.
// Each request takes the next scripted reply; the last one repeats. Requests are recorded so a
// test can assert what went on the wire, or that nothing did.

export type AnthropicReply =
  /** A valid structured answer. Without `answer`, one that fits the schema the request asked for. */
  | { kind: "answer"; answer?: Record<string, unknown> }
  /** Any text as the model's answer: invalid JSON, or JSON that breaks the schema. */
  | { kind: "text"; text: string; stopReason?: "end_turn" | "max_tokens" | "refusal" }
  /** An API error: 429 rate limit, 500 api error, 529 overloaded, 401 bad key. */
  | { kind: "error"; status: 401 | 429 | 500 | 529; retryAfterMs?: number }
  /** Never answers: the client's timeout has to abort it. */
  | { kind: "slow" };

export interface SimRequest {
  method: string;
  path: string;
  apiKey: string | null;
  anthropicVersion: string | null;
  body: MessagesBody;
}

export interface MessagesBody {
  model?: string;
  max_tokens?: number;
  system?: string;
  messages?: Array<{ role: string; content: string }>;
  output_config?: { format?: { type?: string; schema?: { properties?: Record<string, unknown> } } };
}

export interface AnthropicSim {
  fetch: typeof fetch;
  requests: SimRequest[];
  /** Replaces the script of replies. */
  script(...replies: AnthropicReply[]): void;
}

export const SIM_USAGE = { input_tokens: 1000, output_tokens: 200 } as const;

export const SIM_THESIS = {
  thesis:
    "Premium is rich for the distance: the short strike sits beyond one expected move and the credit is a third of the width.",
  confidence: 0.72,
  risks: ["gap through the short strike", "earnings/events not checked"],
} as const;

export const SIM_REFLECTION = {
  reflection: "A calm day: one winner closed at target. Keep the same filters.",
} as const;

const ERROR_TYPES: Record<number, string> = {
  401: "authentication_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

export function createAnthropicSim(...initial: AnthropicReply[]): AnthropicSim {
  let replies: AnthropicReply[] = initial.length > 0 ? initial : [{ kind: "answer" }];
  const requests: SimRequest[] = [];
  let next = 0;

  const simFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = (await request.json().catch(() => ({}))) as MessagesBody;
    const apiKey = credential(request.headers);
    requests.push({
      method: request.method,
      path: url.pathname,
      apiKey,
      anthropicVersion: request.headers.get("anthropic-version"),
      body,
    });
    if (request.method !== "POST" || url.pathname !== "/v1/messages") return apiError(404, "not_found_error");
    if (!apiKey) return apiError(401, "authentication_error");
    if (!body.model || !body.max_tokens || !Array.isArray(body.messages)) return apiError(400, "invalid_request_error");

    const reply = replies[Math.min(next, replies.length - 1)] ?? { kind: "answer" };
    next += 1;
    switch (reply.kind) {
      case "answer":
        return message(body.model, JSON.stringify(reply.answer ?? defaultAnswer(body)), "end_turn");
      case "text":
        return message(body.model, reply.text, reply.stopReason ?? "end_turn");
      case "error":
        return apiError(reply.status, ERROR_TYPES[reply.status] ?? "api_error", reply.retryAfterMs);
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
    },
  };
}

/** The API takes the key as `x-api-key` or, as SDK 1.x sends it, `Authorization: Bearer`. */
function credential(headers: Headers): string | null {
  const bearer = /^Bearer (.+)$/.exec(headers.get("authorization") ?? "")?.[1];
  return headers.get("x-api-key") ?? bearer ?? null;
}

/** The answer that fits the schema in the request: a thesis or a reflection. */
function defaultAnswer(body: MessagesBody): Record<string, unknown> {
  const properties = body.output_config?.format?.schema?.properties ?? {};
  return "reflection" in properties ? { ...SIM_REFLECTION } : { ...SIM_THESIS, risks: [...SIM_THESIS.risks] };
}

let sequence = 0;

function message(model: string, text: string, stopReason: string): Response {
  sequence += 1;
  return Response.json(
    {
      id: `msg_sim_${sequence}`,
      type: "message",
      role: "assistant",
      model,
      content: [{ type: "text", text }],
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { ...SIM_USAGE, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
    { headers: { "request-id": `req_sim_${sequence}` } },
  );
}

function apiError(status: number, type: string, retryAfterMs?: number): Response {
  const headers: Record<string, string> = { "request-id": `req_sim_err_${status}` };
  if (retryAfterMs !== undefined) headers["retry-after-ms"] = String(retryAfterMs);
  return Response.json(
    { type: "error", error: { type, message: `simulated ${type}` }, request_id: headers["request-id"] },
    { status, headers },
  );
}

/** Waits until the caller gives up, as a stalled connection does. */
function never(signal: AbortSignal | null | undefined): Promise<Response> {
  return new Promise((_, reject) => {
    const abort = () => reject(signal?.reason ?? new DOMException("The operation was aborted.", "AbortError"));
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort, { once: true });
  });
}
