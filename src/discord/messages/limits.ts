// Discord's size limits, enforced in one place: every builder's output passes through
// `finalizeMessage`, so a 10 kB thesis or a long reason never turns into a 400 from Discord.
// Text is cut with "…"; structure (buttons, rows) over the limit is dropped. A custom id over
// 100 characters is a bug in our id scheme, not data, so it throws instead of being cut.
import type {
  APIActionRowComponent,
  APIButtonComponentWithCustomId,
  APIEmbed,
  APIEmbedField,
  RESTPostAPIChannelMessageJSONBody,
} from "discord-api-types/v10";
import { ComponentType } from "../enums";

export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
  customId: 100,
} as const;

const ELLIPSIS = "…";
/** Discord refuses empty field names and values. */
const EMPTY = "—";

/** Cuts `text` to at most `max` characters, ending with "…", never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  let end = max - ELLIPSIS.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, Math.max(0, end))}${ELLIPSIS}`;
}

function field(f: APIEmbedField): APIEmbedField {
  const out: APIEmbedField = {
    name: truncate(f.name.trim() || EMPTY, LIMITS.fieldName),
    value: truncate(f.value.trim() || EMPTY, LIMITS.fieldValue),
  };
  if (f.inline !== undefined) out.inline = f.inline;
  return out;
}

/** The characters Discord counts towards the 6000 total of an embed. */
export function embedLength(e: APIEmbed): number {
  let n = (e.title ?? "").length + (e.description ?? "").length;
  n += (e.footer?.text ?? "").length + (e.author?.name ?? "").length;
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

/** Applies every per-part limit, then shortens the longest texts until the total fits. */
export function clampEmbed(embed: APIEmbed, totalBudget: number = LIMITS.embedTotal): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, LIMITS.title);
  if (out.description !== undefined) out.description = truncate(out.description, LIMITS.description);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footer) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, LIMITS.author) };
  if (out.fields) {
    const fields = out.fields.map(field);
    if (fields.length > LIMITS.fields) {
      const dropped = fields.length - (LIMITS.fields - 1);
      out.fields = [...fields.slice(0, LIMITS.fields - 1), { name: EMPTY, value: `…and ${dropped} more` }];
    } else {
      out.fields = fields;
    }
  }
  shrinkToBudget(out, totalBudget);
  return out;
}

/** Repeatedly cuts the longest of description and field values; each pass shortens one text. */
function shrinkToBudget(e: APIEmbed, budget: number): void {
  let over = embedLength(e) - budget;
  while (over > 0) {
    const fields = e.fields ?? [];
    let longest = -1; // -1 = description
    let longestLen = (e.description ?? "").length;
    fields.forEach((f, i) => {
      if (f.value.length > longestLen) {
        longest = i;
        longestLen = f.value.length;
      }
    });
    if (longestLen <= 1) {
      // Only titles and names left: cut the title as a last resort.
      e.title = truncate(e.title ?? "", Math.max(1, (e.title ?? "").length - over));
      return;
    }
    const target = Math.max(1, longestLen - over);
    if (longest === -1) e.description = truncate(e.description ?? "", target);
    else {
      const f = fields[longest];
      if (f) fields[longest] = { ...f, value: truncate(f.value, target) };
    }
    over = embedLength(e) - budget;
  }
}

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** Lays buttons out 5 to a row, at most 5 rows; checks every custom id fits Discord's 100. */
export function buttonRows(buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  const rows: ButtonRow[] = [];
  for (let i = 0; i < buttons.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow).map(button) });
  }
  return rows;
}

function button(b: APIButtonComponentWithCustomId): APIButtonComponentWithCustomId {
  if (b.custom_id.length > LIMITS.customId) {
    throw new Error(`custom_id longer than ${LIMITS.customId} characters: ${b.custom_id.slice(0, 40)}…`);
  }
  return b.label === undefined ? b : { ...b, label: truncate(b.label, LIMITS.buttonLabel) };
}

/**
 * The last step of every builder. Always sets `components` (empty when none) so the same body
 * used as an edit removes buttons a previous state had.
 */
export function finalizeMessage(body: RESTPostAPIChannelMessageJSONBody): RESTPostAPIChannelMessageJSONBody {
  const out: RESTPostAPIChannelMessageJSONBody = { ...body, components: body.components ?? [] };
  if (out.content !== undefined) out.content = truncate(out.content, LIMITS.content);
  if (out.embeds) {
    // The 6000 budget is shared by all embeds of one message.
    const embeds = out.embeds.slice(0, LIMITS.embedsPerMessage);
    let budget: number = LIMITS.embedTotal;
    out.embeds = embeds.map((e, i) => {
      const share = Math.floor(budget / (embeds.length - i));
      const clamped = clampEmbed(e, share);
      budget -= embedLength(clamped);
      return clamped;
    });
  }
  out.components = out.components?.slice(0, LIMITS.rows);
  // Mentions render as names but never ping: the bot's messages are records, not alerts.
  out.allowed_mentions = out.allowed_mentions ?? { parse: [] };
  return out;
}
