// Builders for the interactions Discord sends, shaped like the real payloads (guild channel,
// member with roles), with the sandbox env's ids. Every call gets a fresh interaction id.
import { ApplicationCommandType, ComponentType, InteractionType } from "discord-api-types/v10";
import { type CommandName, commandSpec } from "../../src/discord/commands";

export const SANDBOX = {
  applicationId: "100000000000000001",
  channelId: "100000000000000002",
  allowedUserId: "100000000000000003",
  otherUserId: "100000000000000004",
  guildId: "100000000000000005",
} as const;

const DISCORD_EPOCH = 1420070400000n;
let sequence = 0n;

/** A fresh, realistic snowflake. */
export function snowflake(): string {
  sequence += 1n;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (sequence & 0x3fffffn));
}

export interface Who {
  userId?: string;
  roles?: string[];
  channelId?: string;
  id?: string;
}

function envelope(who: Who) {
  const userId = who.userId ?? SANDBOX.allowedUserId;
  return {
    id: who.id ?? snowflake(),
    application_id: SANDBOX.applicationId,
    token: `aW50ZXJhY3Rpb246${snowflake()}:test-token`,
    version: 1,
    guild_id: SANDBOX.guildId,
    channel_id: who.channelId ?? SANDBOX.channelId,
    member: {
      user: { id: userId, username: `trader${userId.slice(-2)}`, global_name: null, discriminator: "0", avatar: null },
      roles: who.roles ?? [],
      joined_at: "2026-01-01T00:00:00.000000+00:00",
      deaf: false,
      mute: false,
      permissions: "2248473465835073",
    },
    app_permissions: "2248473465835073",
    locale: "en-US",
    guild_locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: { "0": SANDBOX.guildId },
    context: 0,
  };
}

export function ping() {
  return {
    id: snowflake(),
    application_id: SANDBOX.applicationId,
    type: InteractionType.Ping,
    token: "ping",
    version: 1,
  };
}

export type OptionValue = string | number | boolean;

/** A slash command; option types are given as Discord numbers (3 = string). */
export function command(
  name: string,
  options: { name: string; type: number; value: OptionValue }[] = [],
  who: Who = {},
) {
  return {
    ...envelope(who),
    type: InteractionType.ApplicationCommand,
    data: {
      id: snowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      ...(options.length > 0 ? { options } : {}),
    },
  };
}

/** A slash command as Discord sends it with nothing optional filled in: each required option a sample value. */
export function commandWithRequired(name: CommandName, who: Who = {}) {
  const required = commandSpec(name).options.filter((o) => "required" in o && o.required);
  const sample = (type: number): OptionValue => (type === 4 || type === 10 ? 1 : type === 5 ? true : "x");
  return command(
    name,
    required.map((o) => ({ name: o.name, type: o.type, value: sample(o.type) })),
    who,
  );
}

/** A button click on a bot message. */
export function click(customId: string, who: Who = {}) {
  const base = envelope(who);
  return {
    ...base,
    type: InteractionType.MessageComponent,
    data: { custom_id: customId, component_type: ComponentType.Button },
    message: {
      id: snowflake(),
      channel_id: base.channel_id,
      author: { id: SANDBOX.applicationId, username: "spread-desk", bot: true },
      content: "",
      embeds: [],
      components: [],
      timestamp: "2026-11-27T15:00:00.000000+00:00",
      type: 0,
    },
  };
}
