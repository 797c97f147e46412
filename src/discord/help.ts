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
