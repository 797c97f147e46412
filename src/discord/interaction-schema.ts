// The interactions the bot accepts, checked with zod after the signature: PING, chat-input
// commands and button clicks. Anything else (other types, other component kinds, oversized
// strings, wrong types) is malformed and answered 400. Only the fields the bot reads are
// checked; Discord's other fields pass through untouched. The compile-time checks at the
// bottom keep these shapes in step with discord-api-types.
import type {
  APIChatInputApplicationCommandInteraction,
  APIMessageComponentButtonInteraction,
  APIPingInteraction,
} from "discord-api-types/v10";
import * as z from "../zod-mini";
import { ApplicationCommandType, ComponentType, InteractionType } from "./enums";

const snowflake = z.string().check(z.regex(/^\d{1,22}$/, "must be a Discord id"));
/** A string of min..max characters. */
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const name = text(1, 100);

const user = z.looseObject({ id: snowflake, username: name, global_name: z.nullish(name) });
const member = z.looseObject({ user, roles: z.array(snowflake).check(z.maxLength(500)) });

const base = {
  id: snowflake,
  application_id: snowflake,
  // Interaction tokens are a few hundred characters; the cap only refuses absurd bodies.
  token: text(1, 1000),
  version: z.literal(1),
  channel_id: z.optional(snowflake),
  guild_id: z.optional(snowflake),
  member: z.optional(member),
  user: z.optional(user),
};

const ping = z.looseObject({
  id: snowflake,
  application_id: snowflake,
  token: text(0, 1000),
  version: z.literal(1),
  type: z.literal(InteractionType.Ping),
});

const commandOption = z.looseObject({
  name: text(1, 32),
  type: z.int(),
  value: z.union([text(0, 6000), z.number(), z.boolean()]),
});

const command = z.looseObject({
  ...base,
  type: z.literal(InteractionType.ApplicationCommand),
  data: z.looseObject({
    id: snowflake,
    name: text(1, 32),
    type: z.literal(ApplicationCommandType.ChatInput),
    options: z.optional(z.array(commandOption).check(z.maxLength(25))),
  }),
});

const button = z.looseObject({
  ...base,
  type: z.literal(InteractionType.MessageComponent),
  channel_id: snowflake,
  data: z.looseObject({
    custom_id: text(1, 100),
    component_type: z.literal(ComponentType.Button),
  }),
  message: z.looseObject({ id: snowflake, channel_id: snowflake }),
});

export const InteractionSchema = z.discriminatedUnion("type", [ping, command, button]);

export type PingInteraction = z.output<typeof ping>;
export type CommandInteraction = z.output<typeof command>;
export type ButtonInteraction = z.output<typeof button>;
export type Interaction = z.output<typeof InteractionSchema>;
export type CommandOption = z.output<typeof commandOption>;

export type ParseResult = { ok: true; interaction: Interaction } | { ok: false; reason: string };

/** Raw body → a checked interaction, or the reason it is malformed. Never throws. */
export function parseInteraction(body: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = InteractionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
    return { ok: false, reason: `${where}: ${issue?.message ?? "invalid interaction"}` };
  }
  return { ok: true, interaction: parsed.data };
}

// Compile-time: each parsed shape is a subset of the discord-api-types interaction it stands for
// (a drift makes `tsc` fail here).
type Subset<T extends U, U> = T;
type Ids = "id" | "type" | "application_id" | "token" | "version";
/** @public Exported only so Biome cannot call it unused, and marked so knip does not either. */
export type ShapeChecks = [
  Subset<PingInteraction, Pick<APIPingInteraction, Ids>>,
  Subset<CommandInteraction, Pick<APIChatInputApplicationCommandInteraction, Ids>>,
  Subset<CommandInteraction["data"], Pick<APIChatInputApplicationCommandInteraction["data"], "id" | "name" | "type">>,
  Subset<ButtonInteraction, Pick<APIMessageComponentButtonInteraction, Ids | "channel_id">>,
  Subset<ButtonInteraction["data"], Pick<APIMessageComponentButtonInteraction["data"], "custom_id" | "component_type">>,
];
