// Discord fails an interaction that has no first response within 3 s of sending it. The bot's
// answers wait on D1 (a claim, a read) and /status on the broker too; when those are slow the
// router (endpoint.ts) acknowledges in time instead and delivers the answer once it is ready,
// through the interaction's webhook (its token lives 15 minutes):
// - a click: a deferred update (the card stays as it is), then the card edit the handler
//   returned, or its refusal as an ephemeral follow-up;
// - a command: an ephemeral "thinking…", replaced by the answer; a public answer (/halt's notice)
//   is posted as a follow-up under a short note, since a deferral's visibility cannot change.
import type { APIInteractionResponse, APIInteractionResponseCallbackData } from "discord-api-types/v10";
import { InteractionResponseType, MessageFlags } from "./enums";
import type { InteractionReplies, MessageBody } from "./port";
import type { Route } from "./route";

type InteractionKind = Route["kind"];

/**
 * How long after a request arrives the router waits for its handler before acknowledging:
 * Discord counts its 3 s from sending, and the acknowledgement has to travel back too.
 */
export const ANSWER_WITHIN_MS = 2_000;

/**
 * How long work after a late answer (placing the order, then editing the card) waits for its
 * delivery: the card's late edit goes first, and a Discord that is slow too does not hold the order.
 */
export const LATE_ANSWER_HEAD_START_MS = 1_000;

/** The first response when the answer is late: it promises one, and shows nothing yet to others. */
export function deferredAnswer(kind: InteractionKind): APIInteractionResponse {
  if (kind === "component") return { type: InteractionResponseType.DeferredMessageUpdate };
  return { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } };
}

const PUBLIC_BELOW = "Answered below (the bot was slow to answer).";

/** Delivers, after a deferredAnswer, what the handler answered. */
export async function deliverLate(
  replies: InteractionReplies,
  token: string,
  kind: InteractionKind,
  late: APIInteractionResponse,
): Promise<void> {
  // A handler that deferred itself (/scan, /performance: ephemeral, as the acknowledgement) edits
  // the original when its work is done.
  if (
    late.type === InteractionResponseType.DeferredChannelMessageWithSource ||
    late.type === InteractionResponseType.DeferredMessageUpdate ||
    !("data" in late) ||
    !late.data
  )
    return;
  if (late.type === InteractionResponseType.UpdateMessage) {
    await replies.editOriginal(token, messageOf(late.data));
    return;
  }
  if (late.type !== InteractionResponseType.ChannelMessageWithSource) return;
  const data = late.data as APIInteractionResponseCallbackData;
  const isEphemeral = ((data.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  if (kind === "command" && isEphemeral) {
    await replies.editOriginal(token, messageOf(data));
    return;
  }
  if (kind === "command") await replies.editOriginal(token, { content: PUBLIC_BELOW, allowed_mentions: { parse: [] } });
  // After the deferral (or the note above) a follow-up is a message of its own, with its own flags.
  await replies.followUp(token, { ...messageOf(data), ...(isEphemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}

/** The message fields of an interaction answer, as a webhook edit or follow-up takes them. */
function messageOf(data: APIInteractionResponseCallbackData): MessageBody {
  const message: MessageBody = { allowed_mentions: data.allowed_mentions ?? { parse: [] } };
  if (typeof data.content === "string") message.content = data.content;
  if (data.embeds) message.embeds = data.embeds;
  if (data.components) message.components = data.components as MessageBody["components"];
  return message;
}
