// Builds the interactions Discord would send for a slash command or a button click (signed by
// ./sign.ts with the sandbox application's published TEST key).
import { z } from "zod";
import { commandSpec, isCommandName } from "../../discord/commands";
import { DISCORD_EPOCH, type SimMessage } from "./channel-store";

export const SANDBOX_GUILD_ID = "100000000000000005";
export const OTHER_USER_ID = "100000000000000004";

const option = z.union([z.string(), z.number(), z.boolean()]);
const userId = z.string().regex(/^\d{15,22}$/, "user_id must be a Discord id (digits)");

export const InteractionInput = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("command"),
    name: z.string().regex(/^[\w-]{1,32}$/, "name must be a command name like status"),
    options: z.record(z.string(), option).default({}),
    user_id: userId.optional(),
  }),
  z.object({
    type: z.literal("component"),
    message_id: z.string().min(1),
    custom_id: z.string().min(1).max(100),
    user_id: userId.optional(),
  }),
]);
export type InteractionInput = z.output<typeof InteractionInput>;

export interface SandboxUser {
  id: string;
  username: string;
  global_name: string | null;
}

/** The allowed trader is the first ALLOWED_USER_IDS entry; OTHER_USER_ID may not approve. */
export function sandboxUsers(env: Env): { allowed: string; other: string } {
  const allowed = env.ALLOWED_USER_IDS.split(",")[0]?.trim() || "100000000000000003";
  return { allowed, other: OTHER_USER_ID };
}

export function userFor(env: Env, id: string): SandboxUser {
  const { allowed, other } = sandboxUsers(env);
  const name = id === allowed ? "trader" : id === other ? "guest" : `user-${id.slice(-4)}`;
  return { id, username: name, global_name: name === "trader" ? "Trader" : name === "guest" ? "Guest" : null };
}

/** A snowflake for interaction ids: time-based, random low bits so concurrent ones differ. */
export function snowflake(now: number): string {
  const random = BigInt(crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) & 0x3fffffn;
  return ((BigInt(now - DISCORD_EPOCH) << 22n) | random).toString();
}

export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(48));
  return `aW50ZXJhY3Rpb246${btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, "")}`;
}

type CommandInput = Extract<InteractionInput, { type: "command" }>;
type Option = { name: string; type: number; value: string | number | boolean };

/** Slash command options typed from the command's definition, or by their JS type for unknown ones. */
export function commandOptions(input: CommandInput): { ok: true; options: Option[] } | { ok: false; reason: string } {
  const spec = isCommandName(input.name) ? commandSpec(input.name).options : null;
  const options: Option[] = [];
  for (const [name, value] of Object.entries(input.options)) {
    const defined = spec?.find((o) => o.name === name);
    if (spec && !defined) return { ok: false, reason: `/${input.name} has no option "${name}"` };
    const type =
      defined?.type ??
      (typeof value === "string" ? 3 : typeof value === "boolean" ? 5 : Number.isInteger(value) ? 4 : 10);
    options.push({ name, type, value });
  }
  return { ok: true, options };
}

export interface BuiltInteraction {
  id: string;
  token: string;
  user: SandboxUser;
  body: Record<string, unknown>;
}

export function buildInteraction(
  env: Env,
  input:
    | { kind: "command"; name: string; options: Option[] }
    | { kind: "component"; customId: string; message: SimMessage },
  user: SandboxUser,
  now: number,
): BuiltInteraction {
  const id = snowflake(now);
  const token = randomToken();
  const common = {
    id,
    application_id: env.DISCORD_APPLICATION_ID,
    token,
    version: 1,
    guild_id: SANDBOX_GUILD_ID,
    guild: { id: SANDBOX_GUILD_ID, locale: "en-US", features: [] },
    channel_id: env.DISCORD_CHANNEL_ID,
    channel: { id: env.DISCORD_CHANNEL_ID, type: 0, name: "trading-desk", guild_id: SANDBOX_GUILD_ID },
    member: {
      user: { ...user, discriminator: "0", avatar: null, public_flags: 0 },
      roles: [],
      permissions: "2248473465835073",
      joined_at: "2026-01-01T00:00:00.000Z",
      nick: null,
      avatar: null,
      premium_since: null,
      deaf: false,
      mute: false,
      pending: false,
      flags: 0,
    },
    app_permissions: "2248473465835073",
    locale: "en-US",
    guild_locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: { "0": SANDBOX_GUILD_ID },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
  const body =
    input.kind === "command"
      ? { ...common, type: 2, data: { id: snowflake(now), name: input.name, type: 1, options: input.options } }
      : {
          ...common,
          type: 3,
          data: { custom_id: input.customId, component_type: 2 },
          message: input.message,
        };
  return { id, token, user, body };
}
