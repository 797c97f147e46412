// The /status reply: is it safe to trade right now, and what is waiting or coming next.
import type { APIEmbedField } from "discord-api-types/v10";
import { newYorkParts } from "../../domain/market-time";
import { describeOptionsLevel, type OptionsLevels, optionsLevelProblem } from "../../domain/options-level";
import { MessageFlags } from "../enums";
import type { MessageBody } from "../port";
import { COLORS, discordTime, haltedBy, humanize, mention, modeMarker, money, percent, signedMoney } from "./format";
import { finalizeMessage } from "./limits";
import { haltReasons, RESUME_HINT } from "./notice";

export interface StatusView {
  mode: "paper" | "live";
  /** null when the broker's clock could not be read. */
  market: { isOpen: boolean; nextOpen: number; nextClose: number } | null;
  /** The account's options levels; null when the account could not be read. */
  optionsLevel: OptionsLevels | null;
  breaker: { halted: boolean; reasons: string[]; changedBy: string | null; changedAt: number | null };
  pending: { id: string; title: string; expiresAt: number }[];
  /** startedAt: when the run happened; scheduledTime: the slot it ran for. */
  lastRuns: { job: string; startedAt: number; scheduledTime: number; outcome: string; reason?: string | null }[];
  /** note: "with the positions review", "every 5 minutes in the session"… */
  nextRuns: { job: string; at: number; note?: string }[];
  /** Who writes theses: "Claude (claude-sonnet-5-5)" or "Rule-based analyst". */
  analyst: string;
  /** The day's numbers the loss and risk limits are judged on; null when the records could not be read. */
  today: TodayView | null;
  /** Discord refused a post or an edit within the last hour: messages may be missing. */
  discordFailure?: { at: number; message: string } | null;
}

/** The day's P/L as the daily loss breaker counts it, and the open book against the entry limits. */
export interface TodayView {
  pl: number;
  /** Realized since the last close: trades closed today, parts of open ones closed since. */
  realized: number;
  /** The open positions' P/L at the mark, less where the last close left them. */
  openSinceLastClose: number;
  /** Positions without a mark (their quote was missing): the day's P/L leaves them out. */
  unmarked: string[];
  /** The daily loss limit in dollars; null when the equity is unknown. */
  lossLimit: number | null;
  lossLimitPct: number;
  openPositions: number;
  maxOpenPositions: number;
  openRisk: number;
  /** The total risk limit in dollars; null when the equity is unknown. */
  riskLimit: number | null;
  riskLimitPct: number;
}

const MAX_LISTED = 8;

export function statusMessage(view: StatusView, options: { ephemeral?: boolean } = {}): MessageBody {
  const levelProblem = view.optionsLevel !== null && optionsLevelProblem(view.optionsLevel) !== null;
  const fields: APIEmbedField[] = [
    { name: "Trading", value: breakerText(view.breaker), inline: false },
    { name: "Today", value: todayText(view.today), inline: false },
    { name: "Market", value: marketText(view.market), inline: true },
    // A level below 3 is a paragraph (what to change at Alpaca): it gets the full width.
    { name: "Options level", value: optionsLevelText(view.optionsLevel), inline: !levelProblem },
    { name: "Analyst", value: view.analyst, inline: true },
    { name: `Pending (${view.pending.length})`, value: pendingText(view.pending) },
    ...(view.discordFailure
      ? [
          {
            name: "⚠️ Discord",
            value: `Refused a post or edit ${discordTime(view.discordFailure.at)}: ${view.discordFailure.message}\nIdeas and alerts may be missing from the channel; the Worker's logs have each one.`,
          },
        ]
      : []),
    { name: "Last runs", value: list(view.lastRuns.map(runText), "no runs yet") },
    {
      name: "Next runs",
      value: list(view.nextRuns.map(nextRunText), "none scheduled"),
    },
  ];
  const body: MessageBody = {
    embeds: [
      {
        title: `Status · ${modeMarker(view.mode)}`,
        color: view.breaker.halted ? COLORS.bad : view.mode === "live" ? COLORS.warn : COLORS.good,
        fields,
      },
    ],
  };
  if (options.ephemeral) body.flags = MessageFlags.Ephemeral;
  return finalizeMessage(body);
}

