// Short notices: breaker trips, halts and resumes, reconciliation alerts.
import { MessageFlags } from "../enums";
import type { MessageBody } from "../port";
import { COLORS, discordTime, haltedBy } from "./format";
import { finalizeMessage } from "./limits";

export type NoticeTone = "info" | "warn" | "danger";

const TONES: Record<NoticeTone, { color: number; icon: string }> = {
  info: { color: COLORS.info, icon: "ℹ️" },
  warn: { color: COLORS.warn, icon: "⚠️" },
  danger: { color: COLORS.bad, icon: "🛑" },
};

/** What clears a halt, manual or automatic. */
export const RESUME_HINT = "/resume clears it, once a person has looked. Exits and closes still work.";

/** A halt's reasons, a line each. */
export function haltReasons(reasons: readonly string[]): string {
  return reasons.length > 0 ? reasons.map((r) => `• ${r}`).join("\n") : "• (no reason recorded)";
}

/** The first scan of a day that a halt stopped: the channel hears it, or the bot only goes quiet. */
export function haltedScanNotice(breaker: {
  reasons: readonly string[];
  changedBy: string | null;
  changedAt: number | null;
}): MessageBody {
  const since = breaker.changedAt === null ? "" : ` ${discordTime(breaker.changedAt)}`;
  return noticeMessage(
    "Scan skipped: trading is halted",
    `Halted${haltedBy(breaker.changedBy)}${since}; no new ideas until a person resumes.\n${haltReasons(breaker.reasons)}\n${RESUME_HINT}`,
    "warn",
  );
}

export function noticeMessage(
  title: string,
  text: string,
  tone: NoticeTone,
  options: { ephemeral?: boolean } = {},
): MessageBody {
  const { color, icon } = TONES[tone];
  const body: MessageBody = { embeds: [{ title: `${icon} ${title}`, color, description: text }] };
  if (options.ephemeral) body.flags = MessageFlags.Ephemeral;
  return finalizeMessage(body);
}
