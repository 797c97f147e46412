// Messages about an open position: the exit alert (with its Close button) and the edits that
// follow it while the closing order works and once the position is closed.
import type { APIEmbedField } from "discord-api-types/v10";
import type { PositionRow } from "../../../drizzle/schema";
import { buildCustomId } from "../custom-id";
import { ButtonStyle, ComponentType } from "../enums";
import type { MessageBody } from "../port";
import { COLORS, discordTime, humanize, money, price, signedMoney, spreadName } from "./format";
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

const TRIGGER_ICONS: Record<string, string> = { profit_target: "🎯", stop_loss: "🛑", time_exit: "⏰" };

export function exitAlertMessage(position: PositionRow, decision: ExitDecision, view: MarkView): MessageBody {
  const icon = TRIGGER_ICONS[decision.trigger] ?? "⚠️";
  const losing = view.unrealizedPl !== null && view.unrealizedPl < 0;
  return finalizeMessage({
    embeds: [
      {
        title: `${icon} ${humanize(decision.trigger)}: ${spreadName(position)}`,
        color: losing ? COLORS.bad : COLORS.warn,
        description: `${decision.reason}\nTap **Close** to buy the spread back at a limit near the mark.`,
        fields: [
          {
            name: "P/L now",
            value: view.unrealizedPl === null ? "unavailable" : signedMoney(view.unrealizedPl),
            inline: true,
          },
          { name: "Mark", value: view.mark === null ? "unavailable" : `${price(view.mark)}/sh`, inline: true },
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

/** The alert after Close was tapped: no button, the order is working. */
export function closingMessage(position: PositionRow, closedBy: string | null = null): MessageBody {
  const who = closedBy ? ` by <@${closedBy}>` : "";
  return finalizeMessage({
    embeds: [
      {
        title: `⏳ Closing: ${spreadName(position)}`,
        color: COLORS.working,
        description: `Close requested${who} — order working.${reasonLine(position)}`,
        fields: positionFields(position),
        footer: { text: `position ${position.id}` },
      },
    ],
    components: [],
  });
}

export function closedMessage(position: PositionRow): MessageBody {
  const pl = position.realizedPl;
  const closedAt = position.closedAt === null ? "" : ` ${discordTime(position.closedAt)}`;
  const fields: APIEmbedField[] = [
    { name: "Realized P/L", value: pl === null ? "unavailable" : signedMoney(pl), inline: true },
    {
      name: "Closed at",
      value: position.closePrice === null ? "unavailable" : `${price(position.closePrice)}/sh`,
      inline: true,
    },
    ...positionFields(position),
  ];
  return finalizeMessage({
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
    { name: "Entry credit", value: `${price(p.entryCredit)}/sh × ${p.contracts}${closedPart}`, inline: true },
    { name: "Max loss", value: money(p.maxLoss), inline: true },
  ];
  if (p.status !== "closed" && p.realizedPl !== null)
    fields.push({ name: "Realized so far", value: signedMoney(p.realizedPl), inline: true });
  return fields;
}

function reasonLine(p: PositionRow): string {
  return p.closeReason ? `\nReason: ${humanize(p.closeReason)}` : "";
}
