// Messages about an open position: the exit alert (with its Close button) and the edits that
// follow it while the closing order works and once the position is closed.
import type { APIEmbedField } from "discord-api-types/v10";
import type { PositionRow } from "../../../drizzle/schema";
import { buildCustomId } from "../custom-id";
import { ButtonStyle, ComponentType } from "../enums";
import type { MessageBody } from "../port";
import { COLORS, discordTime, humanize, money, price, signedMoney, spreadName, walkPath } from "./format";
import { buttonRows, finalizeMessage } from "./limits";

export interface ExitDecision {
  /** e.g. "profit_target", "stop_loss", "time_exit" */
  trigger: string;
  reason: string;
}

export interface MarkView {
  /** Debit per share to close now. */
  mark: number | null;
  unrealizedPl: number | null;
}

const TRIGGER_ICONS: Record<string, string> = {
  profit_target: "🎯",
  stop_loss: "🛑",
  time_exit: "⏰",
  expiry_day: "📅",
  expiry_warning: "🚨",
  close_requested: "✋",
};

export interface AlertOptions {
  /** Posted again because nobody acted on the earlier one. */
  repeat?: boolean;
  /** Who the alert calls (pinged), for a stop or an expiry-day warning. */
  mention?: { userIds: string[]; roleIds: string[] } | null;
}

export function exitAlertMessage(
  position: PositionRow,
  decision: ExitDecision,
  view: MarkView,
  options: AlertOptions = {},
): MessageBody {
  const icon = TRIGGER_ICONS[decision.trigger] ?? "⚠️";
  const losing = view.unrealizedPl !== null && view.unrealizedPl < 0;
  const urgent = decision.trigger === "stop_loss" || decision.trigger === "expiry_warning";
  const still = options.repeat ? " (still holds)" : "";
  const mention = options.mention;
  const callOut = mention
    ? [...mention.userIds.map((id) => `<@${id}>`), ...mention.roleIds.map((id) => `<@&${id}>`)].join(" ")
    : "";
  return finalizeMessage({
    // Always set: the same body edits a message that may carry an earlier call-out.
    content: callOut ? `${callOut} ${options.repeat ? "nobody has closed this yet" : "this needs a decision"}` : "",
    ...(callOut
      ? { allowed_mentions: { parse: [], users: mention?.userIds ?? [], roles: mention?.roleIds ?? [] } }
      : {}),
    embeds: [
      {
        title: `${icon} ${humanize(decision.trigger)}${still}: ${spreadName(position)}`,
        color: losing || urgent ? COLORS.bad : COLORS.warn,
        description: `${decision.reason}\nTap **Close** to buy the spread back: the limit starts at the mid and walks to the natural price if it does not fill.`,
        fields: [
          {
            name: "P/L now",
            value: view.unrealizedPl === null ? missingMark(position) : signedMoney(view.unrealizedPl),
            inline: true,
          },
          { name: "Mark", value: view.mark === null ? missingMark(position) : `${price(view.mark)}/sh`, inline: true },
          ...positionFields(position),
        ],
        footer: { text: `position ${position.id}` },
      },
    ],
    components: buttonRows([
      {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: `Close ${position.contracts}`,
        custom_id: buildCustomId({ kind: "close", positionId: position.id }),
      },
    ]),
  });
}

/** A position the monitor has not marked since it opened, or whose last mark failed. */
const missingMark = (p: PositionRow) => (p.markedAt === null ? "not marked yet" : "unavailable");

/** An earlier alert once a newer one is posted: no button, so only the newest one acts. */
export function repeatedAlertMessage(position: PositionRow, trigger: string): MessageBody {
  return finalizeMessage({
    content: "", // an edit keeps the old content otherwise: the call-out belongs to the newest alert
    embeds: [
      {
        title: `↓ ${humanize(trigger)}, posted again below: ${spreadName(position)}`,
        color: COLORS.muted,
        description: "A newer alert for this position is further down the channel; its Close button acts.",
        footer: { text: `position ${position.id}` },
      },
    ],
    components: [],
  });
}

/** The alert after Close was tapped: no button; the order is being sent, or is working. */
export function closingMessage(position: PositionRow, closedBy: string | null = null): MessageBody {
  const who = closedBy ? ` by <@${closedBy}>` : "";
  return finalizeMessage({
    content: "", // the alert's call-out is answered
    embeds: [
      {
        title: `⏳ Closing: ${spreadName(position)}`,
        color: COLORS.working,
        // Until the order is sent (the market checked, the legs priced) nothing is working yet.
        description: `Close requested${who} — ${(position.closeWalk ?? []).length === 0 ? "checking the market, then sending the order" : `order working${closeLimit(position)}`}.${reasonLine(position)}`,
        fields: positionFields(position),
        footer: { text: `position ${position.id}` },
      },
    ],
    components: [],
  });
}

/** The close's limit, and every price it walked through: " at $3.45 → $3.52 debit". */
function closeLimit(position: PositionRow): string {
  const walk = position.closeWalk ?? [];
  if (walk.length === 0) return "";
  return `${walk.length > 1 ? ", limit walked" : " at"} ${walkPath(walk)} debit`;
}

export function closedMessage(position: PositionRow): MessageBody {
  const pl = position.realizedPl;
  const closedAt = position.closedAt === null ? "" : ` ${discordTime(position.closedAt)}`;
  const fields: APIEmbedField[] = [
    { name: "Realized P/L", value: pl === null ? "unavailable" : signedMoney(pl), inline: true },
    // Settled by delivering shares: what matters is the price they were booked at.
    position.sharesMark !== null
      ? { name: `${position.symbol} shares booked at`, value: price(position.sharesMark), inline: true }
      : {
          // Over every contract closed, whichever order closed it (a part at Alpaca, the rest by the bot).
          name: (position.openedContracts ?? position.contracts) > 1 ? "Average close" : "Closed at",
          value: position.closePrice === null ? "unavailable" : `${price(position.closePrice)}/sh`,
          inline: true,
        },
    ...positionFields(position),
  ];
  return finalizeMessage({
    content: "",
    embeds: [
      {
        title: `${pl !== null && pl < 0 ? "🔻" : "✅"} Closed: ${spreadName(position)}`,
        color: pl !== null && pl < 0 ? COLORS.bad : COLORS.good,
        description: `Position closed${closedAt}.${reasonLine(position)}`,
        fields,
        footer: { text: `position ${position.id}` },
      },
    ],
    components: [],
  });
}

/** Picks the rendering from the position's status (open positions need an alert decision). */
export function positionUpdateMessage(position: PositionRow): MessageBody | null {
  if (position.status === "closing") return closingMessage(position);
  if (position.status === "closed") return closedMessage(position);
  return null;
}

function positionFields(p: PositionRow): APIEmbedField[] {
  const opened = p.openedContracts ?? p.contracts;
  const closedPart =
    p.status !== "closed" && opened > p.contracts ? ` (${opened - p.contracts} of ${opened} closed)` : "";
  const fields: APIEmbedField[] = [
    // A closed position's row keeps 1 contract for the record: the card says what was traded.
    {
      name: "Entry credit",
      value: `${price(p.entryCredit)}/sh × ${p.status === "closed" ? opened : p.contracts}${closedPart}`,
      inline: true,
    },
    { name: "Max loss", value: money(p.maxLoss), inline: true },
  ];
  if (p.status !== "closed" && p.realizedPl !== null)
    fields.push({ name: "Realized so far", value: signedMoney(p.realizedPl), inline: true });
  return fields;
}

function reasonLine(p: PositionRow): string {
  return p.closeReason ? `\nReason: ${humanize(p.closeReason)}` : "";
}
