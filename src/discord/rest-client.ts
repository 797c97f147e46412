// The Discord REST adapter: channel messages with the bot token, interaction replies with the
// interaction token. Rate limits (429) are waited out when the wait is short, 5xx and network
// failures are retried a few times with a small backoff, and every give-up is a DiscordError.
// Every call says who it is (the DiscordBot User-Agent Discord requires, see edge.ts); a refusal
// by Discord's Cloudflare edge (a shared Worker IP blocked) is backed off briefly, logged, and
// given up on with an error that says so. Nothing here loops without bound, and neither token
// ever reaches a log line or an error.

import { version } from "../../package.json";
import { log } from "../log";
import * as z from "../zod-mini";
import { discordUserAgent, type EdgeRefusal, edgeRefusal } from "./edge";
import {
  type DiscordChannel,
  DiscordError,
  type InteractionReplies,
  type MessageBody,
  type MessageEdit,
  type MessageFile,
} from "./port";

export const DISCORD_API_BASE = "https://discord.com/api/v10";

export interface DiscordRestOptions {
  botToken: string;
  applicationId: string;
  channelId: string;
  fetch: typeof fetch;
  apiBase?: string;
  /** Total tries per call, first one included (429s and 5xx alike). */
  maxAttempts?: number;
  /** A 429 asking for a longer wait than this is given up on: a Worker has seconds, not minutes. */
  maxRateLimitWaitMs?: number;
  /** Injected by tests to observe the waits without spending them. */
  sleep?: (ms: number) => Promise<void>;
}

export type DiscordRest = DiscordChannel & InteractionReplies;

const CreatedMessage = z.looseObject({ id: z.string().check(z.minLength(1)) });
const RateLimitBody = z.looseObject({
  retry_after: z.optional(z.number().check(z.nonnegative())),
  global: z.optional(z.boolean()),
});
const ErrorBody = z.looseObject({ message: z.optional(z.string()), code: z.optional(z.number()) });

const BACKOFF_MS = [250, 1000, 2000];
/** Waits before retrying an edge refusal that names no wait: a Worker has seconds, not the block's minutes. */
const EDGE_BACKOFF_MS = [1000, 3000];
const USER_AGENT = discordUserAgent(version);

export function createDiscordRest(options: DiscordRestOptions): DiscordRest {
  const base = (options.apiBase ?? DISCORD_API_BASE).replace(/\/+$/, "");
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const maxWaitMs = options.maxRateLimitWaitMs ?? 5000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Once Discord's edge refused this Worker's IP and the backoff did not outlast it, every later
  // call of this client (one request or job) fails at once with that reason instead of waiting
  // out its own backoff: a blocked scan would spend its 30 s of waitUntil on sleeps.
  let edgeBlocked: DiscordError | null = null;
  const channel = encodeURIComponent(options.channelId);
  const app = encodeURIComponent(options.applicationId);

  /** `route` is the path as it may be logged (tokens replaced); `path` is the real one. */
  async function call(
    method: string,
    path: string,
    route: string,
    body: unknown,
    auth: boolean,
    files: readonly MessageFile[] = [],
  ): Promise<Response> {
    const headers: Record<string, string> = { "user-agent": USER_AGENT };
    // With files, Discord takes multipart: the JSON as payload_json, each file as files[n].
    if (files.length === 0) headers["content-type"] = "application/json";
    if (auth) headers.authorization = `Bot ${options.botToken}`;
    if (edgeBlocked)
      throw new DiscordError(`Discord ${method} ${route}: not sent: ${edgeBlocked.message}`, edgeBlocked.status, true);
    let last: DiscordError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let response: Response;
      try {
        response = await options.fetch(`${base}${path}`, { method, headers, body: requestBody(body, files) });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        last = new DiscordError(`Discord ${method} ${route}: network error: ${message}`, null, true);
        if (attempt < maxAttempts) await sleep(backoff(attempt));
        continue;
      }
      if (response.ok) return response;
      const text = await response.text();
      const edge = edgeRefusal(response.status, response.headers, text);
      if (edge) {
        const waitMs = edge.retryAfterMs ?? EDGE_BACKOFF_MS[Math.min(attempt - 1, EDGE_BACKOFF_MS.length - 1)] ?? 3000;
        const fields = {
          method,
          route,
          status: response.status,
          refusal: edge.what,
          attempt,
          cfRay: response.headers.get("cf-ray"),
        };
        if (waitMs > maxWaitMs || attempt >= maxAttempts) {
          log.error("discord edge refused the worker's IP; giving up", fields);
          edgeBlocked = edgeError(method, route, response.status, edge);
          throw edgeBlocked;
        }
        log.warn("discord edge refused the request; backing off", { ...fields, waitMs });
        await sleep(waitMs);
        continue;
      }
      if (response.status === 429) {
        const { waitMs, global } = rateLimit(response, text);
        last = new DiscordError(`Discord ${method} ${route}: rate limited (retry after ${waitMs} ms)`, 429, true);
        log.warn("discord rate limited", { method, route, waitMs, global, attempt });
        if (waitMs > maxWaitMs) break;
        if (attempt < maxAttempts) await sleep(waitMs);
        continue;
      }
      const detail = errorMessage(text);
      if (response.status >= 500) {
        last = new DiscordError(`Discord ${method} ${route}: ${response.status} ${detail}`, response.status, true);
        log.warn("discord server error", { method, route, status: response.status, attempt });
        if (attempt < maxAttempts) await sleep(backoff(attempt));
        continue;
      }
      // 4xx: our request is wrong (or the token expired); repeating it cannot help.
      throw new DiscordError(`Discord ${method} ${route}: ${response.status} ${detail}`, response.status, false);
    }
    throw last ?? new DiscordError(`Discord ${method} ${route}: gave up`, null, true);
  }

  return {
    async post(body: MessageBody, files: MessageFile[] = []) {
      // A nonce with enforce_nonce makes a retried create return the first message, not a duplicate.
      const withNonce = body.nonce === undefined ? { ...body, nonce: newNonce(), enforce_nonce: true } : body;
      const path = `/channels/${channel}/messages`;
      const response = await call("POST", path, path, withFiles(withNonce, files), true, files);
      const created = CreatedMessage.safeParse(await response.json());
      if (!created.success) throw new DiscordError("Discord POST message: response has no message id", 200, false);
      return { id: created.data.id };
    },
    async edit(messageId: string, body: MessageEdit) {
      const path = `/channels/${channel}/messages/${encodeURIComponent(messageId)}`;
      await call("PATCH", path, path, body, true);
    },
    async editOriginal(interactionToken: string, body: MessageEdit, files: MessageFile[] = []) {
      const path = `/webhooks/${app}/${encodeURIComponent(interactionToken)}/messages/@original`;
      await call("PATCH", path, `/webhooks/${app}/<token>/messages/@original`, withFiles(body, files), false, files);
    },
    async followUp(interactionToken: string, body: MessageBody & { flags?: number | undefined }) {
      const path = `/webhooks/${app}/${encodeURIComponent(interactionToken)}`;
      await call("POST", path, `/webhooks/${app}/<token>`, body, false);
    },
  };
}

