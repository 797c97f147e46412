// Which handler a checked interaction goes to: a slash command (its options checked against the
// one definition in commands.ts) or a button (its custom id parsed). Anything the bot does not
// define is malformed: the endpoint answers 400 and acts on nothing.

import { type CommandName, commandSpec, isCommandName } from "./commands";
import { type ComponentAction, parseCustomId } from "./custom-id";
import { ApplicationCommandOptionType, InteractionType } from "./enums";
import type { ButtonInteraction, CommandInteraction, CommandOption } from "./interaction-schema";

export type CommandOptions = Record<string, string | number | boolean>;

/** The route carries its interaction, so a handler gets the interaction type it expects. */
export type Route =
  | { kind: "command"; interaction: CommandInteraction; name: CommandName; options: CommandOptions }
  | { kind: "component"; interaction: ButtonInteraction; action: ComponentAction };

export type RouteResult = { ok: true; route: Route } | { ok: false; reason: string };

export function routeOf(interaction: CommandInteraction | ButtonInteraction): RouteResult {
  if (interaction.type === InteractionType.MessageComponent) {
    const parsed = parseCustomId(interaction.data.custom_id);
    return parsed.ok ? { ok: true, route: { kind: "component", interaction, action: parsed.value } } : parsed;
  }
  const name = interaction.data.name;
  if (!isCommandName(name)) return { ok: false, reason: `unknown command "/${name.slice(0, 32)}"` };
  const options = checkOptions(name, interaction.data.options ?? []);
  return options.ok ? { ok: true, route: { kind: "command", interaction, name, options: options.value } } : options;
}

function checkOptions(
  name: CommandName,
  given: CommandOption[],
): { ok: true; value: CommandOptions } | { ok: false; reason: string } {
  const specs = commandSpec(name).options;
  const out: CommandOptions = {};
  for (const option of given) {
    const spec = specs.find((s) => s.name === option.name);
    if (!spec) return { ok: false, reason: `/${name} has no option "${option.name}"` };
    if (Object.hasOwn(out, option.name)) return { ok: false, reason: `option "${option.name}" given twice` };
    if (spec.type !== option.type) return { ok: false, reason: `option "${option.name}" has the wrong type` };
    const problem = valueProblem(spec, option.value);
    if (problem) return { ok: false, reason: `option "${option.name}" ${problem}` };
    out[option.name] = option.value;
  }
  for (const spec of specs) {
    if (spec.required && !Object.hasOwn(out, spec.name)) {
      return { ok: false, reason: `/${name} needs option "${spec.name}"` };
    }
  }
  return { ok: true, value: out };
}

type OptionSpec = ReturnType<typeof commandSpec>["options"][number];

function valueProblem(spec: OptionSpec, value: string | number | boolean): string | null {
  switch (spec.type) {
    case ApplicationCommandOptionType.String:
      if (typeof value !== "string") return "must be text";
      if (spec.max_length !== undefined && value.length > spec.max_length)
        return `is longer than ${spec.max_length} characters`;
      if (spec.min_length !== undefined && value.length < spec.min_length)
        return `is shorter than ${spec.min_length} characters`;
      if (spec.choices && !spec.choices.some((c) => c.value === value))
        return `must be one of ${spec.choices.map((c) => c.value).join(", ")}`;
      return null;
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      if (typeof value !== "number" || !Number.isFinite(value)) return "must be a number";
      if (spec.type === ApplicationCommandOptionType.Integer && !Number.isInteger(value)) return "must be whole";
      if (spec.min_value !== undefined && value < spec.min_value) return `must be at least ${spec.min_value}`;
      if (spec.max_value !== undefined && value > spec.max_value) return `must be at most ${spec.max_value}`;
      return null;
    case ApplicationCommandOptionType.Boolean:
      return typeof value === "boolean" ? null : "must be true or false";
    default:
      return "is of a kind this bot does not take";
  }
}
