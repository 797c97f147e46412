// The recommendation message, one rendering per status. The same function draws the first
// post (pending, with Approve/Reject) and every later edit (buttons gone, outcome shown), so
// the channel always tells the truth about where a trade stands.
import type { APIButtonComponentWithCustomId, APIEmbed, APIEmbedField } from "discord-api-types/v10";
import type { RecommendationRow } from "../../../drizzle/schema";
import type { Config } from "../../config";
import { ATM_IV_TENOR_DAYS } from "../../domain/atm-iv";
import { describeEvents } from "../../domain/events";
import { daysToExpiration } from "../../domain/market-time";
import { buildCustomId } from "../custom-id";
import { ButtonStyle, ComponentType } from "../enums";
import type { MessageBody } from "../port";
import {
  COLORS,
  discordTime,
  isoTime,
  mention,
  modeMarker,
  money,
  percent,
  price,
  signedMoney,
  spreadName,
  strike,
  walkPath,
} from "./format";
import { buttonRows, finalizeMessage } from "./limits";

export interface RecommendationView {
  now: number;
  /** One Approve button per choice, e.g. { label: "2", contracts: 2 }. */
  sizeChoices: { label: string; contracts: number }[];
  mode: "paper" | "live";
  dte: number;
  /** Alpaca's option feed the quotes came from. */
  dataFeed: "indicative" | "opra";
  /** The bot's time exit, days before expiry (the second probability is about it). */
  exitDte: number;
  /** Whether an entry's first limit is the mid (a limit walk starts there) or the fill estimate (no walk). */
  limitStartsAtMid: boolean;
  /** The position its fill opened, once there is one: the number /portfolio and /close use. */
  positionId?: number | null;
}

// What the embed needs beyond the row: the size buttons, the mode and the DTE now. One place,
// used by the scan (first post) and by every later edit.
/**
 * 1×, 2× and max, without repeats: the contracts a person may approve. The label leads with the
 * number of contracts ("Approve 5 · 1×"), so nobody reads "1×" as one contract.
 */
export function sizeChoices(contracts: number, maxContracts: number): { label: string; contracts: number }[] {
  const choices = [
    { size: "1×", contracts },
    { size: "2×", contracts: Math.min(contracts * 2, maxContracts) },
    { size: "max", contracts: maxContracts },
  ];
  return choices
    .filter((c, i) => c.contracts >= 1 && choices.findIndex((d) => d.contracts === c.contracts) === i)
    .map((c) => ({ label: `${c.contracts} · ${c.size}`, contracts: c.contracts }));
}

export function recommendationView(rec: RecommendationRow, config: Config, now: number): RecommendationView {
  return {
    now,
    sizeChoices: sizeChoices(rec.contracts, rec.maxContracts),
    mode: config.mode,
    // A decided or expired idea keeps the DTE it was offered at: the card describes it as it was.
    dte: daysToExpiration(rec.expiration, rec.status === "pending" ? now : rec.createdAt),
    dataFeed: config.alpaca.dataFeed,
    exitDte: config.exits.exitDte,
    limitStartsAtMid: config.risk.limitWalkSteps > 0,
  };
}

export function recommendationMessage(rec: RecommendationRow, view: RecommendationView): MessageBody {
  const title = `${spreadName(rec, view.now)} (${view.dte} DTE)`;
  const footer = { text: `${modeMarker(view.mode)} · rec ${rec.id}` };
  const base: APIEmbed = { title, footer, timestamp: isoTime(rec.createdAt) };
  switch (rec.status) {
    case "pending":
      return finalizeMessage({ embeds: [pendingEmbed(rec, view, base)], components: buttonRows(buttons(rec, view)) });
    case "approving":
      // The reason, when there is one, says the order's fate is unknown and is being checked.
      return outcome(
        base,
        COLORS.working,
        `⏳ Approved by ${mention(rec.decidedBy)} — placing order…${rec.statusReason ? `\n${rec.statusReason}` : ""}`,
        rec,
      );
    case "submitted": {
      const part = rec.filledContracts ? `**Filled ${rec.filledContracts} of ${rec.contracts}** so far` : null;
      const head = part ? `📨 ${part} — the rest is working` : "📨 **Order submitted** — waiting for the fill";
      return outcome(base, COLORS.working, `${head}\n${orderLine(rec, view)}`, rec);
    }
    case "filled": {
      const filled = rec.filledContracts ?? rec.contracts;
      const at = rec.fillCredit === null ? "" : ` at ${price(rec.fillCredit)} credit`;
      const position = view.positionId ? ` · position ${view.positionId}` : "";
      if (filled >= rec.contracts)
        return outcome(base, COLORS.good, `✅ **Filled${at}**${position}\n${orderLine(rec, view)}`, rec);
      const rest = rec.contracts - filled;
      const head = `✅ **Filled ${filled} of ${rec.contracts}${at}**; ${rest} canceled${position}`;
      return outcome(base, COLORS.good, `${head}\n${reason(rec)}\n${orderLine(rec, view)}`, rec);
    }
    case "refused":
      return outcome(base, COLORS.bad, `⛔ **Refused — no order was sent**\n${reason(rec)}`, rec);
    case "failed":
      return outcome(base, COLORS.bad, `❌ **Order failed**\n${reason(rec)}\n${orderLine(rec, view)}`, rec);
    case "rejected":
      return outcome(base, COLORS.muted, `✋ Rejected by ${mention(rec.decidedBy)}${when(rec.decidedAt)}`, rec);
    case "expired":
      return outcome(
        base,
        COLORS.muted,
        `⌛ **${rec.brokerOrderId ? "Order ended unfilled" : "Expired unanswered"}**${rec.statusReason ? `\n${rec.statusReason}` : ""}`,
        rec,
      );
  }
}

