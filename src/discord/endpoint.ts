// POST /discord/interactions. In order, and nothing acts before the step before it passed:
//   1. signature (Ed25519) and timestamp window      → 401 (413 for an absurd body)
//   2. JSON + shape (zod), known command or custom id → 400, never 500
//   3. PING → PONG
//   4. replay: an interaction id is acted on once     → ephemeral "already handled"
//   5. authorization (authorize.ts)                   → ephemeral refusal + audit row
//   6. the handler (handlers.ts) gives the first response; slow work goes to waitUntil
// Steps 4-6 wait on D1 (and /status on the broker). Past ANSWER_WITHIN_MS from arrival the router
// acknowledges instead and delivers the handler's answer when it comes (late-answer.ts), so a
// slow database never shows a trader "This interaction failed" while an order goes out.
// A handler that claims in one atomic D1 batch (Approve: Handlers.replayInClaim) records the id
// in that batch instead of step 4, for the allowed caller only: one round trip before the answer.
// It refuses the replay itself, with the same answer, and acts on nothing. Its audit row in the
// same batch is the click's record: the router logs a line only for the interactions without one.
//
// The handler contract (the types below; the handlers themselves are in handlers.ts) is the seam
// between this router and the trading actions. The router has already verified the signature,
// parsed the interaction, refused replays and authorized the caller by the time a handler runs;
// a handler decides what to do. For every handler:
// - Return the FIRST interaction response quickly: Discord fails the interaction if it has no
//   answer within 3 s. Work that may take longer (broker calls, scans, Claude) goes into
//   `c.ctx.waitUntil(...)` after `c.answered` and after returning a deferred or interim response,
//   and reports back with `c.replies.editOriginal(c.interaction.token, …)` / `followUp` (the token
//   lives 15 min) or by editing the channel message through the app's Discord port. waitUntil work
//   must end within 30 s of the first response. A handler still waiting on D1 ANSWER_WITHIN_MS after
//   the request arrived is answered for by the router, and its answer delivered when it returns.
// - Expected outcomes (already claimed, market closed, drift…) are answers a trader can read,
//   not throws. A throw is a bug: the router logs it and answers an ephemeral apology.
// - Handlers recheck everything they act on (state, expiry, breakers): the custom id is only
//   a pointer, and authorization here is about who, not whether the action is still valid.

import type { APIInteractionResponse } from "discord-api-types/v10";
import type { App } from "../app";
import type { Config } from "../config";
import { json } from "../http";
import { errorFields, log } from "../log";
import { accessFor, mayUse } from "./authorize";
import type { CommandName } from "./commands";
import type {
  ApproveAction,
  CloseAction,
  ComponentAction,
  FlattenAction,
  RefreshAction,
  RejectAction,
} from "./custom-id";
import { InteractionType } from "./enums";
import type { ButtonInteraction, CommandInteraction } from "./interaction-schema";
import { parseInteraction } from "./interaction-schema";
import { deferredAnswer, deliverLate, LATE_ANSWER_HEAD_START_MS } from "./late-answer";
import type { InteractionReplies } from "./port";
import { ALREADY_HANDLED, ephemeral, PONG } from "./responses";
import { type CommandOptions, type Route, routeOf } from "./route";
import { auditUnauthorized } from "./unauthorized-audit";
import { verifyRequest } from "./verify";

export interface InteractionContext<
  I extends CommandInteraction | ButtonInteraction = CommandInteraction | ButtonInteraction,
> {
  /** The checked interaction: id, token, channel_id, guild_id, data, and for buttons `message`. */
  interaction: I;
  userId: string;
  /** Global name when set, else username: for audit rows and messages. */
  userName: string;
  roleIds: string[];
  /** The ports for this request (stores, broker, Discord, analyst, clock, config), built once by the worker. */
  app: App;
  ctx: ExecutionContext;
  /** Replies to this interaction after the first response (the app's Discord REST client). */
  replies: InteractionReplies;
  /** Epoch ms when the request arrived. */
  now: number;
  /**
   * Wall-clock epoch ms the request came at, when the router left the replay refusal to this
   * handler (Handlers.replayInClaim): it records the interaction id in the same atomic batch as
   * its claim, and a replay acts on nothing and answers ALREADY_HANDLED. null: the router did it.
   */
  unrecordedSince: number | null;
  /**
   * Settles, with the time the first response went out, once the answer has reached Discord:
   * returned in time, or acknowledged and then delivered late through the webhook (late-answer.ts;
   * see deliverWhenReady). Work after the answer starts after it, so the card a late answer edits
   * is not edited again before it; waitUntil's 30 s run from the time it settles with.
   */
  answered: Promise<number>;
}

