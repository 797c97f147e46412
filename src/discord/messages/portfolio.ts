// The /portfolio reply: one short block per open position, account totals on top.
import type { APIEmbedField } from "discord-api-types/v10";
import type { PositionRow } from "../../../drizzle/schema";
import { MessageFlags } from "../enums";
import type { MessageBody } from "../port";
import { COLORS, discordTime, humanize, money, price, signedMoney, spreadName } from "./format";
import { finalizeMessage, LIMITS } from "./limits";

export interface PortfolioView {
  positions: PositionRow[];
  buyingPower: number | null;
  equity: number | null;
  openRisk: number;
}

export function portfolioMessage(view: PortfolioView, options: { ephemeral?: boolean } = {}): MessageBody {
  const open = view.positions.filter((p) => p.status !== "closed");
  const totalPl = open.reduce((sum, p) => sum + (p.unrealizedPl ?? 0), 0);
  const marked = open.some((p) => p.unrealizedPl !== null);
  const summary = [
    `Equity ${view.equity === null ? "unavailable" : money(view.equity)} · buying power ${
      view.buyingPower === null ? "unavailable" : money(view.buyingPower)
    }`,
    `Open risk ${money(view.openRisk)} · ${open.length} position${open.length === 1 ? "" : "s"}${
      marked ? ` · P/L ${signedMoney(totalPl)}` : ""
    }`,
  ];
  // One field per position; the limits module would cut the 25th, so say how many are hidden.
  const room = LIMITS.fields - 1;
  const fields: APIEmbedField[] = open.slice(0, room).map(positionField);
  if (open.length > room) fields.push({ name: "…", value: `and ${open.length - room} more positions` });
  const body: MessageBody = {
    embeds: [
      {
        title: "Portfolio",
        color: COLORS.info,
        description: open.length === 0 ? `${summary.join("\n")}\n\nNo open positions.` : summary.join("\n"),
        fields,
      },
    ],
  };
  if (options.ephemeral) body.flags = MessageFlags.Ephemeral;
  return finalizeMessage(body);
}

function positionField(p: PositionRow): APIEmbedField {
  const pl = p.unrealizedPl === null ? "P/L unavailable" : `P/L **${signedMoney(p.unrealizedPl)}**`;
  const mark = p.mark === null ? "" : ` · mark ${price(p.mark)}`;
  const asOf = p.markedAt === null ? "" : ` ${discordTime(p.markedAt)}`;
  const lines = [
    `${pl}${mark}${asOf}`,
    `credit ${price(p.entryCredit)} × ${p.contracts} · max loss ${money(p.maxLoss)}`,
  ];
  if (p.status === "closing") lines.unshift("⏳ closing");
  if (p.exitAlert) lines.push(`⚠️ ${humanize(p.exitAlert)}`);
  // Alpaca's book disagrees, or the short leg was assigned early: what happened and what to do.
  if (p.attention) lines.push(`❗ ${p.attention}`);
  // The number /close takes.
  return { name: `${spreadName(p)} · position ${p.id}`, value: lines.join("\n") };
}