function pendingEmbed(rec: RecommendationRow, view: RecommendationView, base: APIEmbed): APIEmbed {
  const confidence = rec.confidence === null ? "" : ` · confidence ${percent(rec.confidence)}`;
  const fields: APIEmbedField[] = [
    ...keyFields(rec, view),
    // At expiry, where the trade books $0: the entry's fees moved it (an expiry pays no more).
    { name: "Breakeven", value: `${price(rec.breakeven)} at expiry, incl. entry fees`, inline: true },
    { name: ivRankName(rec), value: rec.ivRank === null ? "unavailable" : rec.ivRank.toFixed(0), inline: true },
    { name: "Short Δ", value: rec.shortDelta === null ? "unavailable" : rec.shortDelta.toFixed(2), inline: true },
    { name: "Size", value: `${rec.contracts} suggested · max ${rec.maxContracts}`, inline: true },
  ];
  if (rec.edge !== null && rec.referenceVolatility !== null)
    fields.push({
      name: "Edge",
      // A minus alarms without its meaning: the credit is under the spread's value at that IV.
      value: `${signedMoney(rec.edge)}/ct vs ATM IV ${percent(rec.referenceVolatility, 1)}${rec.edge < 0 ? " (credit under its value there)" : ""}`,
      inline: true,
    });
  fields.push({ name: "Quotes", value: quoteAge(rec, view.dataFeed), inline: true });
  // The ex-dividend and blackout dates checked before expiry (rows from before the check: none).
  if (rec.events) fields.push({ name: "Events", value: describeEvents(rec.events, rec.strategy) });
  fields.push({ name: `Thesis — ${rec.analyst}${confidence}`, value: rec.thesis });
  if (rec.risks.length > 0) fields.push({ name: "Risks", value: rec.risks.map((r) => `• ${r}`).join("\n") });
  return {
    ...base,
    color: view.mode === "live" ? COLORS.bad : COLORS.pending,
    description: [
      `**${modeMarker(view.mode)}** · ${rec.symbol} at ${price(rec.underlyingPrice)}`,
      `Expires ${discordTime(rec.expiresAt)} — nothing trades unless you tap Approve.`,
    ].join("\n"),
    fields,
  };
}

/**
 * "IV rank of 30-day ATM IV (32 days)": what is ranked (a constant-maturity at-the-money IV,
 * atm-iv.ts) and over how much history (a month's rank is not a year's).
 */
function ivRankName(rec: RecommendationRow): string {
  const what = `IV rank of ${ATM_IV_TENOR_DAYS}-day ATM IV`;
  return rec.ivRankDays === null ? what : `${what} (${rec.ivRankDays} days)`;
}