export type CommandHandler = (
  c: InteractionContext<CommandInteraction>,
  options: CommandOptions,
) => Promise<APIInteractionResponse>;
export type ComponentHandler<A> = (
  c: InteractionContext<ButtonInteraction>,
  action: A,
) => Promise<APIInteractionResponse>;

export interface Handlers {
  commands: Record<CommandName, CommandHandler>;
  approve: ComponentHandler<ApproveAction>;
  reject: ComponentHandler<RejectAction>;
  close: ComponentHandler<CloseAction>;
  flatten: ComponentHandler<FlattenAction>;
  refresh: ComponentHandler<RefreshAction>;
  /**
   * Buttons whose handler refuses replays inside its own claim batch (one D1 round trip before
   * the first response instead of two). The router then skips its own replay insert for them.
   */
  replayInClaim?: readonly ComponentAction["kind"][];
}

/** What the composition root (src/worker.ts) hands the endpoint for one request. */
export interface InteractionRoot {
  /** The key to verify signatures with, or why there is none (checked before anything else). */
  publicKey: { ok: true; key: string } | { ok: false; problem: string };
  /** The checked config (cached per isolate); a ConfigError is the worker's 503. */
  config: () => Config;
  /**
   * The app for this request, built on first use: after the signature passed and only for an
   * interaction that is not a PING (the sandbox reads its simulated clock to build it).
   */
  app: () => Promise<App>;
}

export type InteractionHandler = (request: Request, ctx: ExecutionContext, root: InteractionRoot) => Promise<Response>;

export { ALREADY_HANDLED } from "./responses";
export const NOT_ALLOWED = "You are not allowed to do that here. Nothing was changed; the attempt was logged.";
const HANDLER_FAILED = "Something went wrong while handling that (logged). Check /status before trying again.";

export function createInteractionHandler(handlers: Handlers): InteractionHandler {
  return async (request, ctx, root) => {
    const now = Date.now();
    // The signature comes first: an unsigned caller learns nothing about the configuration.
    const key = root.publicKey;
    if (!key.ok) {
      log.error("interactions refused: no usable public key", { problem: key.problem });
      return json({ error: "config", message: "The bot cannot verify interactions (see its logs)." }, 503);
    }
    const verified = await verifyRequest(request, key.key, now);
    if (!verified.ok) {
      log.warn("interaction refused", { reason: verified.reason, status: verified.status });
      const error = verified.status === 401 ? "unauthorized" : "too_large";
      return json({ error, message: verified.reason }, verified.status);
    }
    const config = root.config(); // a ConfigError becomes the worker's 503

    const parsed = parseInteraction(verified.body);
    if (!parsed.ok) return badRequest(parsed.reason);
    const interaction = parsed.interaction;
    if (interaction.type === InteractionType.Ping) return json(PONG);

    const user = interaction.member?.user ?? interaction.user;
    if (!user) return badRequest("interaction has no user");
    const routed = routeOf(interaction);
    if (!routed.ok) return badRequest(routed.reason);
    const route = routed.route;
    const fields = { interactionId: interaction.id, userId: user.id, route: describe(route) };

    const userName = user.global_name ?? user.username;
    const roleIds = interaction.member?.roles ?? [];
    const allowed = mayUse(config, { userId: user.id, roleIds, channelId: interaction.channel_id }, accessFor(route));
    // Left to the handler's claim batch only when it will run: a refused caller's id is recorded here.
    const replayInClaim =
      allowed && route.kind === "component" && (handlers.replayInClaim?.includes(route.action.kind) ?? false);
    const app = await root.app();
    let respondedAt = (_at: number) => {};
    const answered = new Promise<number>((resolve) => {
      respondedAt = resolve;
    });
    const answering = answer(handlers, {
      route,
      fields,
      app,
      ctx,
      now,
      allowed,
      replayInClaim,
      user: { id: user.id, name: userName, roleIds },
      answered,
    });
    // Date.now() moves on I/O only in workerd: the budget counts the waits (D1, the broker), not CPU.
    const within = app.answerWithinMs === null ? null : app.answerWithinMs - (Date.now() - now);
    const first = within === null ? await answering : await inTime(answering, within);
    if (first !== LATE) {
      respondedAt(Date.now());
      return json(first);
    }
    // Slow storage or broker: acknowledge now, and deliver the answer when the handler has it.
    log.warn("interaction answer late: acknowledged, answer follows", fields);
    const deferredAt = Date.now();
    ctx.waitUntil(deliverWhenReady(app, route, answering, fields, () => respondedAt(deferredAt)));
    return json(deferredAnswer(route.kind));
  };
}

