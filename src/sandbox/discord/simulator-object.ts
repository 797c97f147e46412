// The simulated Discord: a Durable Object holding the local channel, so every request of the
// sandbox sees one consistent channel. fetch() is Discord's REST API as the bot calls it (see
// src/sandbox/outside.ts), behind Discord's edge (edge.ts: no DiscordBot User-Agent, no
// answer; blocked-IP faults); the RPC methods are the control side used by the sandbox routes
// (the console, scripts) and by tests (test/support/discord-sim.ts).
import { DurableObject } from "cloudflare:workers";
import {
  ChannelStore,
  type Fault,
  type InteractionRecord,
  type RequestLogEntry,
  type SimMessage,
} from "./channel-store";
import { type ApiContext, applyEdit, handleApi, interactionMessage } from "./discord-api";
import { type EdgeFaultKind, edgeFaultResponse, refuseWithoutUserAgent } from "./edge";
import { invalidMessage } from "./validate";

export type { InteractionRecord, RequestLogEntry, SimMessage };

/** A fault to serve to the bot's next calls: `count` responses with `status` (429 or 5xx). */
export interface FaultSpec {
  status: number;
  count?: number;
  /** Seconds to wait, sent with a 429 (Discord sends fractions like 0.25). */
  retryAfter?: number;
  global?: boolean;
  /**
   * Answer as Discord's edge does for a blocked IP (status 429 or 403, no wait named):
   * "html" Cloudflare's page, "blocked" Discord's JSON (429 `code: 0`, 403 code 40333).
   */
  edge?: EdgeFaultKind;
}

export interface RecordedResponse {
  /** What the channel now shows for the response: a new message, an edit, or nothing. */
  effect: "message" | "edit" | "none";
  messageId: string | null;
  /** Set when Discord would have failed the interaction ("This interaction failed"). */
  error?: string;
}

const API_PREFIX = "/api/v10/";
const FLAG_EPHEMERAL = 64;
const FLAG_LOADING = 128;

export class DiscordSimulator extends DurableObject<Env> {
  private readonly store: ChannelStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ChannelStore(ctx.storage.sql);
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(API_PREFIX)) {
      return Response.json({ message: `discord simulator: no route for ${url.pathname}`, code: 0 }, { status: 404 });
    }
    const now = Date.now();
    const path = url.pathname.slice(API_PREFIX.length - 1);
    // Discord's edge answers first: a call it refuses never reaches the API (or a queued fault).
    const refused = refuseWithoutUserAgent(request);
    if (refused) {
      this.store.logRequest({ at: now, method: request.method, route: redact(path), status: refused.status });
      return refused;
    }
    const fault = this.store.takeFault();
    if (fault) {
      this.store.logRequest({ at: now, method: request.method, route: redact(path), status: fault.status });
      return faultResponse(fault);
    }
    const { response, route } = await handleApi(request, path, this.context(now));
    this.store.logRequest({ at: now, method: request.method, route, status: response.status });
    return response;
  }

  /** The channel oldest first, as Discord would return each message after its edits. */
  listMessages(): SimMessage[] {
    return this.store.messages();
  }

  getMessage(id: string): SimMessage | null {
    return this.store.message(id);
  }

  /** Called before an interaction is sent, so the bot's webhook calls find its token. */
  registerInteraction(record: Omit<InteractionRecord, "createdAt" | "messageId">): void {
    this.store.saveInteraction({ ...record, createdAt: Date.now(), messageId: null });
  }

  /** Shows the bot's first response in the channel the way Discord does. */
  recordResponse(token: string, response: unknown): RecordedResponse {
    const interaction = this.store.interaction(token);
    if (!interaction) return { effect: "none", messageId: null, error: "unknown interaction token" };
    const c = this.context(Date.now());
    const body = isObject(response) ? response : {};
    const data = isObject(body.data) ? body.data : {};
    const flags = Number(data.flags ?? 0) & FLAG_EPHEMERAL;
    switch (body.type) {
      case 4: {
        const invalid = invalidMessage(data);
        if (invalid)
          return { effect: "none", messageId: null, error: `${invalid.message}: ${invalid.problems.join("; ")}` };
        const message = interactionMessage(c, interaction, data, flags);
        this.store.insertMessage(message);
        this.store.saveInteraction({ ...interaction, messageId: message.id });
        return { effect: "message", messageId: message.id };
      }
      case 5: {
        // Already created if the bot edited @original before this was recorded.
        if (interaction.messageId) return { effect: "none", messageId: interaction.messageId };
        const message = interactionMessage(c, interaction, { content: "" }, flags | FLAG_LOADING);
        this.store.insertMessage(message);
        this.store.saveInteraction({ ...interaction, messageId: message.id });
        return { effect: "message", messageId: message.id };
      }
      case 6:
      case 7: {
        const clicked = interaction.clickedMessageId ? this.store.message(interaction.clickedMessageId) : null;
        if (!clicked) return { effect: "none", messageId: null, error: "UPDATE_MESSAGE needs a component interaction" };
        this.store.saveInteraction({ ...interaction, messageId: clicked.id });
        if (body.type === 6) return { effect: "none", messageId: clicked.id };
        const invalid = invalidMessage(data, true);
        if (invalid)
          return { effect: "none", messageId: null, error: `${invalid.message}: ${invalid.problems.join("; ")}` };
        this.store.updateMessage(applyEdit(clicked, data, c.now));
        return { effect: "edit", messageId: clicked.id };
      }
      default:
        return { effect: "none", messageId: null };
    }
  }

  /** Replaces the queue of faults served to the bot's next REST calls. */
  setFaults(faults: FaultSpec[]): void {
    this.store.setFaults(
      faults.flatMap((f) =>
        Array.from({ length: Math.max(1, f.count ?? 1) }, () => ({
          status: f.status,
          retryAfter: f.retryAfter ?? 0.05,
          global: f.global ?? false,
          edge: f.edge ?? null,
        })),
      ),
    );
  }

  /** The REST calls the bot made, oldest first (tokens replaced by <token>). */
  requests(): RequestLogEntry[] {
    return this.store.requests();
  }

  /** Registered slash commands by scope ("global" or "guild:<id>"). */
  commands(): Record<string, unknown[]> {
    return this.store.allCommands();
  }

  reset(): void {
    this.store.reset();
  }

  private context(now: number): ApiContext {
    return { store: this.store, env: this.env, now };
  }
}

function faultResponse(fault: Fault): Response {
  if (fault.edge) return edgeFaultResponse(fault.status, fault.edge);
  if (fault.status === 429) {
    return Response.json(
      { message: "You are being rate limited.", retry_after: fault.retryAfter, global: fault.global },
      {
        status: 429,
        headers: {
          "retry-after": String(Math.ceil(fault.retryAfter)),
          "x-ratelimit-scope": fault.global ? "global" : "user",
          ...(fault.global ? { "x-ratelimit-global": "true" } : {}),
        },
      },
    );
  }
  return Response.json({ message: `${fault.status}: simulated server error`, code: 0 }, { status: fault.status });
}

function redact(path: string): string {
  return path.replace(/^\/webhooks\/([^/]+)\/[^/]+/, "/webhooks/$1/<token>");
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
