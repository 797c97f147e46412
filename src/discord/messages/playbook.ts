// /playbook: the rules the analyst reads, each with its scope, where it came from and the closed
// trades behind it; and the answer to a person's add, retire or restore.
import type { APIEmbedField } from "discord-api-types/v10";
import type { PlaybookRuleRow } from "../../../drizzle/schema";
import type { PlaybookListing } from "../../actions/playbook";
import { PROPOSED_BY } from "../../store/playbook";
import { MessageFlags } from "../enums";
import type { MessageBody } from "../port";
import { COLORS, signedMoney, strategyName } from "./format";
import { finalizeMessage } from "./limits";

/** Fields for active rules at most (Discord allows 25 fields; two are kept for the rest). */
const ACTIVE_SHOWN = 20;
const EVIDENCE_SHOWN = 6;

/** "SPY · bull puts · low IV rank", or "every idea" for a rule without a scope. */
export function ruleScope(rule: Pick<PlaybookRuleRow, "symbol" | "strategy" | "ivRegime">): string {
  const parts = [
    rule.symbol,
    rule.strategy ? `${strategyName(rule.strategy)}s` : null,
    rule.ivRegime ? `${rule.ivRegime} IV rank` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(" · ") : "every idea";
}

function origin(rule: PlaybookRuleRow): string {
  const when = `<t:${Math.floor(rule.createdAt / 1000)}:d>`;
  return rule.createdBy === PROPOSED_BY
    ? `proposed by the end of day ${when}`
    : `added by <@${rule.createdBy}> ${when}`;
}

function evidence(rule: PlaybookRuleRow, listing: PlaybookListing): string | null {
  if (rule.supportingTrades.length === 0) return null;
  const shown = rule.supportingTrades.slice(0, EVIDENCE_SHOWN).map((id) => {
    const review = listing.evidence.get(id);
    return review ? `#${id} ${signedMoney(review.realizedPl)}` : `#${id}`;
  });
  const more = rule.supportingTrades.length - shown.length;
  return `Trades: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

export function playbookMessage(listing: PlaybookListing): MessageBody {
  const active = listing.rules.filter((r) => r.status === "active");
  const retired = listing.rules.filter((r) => r.status === "retired");
  const fields: APIEmbedField[] = active.slice(0, ACTIVE_SHOWN).map((rule) => ({
    name: `Rule ${rule.id} · ${ruleScope(rule)}`,
    value: [rule.rule, evidence(rule, listing), `_${origin(rule)}_`].filter(Boolean).join("\n"),
  }));
  if (active.length > ACTIVE_SHOWN)
    fields.push({ name: "More", value: `${active.length - ACTIVE_SHOWN} more active rules not shown.` });
  if (retired.length > 0)
    fields.push({
      name: `Retired (${retired.length})`,
      value: retired.map((r) => `Rule ${r.id} · ${ruleScope(r)}: ${r.rule}`).join("\n"),
    });
  const reviewed = listing.evidence.size;
  const counts = `${active.length} active rule${active.length === 1 ? "" : "s"}, read by the analyst for the ideas they match · ${retired.length} retired · ${reviewed} closed trade${reviewed === 1 ? "" : "s"} reviewed.`;
  const how =
    listing.rules.length === 0
      ? "No rules yet. The end of day proposes one when at least 3 reviewed trades of a kind (symbol and strategy, and IV regime) point the same way; an allowed trader adds one with `/playbook action:add rule:<text>`."
      : "Retire one with `/playbook action:retire id:<n>`, bring it back with `action:restore`.";
  const description = `${counts}\n${how}`;
  return finalizeMessage({
    flags: MessageFlags.Ephemeral,
    embeds: [{ title: "📘 Playbook", color: COLORS.info, description, fields }],
    allowed_mentions: { parse: [] },
  });
}

export function ruleChangedMessage(rule: PlaybookRuleRow, change: "added" | "retired" | "restored", by: string) {
  const title = `Playbook: rule ${rule.id} ${change}`;
  const effect =
    change === "retired"
      ? "The analyst no longer reads it."
      : "The analyst reads it for matching ideas from the next scan.";
  return finalizeMessage({
    embeds: [
      {
        title,
        color: change === "retired" ? COLORS.muted : COLORS.info,
        description: `**${ruleScope(rule)}**: ${rule.rule}\n<@${by}> ${change} it. ${effect} (Kept in the audit log.)`,
      },
    ],
    allowed_mentions: { parse: [] },
  });
}