/** The feed and how old the older leg's quote was when the card was made. */
function quoteAge(rec: RecommendationRow, feed: "indicative" | "opra"): string {
  const name = feed === "opra" ? "OPRA" : "indicative (delayed)";
  if (rec.quotesAt === null) return `${name} · age unknown`;
  const seconds = Math.max(0, Math.round((rec.createdAt - rec.quotesAt) / 1000));
  return `${name} · ${seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`} old`;
}

/**
 * Credit, max loss and the odds first: what a trader reads on a phone before anything else.
 * The credit is the fillable estimate the trade was screened and sized at; mid and natural
 * beside it say what the market shows. The odds are named for what they are.
 */
function keyFields(rec: RecommendationRow, view?: Pick<RecommendationView, "exitDte">): APIEmbedField[] {
  if (rec.fillCredit !== null) return [...filledFields(rec, rec.fillCredit), oddsField(rec, view)];
  const total = rec.credit * 100 * rec.contracts;
  const prices =
    rec.midCredit !== null && rec.naturalCredit !== null
      ? `\nmid ${price(rec.midCredit)} · natural ${price(rec.naturalCredit)}`
      : "";
  return [
    { name: "Credit", value: `${price(rec.credit)}/sh · ${money(total)} for ${rec.contracts}${prices}`, inline: true },
    // Closed at the full width, both fills' fees paid (fees.ts): to the cent, so the fees show.
    {
      name: "Max loss",
      value: `${price(rec.maxLoss * rec.contracts)} (${price(rec.maxLoss)}/ct incl. fees)`,
      inline: true,
    },
    oddsField(rec, view),
  ];
}

/**
 * Once the entry filled, the credit and max loss of what filled: the card's own were estimates.
 * The max loss moves cent for cent with the credit (fees.ts spreadMaxLoss is linear in it).
 */
function filledFields(rec: RecommendationRow, fill: number): APIEmbedField[] {
  const contracts = rec.filledContracts ?? rec.contracts;
  const maxLoss = Math.round((rec.maxLoss - (fill - rec.credit) * 100) * 100) / 100;
  return [
    {
      name: "Credit filled",
      value: `${price(fill)}/sh · ${money(fill * 100 * contracts)} for ${contracts}\nthe card estimated ${price(rec.credit)}`,
      inline: true,
    },
    {
      name: "Max loss",
      // "for 3" while the rest of a partly filled order may still fill at its own price.
      value: `${price(maxLoss * contracts)}${contracts < rec.contracts ? ` for ${contracts}` : ""} (${price(maxLoss)}/ct incl. fees)`,
      inline: true,
    },
  ];
}

function oddsField(rec: RecommendationRow, view?: Pick<RecommendationView, "exitDte">): APIEmbedField {
  const odds = [
    rec.probabilityOfProfit === null ? "unavailable" : `${percent(rec.probabilityOfProfit)} at expiry`,
    ...(rec.profitAtExitProbability !== null && view
      ? [`${percent(rec.profitAtExitProbability)} at the ${view.exitDte}-DTE exit`]
      : []),
  ];
  return { name: "Chance of profit", value: odds.join("\n"), inline: true };
}

function buttons(rec: RecommendationRow, view: RecommendationView): APIButtonComponentWithCustomId[] {
  const approve = view.sizeChoices.map(
    (choice): APIButtonComponentWithCustomId => ({
      type: ComponentType.Button,
      style: ButtonStyle.Success,
      label: `Approve ${choice.label}`,
      custom_id: buildCustomId({ kind: "approve", recId: rec.id, contracts: choice.contracts }),
    }),
  );
  const reject: APIButtonComponentWithCustomId = {
    type: ComponentType.Button,
    style: ButtonStyle.Danger,
    label: "Reject",
    custom_id: buildCustomId({ kind: "reject", recId: rec.id }),
  };
  // Reject always shows: at most 4 approve sizes share the first row with it.
  return [...approve.slice(0, 4), reject];
}

function outcome(base: APIEmbed, color: number, description: string, rec: RecommendationRow): MessageBody {
  return finalizeMessage({ embeds: [{ ...base, color, description, fields: keyFields(rec) }], components: [] });
}

function orderLine(rec: RecommendationRow, view: Pick<RecommendationView, "limitStartsAtMid">): string {
  const parts = [`${rec.contracts} × ${strike(rec.shortStrike)}/${strike(rec.longStrike)}`];
  if (rec.limitPrice !== null) {
    // The order goes at the price the market gives at the tap: the mid when a walk starts there,
    // else the fill estimate. Said when it differs from the card's own price of the same kind.
    // A walked limit shows every price it worked at; a working one, the floor it stops at.
    const limit = Math.abs(rec.limitPrice);
    const walk = rec.limitWalk ?? [];
    const walked = walk.length > 1;
    const [kind, carded] = view.limitStartsAtMid ? ["mid", rec.midCredit] : ["fill estimate", rec.credit];
    const moved =
      !walked && carded !== null && Math.abs(limit - carded) >= 0.005
        ? ` (the ${kind} now; ${price(carded)} on the card)`
        : "";
    const floor = rec.status === "submitted" && rec.limitFloor !== null ? `, never below ${price(rec.limitFloor)}` : "";
    parts.push(`${walked ? `limit walked ${walkPath(walk)}` : `limit ${price(limit)}`} credit${moved}${floor}`);
  }
  if (rec.brokerOrderId) parts.push(`order \`${rec.brokerOrderId}\``);
  parts.push(`by ${mention(rec.decidedBy)}${when(rec.decidedAt)}`);
  return parts.join(" · ");
}

function reason(rec: RecommendationRow): string {
  return rec.statusReason ? `> ${rec.statusReason.replace(/\n/g, "\n> ")}` : "> (no reason recorded)";
}

function when(at: number | null): string {
  return at === null ? "" : ` ${discordTime(at)}`;
}