/** The message's `attachments` naming each file by its index in the multipart body. */
function withFiles<T extends object>(body: T, files: readonly MessageFile[]): T {
  return files.length === 0 ? body : { ...body, attachments: files.map((f, id) => ({ id, filename: f.name })) };
}

/** JSON, or (with files) a multipart form: payload_json and files[0..]. Built per attempt. */
function requestBody(body: unknown, files: readonly MessageFile[]): string | FormData {
  if (files.length === 0) return JSON.stringify(body);
  const form = new FormData();
  form.append("payload_json", JSON.stringify(body));
  files.forEach((f, i) => {
    form.append(`files[${i}]`, new Blob([f.data], { type: f.contentType }), f.name);
  });
  return form;
}

/** Discord's edge, not the API, said no: nothing in the request or the bot's settings is wrong. */
function edgeError(method: string, route: string, status: number, edge: EdgeRefusal): DiscordError {
  return new DiscordError(
    `Discord ${method} ${route}: Discord's edge refused the Worker's IP (${edge.what}). Workers share IP addresses, ` +
      "and Discord's Cloudflare edge blocks one for a while after too many failed requests from it, whoever sent them; " +
      "calls work again when the block lifts.",
    status,
    true,
  );
}

function backoff(attempt: number): number {
  return BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)] ?? 1000;
}

/**
 * How long Discord asks us to wait, in ms: the body's retry_after (seconds, fractional) or the
 * Retry-After header; unknown → 1 s. A global limit (body `global: true`) is waited out the same
 * way: this client makes one call at a time, so waiting is all it can do.
 */
function rateLimit(response: Response, text: string): { waitMs: number; global: boolean } {
  const body = RateLimitBody.safeParse(safeJson(text));
  const global = (body.success && body.data.global === true) || response.headers.get("x-ratelimit-global") === "true";
  const header = response.headers.get("retry-after");
  const seconds =
    body.success && body.data.retry_after !== undefined
      ? body.data.retry_after
      : header === null
        ? NaN
        : Number(header);
  return { waitMs: Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000, global };
}

function errorMessage(text: string): string {
  const parsed = ErrorBody.safeParse(safeJson(text));
  if (parsed.success && parsed.data.message) {
    return parsed.data.code === undefined ? parsed.data.message : `${parsed.data.message} (code ${parsed.data.code})`;
  }
  return text.slice(0, 200);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return { unparsable: error instanceof Error ? error.message : "not JSON" };
  }
}

function newNonce(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 25);
}
