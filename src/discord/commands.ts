// The slash commands: the one definition, imported by the router (endpoint.ts) and by
// scripts/register.ts, so what Discord shows and what the bot answers cannot drift.
// It imports nothing but discord-api-types types, ./enums.ts and the domain's PERIODS (with
// their extensions):
// scripts/register.ts runs it under plain `node` (type stripping), so no enums or other
// TypeScript-only syntax of our own here either.
import type {
  APIApplicationCommandOption,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { PERIODS } from "../domain/track-record.ts";
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
} from "./enums.ts";

/** /playbook's actions: list reads; the others change a rule (allowed traders only). */
export const PLAYBOOK_ACTIONS = ["list", "add", "retire", "restore"] as const;

interface CommandSpec {
  description: string;
  options: APIApplicationCommandOption[];
}

export const COMMAND_NAMES = [
  "status",
  "portfolio",
  "close",
  "performance",
  "playbook",
  "halt",
  "resume",
  "scan",
  "help",
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

const SPECS: Record<CommandName, CommandSpec> = {
  status: {
    description: "Breakers, the day's P/L against its loss limit, market clock, pending ideas",
    options: [],
  },
  portfolio: {
    description: "Open positions with their marks, P/L and risk",
    options: [],
  },
  close: {
    description: "Post an open position's card with its Close button, to close it before any exit rule says so",
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: "position",
        description: "The position's number, as /portfolio shows it",
        required: true,
        min_value: 1,
      },
    ],
  },
  performance: {
    description: "Track record: win rate, expectancy, profit factor, drawdown, P/L by symbol and strategy",
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: "period",
        description: "How far back (default: the last 30 days)",
        required: false,
        choices: PERIODS.map((p) => ({ name: p, value: p })),
      },
    ],
  },
  playbook: {
    description: "The rules the analyst reads and the trades behind them; traders add, retire or restore one",
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: "action",
        description: "What to do (default: list)",
        required: false,
        choices: PLAYBOOK_ACTIONS.map((a) => ({ name: a, value: a })),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: "rule",
        description: "add: the rule, in plain words",
        required: false,
        max_length: 300,
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: "id",
        description: "retire or restore: the rule's number, as /playbook lists it",
        required: false,
        min_value: 1,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: "symbol",
        description: "add: only for this symbol (default: every symbol)",
        required: false,
        max_length: 10,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: "strategy",
        description: "add: only for this strategy (default: both)",
        required: false,
        choices: [
          { name: "bull put", value: "bull_put" },
          { name: "bear call", value: "bear_call" },
        ],
      },
    ],
  },
  halt: {
    description: "Kill switch: stop all new trades until /resume",
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: "reason",
        description: "Why you are halting (kept in the audit log)",
        required: false,
        max_length: 200,
      },
    ],
  },
  resume: {
    description: "Clear a manual halt so approvals can trade again",
    options: [],
  },
  scan: {
    description: "Scan the watchlist now and post any recommendations",
    options: [],
  },
  help: {
    description: "What the bot does and the commands it understands",
    options: [],
  },
};

export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

export function commandSpec(name: CommandName): CommandSpec {
  return SPECS[name];
}

/** The body of PUT /applications/{app}/commands (or the guild variant). */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return COMMAND_NAMES.map((name) => ({
    name,
    type: ApplicationCommandType.ChatInput,
    description: SPECS[name].description,
    options: SPECS[name].options,
    // Guild only: no DMs, where nobody shares the trading channel.
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  }));
}
