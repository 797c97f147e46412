// Short notices: breaker trips, halts and resumes, reconciliation alerts.
import { MessageFlags } from "../enums";
import type { MessageBody } from "../port";
import { COLORS } from "./format";
import { finalizeMessage } from "./limits";

export type NoticeTone = "info" | "warn" | "danger";

const TONES: Record<NoticeTone, { color: number; icon: string }> = {
  info: { color: COLORS.info, icon: "ℹ️" },
  warn: { color: COLORS.warn, icon: "⚠️" },
  danger: { color: COLORS.bad, icon: "🛑" },
};

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
