// The /help text: every command with its description, from the one definition in commands.ts,
// the buttons, and who may use what. Kept out of commands.ts, which scripts/register.ts runs
// under plain node.
import { COMMAND_NAMES, commandSpec } from "./commands";

const BUTTONS_HELP = [
  "**Buttons**",
  "**Approve N · 1× / 2× / max**: place the recommended spread with N contracts (rechecked first: expiry, price drift, market open, breakers).",
  "**Reject**: decline the recommendation.",
  "**Close**: buy an open position back. The limit starts at the mid and, while it does not fill, walks to the natural price (the short's ask less the long's bid), which fills at once.",
  "**Sell / Buy back N shares**: after an assignment or exercise, flatten the shares Alpaca holds with one market order.",
];

/** The exit rules the monitor alerts on, as configured (ExitRules in config.ts). */
export interface HelpExits {
  profitTargetPct: number;
  stopLossPct: number;
  exitDte: number;
}

/** The /help text: every command with its description, from commands.ts, and who may use what. */
export function helpText(exits: HelpExits): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
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
    "**Exits**",
    `The monitor checks the open positions every 5 minutes and posts a Close alert at the profit target (${pct(exits.profitTargetPct)} of the credit kept), at the stop (a loss of ${pct(exits.stopLossPct)} of the credit, calling the traders), and ${exits.exitDte} days before expiry. To close at any other time: /portfolio numbers the positions, /close posts one's card. After an assignment the bot says what the account holds and offers to flatten the shares.`,
    "",
    "Anyone in this channel may use /help, /status, /portfolio, /performance and list the /playbook. Only the allowed traders may approve, reject, close, change the playbook, /halt, /resume and /scan.",
  ].join("\n");
}
