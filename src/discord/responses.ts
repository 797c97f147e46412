// First responses to an interaction, the few shapes the router and handlers need.
import type { APIInteractionResponse, APIInteractionResponseChannelMessageWithSource } from "discord-api-types/v10";
import { InteractionResponseType, MessageFlags } from "./enums";

const CONTENT_MAX = 2000;

/** The answer to a replayed interaction (the router's, or the Approve claim's own refusal). */
export const ALREADY_HANDLED = "This interaction was already handled; nothing more was done.";

function clip(content: string): string {
  return content.length <= CONTENT_MAX ? content : `${content.slice(0, CONTENT_MAX - 1)}…`;
}

/** A message only the person who clicked or typed sees. */
export function ephemeral(content: string): APIInteractionResponseChannelMessageWithSource {
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content: clip(content), flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
  };
}

export const PONG: APIInteractionResponse = { type: InteractionResponseType.Pong };