function breakerText(b: StatusView["breaker"]): string {
  const since = b.changedAt === null ? "" : ` ${discordTime(b.changedAt)}`;
  if (!b.halted) {
    const person = b.changedBy?.match(/^\d+$/) ? mention(b.changedBy) : null;
    return `🟢 **Trading allowed** — breakers clear${person ? `, reset by ${person}` : ""}${since}`;
  }
  // Without a who, the state itself could not be read: /resume is no cure for that.
  const hint = b.changedBy === null ? "" : `\n${RESUME_HINT}`;
  return `🛑 **HALTED**${haltedBy(b.changedBy)}${since}: approvals are refused\n${haltReasons(b.reasons)}${hint}`;
}

/**
 * "P/L −$404: 20% of the −$1,997 daily loss limit (2% of equity)", how it adds up, and the open
 * book against its limits, each as the share used: what a trader checks before approving on a
 * bad morning.
 */
function todayText(t: StatusView["today"]): string {
  if (t === null) return "unknown (the bot's records could not be read)";
  const lossLimit =
    t.lossLimit === null
      ? ` · the daily loss limit is ${percent(t.lossLimitPct)} of equity (equity unknown)`
      : `${t.pl < 0 ? `: ${used(-t.pl, t.lossLimit)} of` : " ·"} the ${signedMoney(-t.lossLimit)} daily loss limit (${percent(t.lossLimitPct)} of equity)`;
  const riskLimit =
    t.riskLimit === null
      ? ` · the limit is ${percent(t.riskLimitPct)} of equity (equity unknown)`
      : `: ${used(t.openRisk, t.riskLimit)} of the ${money(t.riskLimit)} limit (${percent(t.riskLimitPct)} of equity)`;
  return [
    `P/L **${signedMoney(t.pl)}**${lossLimit}`,
    `realized ${signedMoney(t.realized)} · open positions ${signedMoney(t.openSinceLastClose)} since the last close`,
    ...(t.unmarked.length > 0 ? [`⚠️ no mark for ${t.unmarked.join(", ")}: left out, and entries are refused`] : []),
    `${t.openPositions} of ${t.maxOpenPositions} positions open · ${money(t.openRisk)} at risk${riskLimit}`,
  ].join("\n");
}

/** How much of a limit is used, in whole percent. */
const used = (amount: number, limit: number) => percent(limit > 0 ? amount / limit : 0);

function marketText(m: StatusView["market"]): string {
  if (m === null) return "unknown (broker clock unavailable)";
  return m.isOpen ? `open · closes ${discordTime(m.nextClose)}` : `closed · opens ${discordTime(m.nextOpen)}`;
}

function optionsLevelText(levels: StatusView["optionsLevel"]): string {
  if (levels === null) return "unknown (account unavailable)";
  const problem = optionsLevelProblem(levels);
  return problem ? `⚠️ ${problem}` : `${describeOptionsLevel(levels.trading)} ✅`;
}

function pendingText(pending: StatusView["pending"]): string {
  if (pending.length === 0) return "nothing waiting";
  const shown = pending.slice(0, MAX_LISTED).map((p) => `${p.title} · expires ${discordTime(p.expiresAt)}`);
  if (pending.length > MAX_LISTED) shown.push(`…and ${pending.length - MAX_LISTED} more`);
  return shown.join("\n");
}

/** A run that started this long after (or before) its slot names the slot too: it ran on demand or late. */
const OFF_SLOT_MS = 5 * 60_000;

/** "✅ eod 09:55 New York (<t:…:R>) · for the 16:15 slot": when it ran, in New York time and relative. */
function runText(r: StatusView["lastRuns"][number]): string {
  const icon = r.outcome === "ran" ? "✅" : r.outcome === "failed" ? "❌" : r.outcome === "running" ? "⏳" : "⏭️";
  const why = r.reason ? ` — ${humanize(r.reason)}` : "";
  const slot =
    Math.abs(r.startedAt - r.scheduledTime) >= OFF_SLOT_MS
      ? ` · for the ${newYorkParts(r.scheduledTime).time} slot`
      : "";
  return `${icon} ${r.job} ${newYorkParts(r.startedAt).time} New York (${discordTime(r.startedAt)})${slot}${why}`;
}

/** "scan 12:00 New York (<t:…:R>) · with the positions review". */
function nextRunText(r: StatusView["nextRuns"][number]): string {
  return `${r.job} ${newYorkParts(r.at).time} New York (${discordTime(r.at)})${r.note ? ` · ${r.note}` : ""}`;
}

function list(lines: string[], empty: string): string {
  return lines.length === 0 ? empty : lines.slice(0, MAX_LISTED).join("\n");
}