/**
 * The late path's second half: the handler's answer (or, if the steps before the handler threw,
 * the apology a thrown handler gets) delivered through the webhook. `release` lets the work after
 * the answer start: once delivered, or LATE_ANSWER_HEAD_START_MS after the answer was ready if
 * Discord is slow too (in the tests' sandbox only once delivered: no outcome depends on speed).
 */
async function deliverWhenReady(
  app: App,
  route: Route,
  answering: Promise<APIInteractionResponse>,
  fields: Record<string, string>,
  release: () => void,
): Promise<void> {
  let headStart: ReturnType<typeof setTimeout> | undefined;
  try {
    const late = await answering.catch((error: unknown) => {
      log.error("interaction failed before its handler answered", { ...fields, ...errorFields(error) });
      return ephemeral(HANDLER_FAILED);
    });
    if (app.replyGivesUp) headStart = setTimeout(release, LATE_ANSWER_HEAD_START_MS);
    await deliverLate(app.discord, route.interaction.token, route.kind, late);
  } catch (error) {
    log.error("late interaction answer not delivered", { ...fields, ...errorFields(error) });
  } finally {
    clearTimeout(headStart);
    release();
  }
}

interface Answering {
  route: Route;
  fields: Record<string, string>;
  app: App;
  ctx: ExecutionContext;
  now: number;
  allowed: boolean;
  replayInClaim: boolean;
  user: { id: string; name: string; roleIds: string[] };
  answered: Promise<number>;
}

/** Steps 4-6: the replay refusal, the authorization and the handler's first response. */
async function answer(handlers: Handlers, a: Answering): Promise<APIInteractionResponse> {
  const { route, fields, app, ctx, now, user } = a;
  const interaction = route.interaction;
  if (!a.replayInClaim && (await app.seenInteractions.record(interaction.id, now)) === "replay") {
    log.warn("interaction replayed", fields);
    return ephemeral(ALREADY_HANDLED);
  }

  if (!a.allowed) {
    log.warn("interaction unauthorized", fields);
    try {
      await auditUnauthorized(app.audit, {
        at: now,
        userId: user.id,
        userName: user.name,
        interactionId: interaction.id,
        route,
      });
    } catch (error) {
      log.error("could not audit an unauthorized interaction", { ...fields, ...errorFields(error) });
    }
    return ephemeral(NOT_ALLOWED);
  }

  // A line for each interaction, except a click its handler records in its claim batch (Approve):
  // the audit row there carries the interaction id, the clicker and the outcome (the handler logs
  // a refusal that has none). A line would say it twice, and each costs about 3 ms of runtime CPU
  // in `wrangler dev` (a third of the bench's floor). Queued, not awaited: it runs at the
  // handler's first wait, while the isolate would idle, so it does not delay the answer.
  if (!a.replayInClaim) ctx.waitUntil(Promise.resolve().then(() => log.info("interaction", fields)));
  // The signature window above is about delivery (wall time); decisions use the trading clock.
  const decidedAt = app.clock.now();
  const base = {
    userId: user.id,
    userName: user.name,
    roleIds: user.roleIds,
    app,
    ctx,
    replies: app.discord,
    now: decidedAt,
    unrecordedSince: a.replayInClaim ? now : null,
    answered: a.answered,
  };
  try {
    if (route.kind === "command") {
      return await handlers.commands[route.name]({ ...base, interaction: route.interaction }, route.options);
    }
    return await dispatchComponent(handlers, { ...base, interaction: route.interaction }, route.action);
  } catch (error) {
    log.error("interaction handler failed", { ...fields, ...errorFields(error) });
    return ephemeral(HANDLER_FAILED);
  }
}

const LATE = Symbol("late");

/** The answer, or LATE when it is not ready within `ms` (at once when `ms` has already run out). */
async function inTime<T>(answer: Promise<T>, ms: number): Promise<T | typeof LATE> {
  if (ms <= 0) return LATE;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), ms);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

function dispatchComponent(handlers: Handlers, c: InteractionContext<ButtonInteraction>, action: ComponentAction) {
  switch (action.kind) {
    case "approve":
      return handlers.approve(c, action);
    case "reject":
      return handlers.reject(c, action);
    case "close":
      return handlers.close(c, action);
    case "flatten":
      return handlers.flatten(c, action);
    case "refresh":
      return handlers.refresh(c, action);
  }
}

function describe(route: Route): string {
  return route.kind === "command" ? `/${route.name}` : route.interaction.data.custom_id;
}

function badRequest(reason: string): Response {
  log.warn("malformed interaction", { reason: reason.slice(0, 200) });
  return json({ error: "bad_request", message: reason.slice(0, 500) }, 400);
}
