// Who may do what. Discord cannot restrict who clicks a button, so every interaction is
// authorized here, in code, before any handler runs.
//
// - "act": anything that changes state or spends (approve, reject, close, /halt, /resume,
//   /scan, /playbook add, retire and restore). Only ALLOWED_USER_IDS, or members holding one of ALLOWED_ROLE_IDS.
// - "read": /help, /status, /portfolio, /performance, /playbook (listing) and the refresh button. Open to anyone who can see the
//   bot's channel (they already see every recommendation posted there), so they are allowed
//   from the configured channel for anyone, and from anywhere for the allowed users and roles.
//   Commands are registered guild-only (commands.ts), so there are no DMs to leak into.
import type { Config } from "../config";
import type { CommandName } from "./commands";
import type { Route } from "./route";

export type Access = "act" | "read";

const READ_ONLY_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  "help",
  "status",
  "portfolio",
  "performance",
]);

export function accessFor(route: Route): Access {
  // /playbook lists for anyone; adding, retiring or restoring a rule changes what the analyst reads.
  if (route.kind === "command" && route.name === "playbook")
    return (route.options.action ?? "list") === "list" ? "read" : "act";
  if (route.kind === "command") return READ_ONLY_COMMANDS.has(route.name) ? "read" : "act";
  return route.action.kind === "refresh" ? "read" : "act";
}

export interface Caller {
  userId: string;
  roleIds: readonly string[];
  channelId: string | undefined;
}

export function isTrader(config: Config, caller: Caller): boolean {
  const { allowedUserIds, allowedRoleIds } = config.discord;
  return allowedUserIds.includes(caller.userId) || caller.roleIds.some((role) => allowedRoleIds.includes(role));
}

export function mayUse(config: Config, caller: Caller, access: Access): boolean {
  if (isTrader(config, caller)) return true;
  return access === "read" && caller.channelId === config.discord.channelId;
}
