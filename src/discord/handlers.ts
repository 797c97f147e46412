// The handler registry: the seam between the interactions router (endpoint.ts) and the trading
// actions. The router has already verified the signature, parsed the interaction, refused
// replays and authorized the caller by the time a handler runs; a handler decides what to do.
//
// Contract for every handler:
// - Return the FIRST interaction response quickly: Discord fails the interaction if it has no
//   answer within 3 s. Work that may take longer (broker calls, scans, Claude) goes into
//   `c.ctx.waitUntil(...)` after returning a deferred or interim response, and reports back with
//   `c.replies.editOriginal(c.interaction.token, …)` / `followUp` (the token lives 15 min) or
//   by editing the channel message through the app's Discord port. waitUntil work must end within 30 s.
// - Expected outcomes (already claimed, market closed, drift…) are answers a trader can read,
//   not throws. A throw is a bug: the router logs it and answers an ephemeral apology.
// - Handlers recheck everything they act on (state, expiry, breakers): the custom id is only
//   a pointer, and authorization here is about who, not whether the action is still valid.
import type { APIInteractionResponse } from "discord-api-types/v10";
import type { App } from "../app";
import { COMMAND_NAMES, type CommandName, commandSpec } from "./commands";
import type {
  ApproveAction,
  CloseAction,
  ComponentAction,
  FlattenAction,
  RefreshAction,
  RejectAction,
} from "./custom-id";
import type { ButtonInteraction, CommandInteraction } from "./interaction-schema";
import type { InteractionReplies } from "./port";
import type { CommandOptions } from "./route";

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
}

export type { CommandOptions };
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

const BUTTONS_HELP = [
  "**Buttons**",
  "**Approve N · 1× / 2× / max**: place the recommended spread with N contracts (rechecked first: expiry, price drift, market open, breakers).",
  "**Reject**: decline the recommendation.",
  "**Close**: buy an open position back. The limit starts at the mid and, while it does not fill, walks to the natural price (the short's ask less the long's bid), which fills at once.",
  "**Sell / Buy back N shares**: after an assignment or exercise, flatten the shares Alpaca holds with one market order.",
];

/** The /help text: every command with its description, from commands.ts, and who may use what. */
export function helpText(): string {
  const commands = COMMAND_NAMES.map((name) => {
    const spec = commandSpec(name);
    const args = spec.options.map((o) => (o.required ? ` <${o.name}>` : ` [${o.name}]`)).join("");
    return `\`/${name}${args}\`: ${spec.description}`;
  });
  return [
    "**spread-desk**: finds option credit spreads, posts them here, and trades only when an allowed person taps Approve.",
    "",
    "**Commands**",
    ...commands,
    "",
    ...BUTTONS_HELP,
    "",
    "Anyone in this channel may use /help, /status, /portfolio, /performance and list the /playbook. Only the allowed traders may approve, reject, close, change the playbook, /halt, /resume and /scan.",
  ].join("\n");
}
