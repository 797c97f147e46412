// What the jobs and the endpoint need from Discord, in our words. The REST adapter
// (rest-client.ts) implements it with the bot token; the sandbox routes the same HTTP calls
// to the local channel.
import type { RESTPatchAPIChannelMessageJSONBody, RESTPostAPIChannelMessageJSONBody } from "discord-api-types/v10";

export type MessageBody = RESTPostAPIChannelMessageJSONBody;
export type MessageEdit = RESTPatchAPIChannelMessageJSONBody;

/** A Discord call that did not succeed after the allowed retries. */
export class DiscordError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "DiscordError";
  }
}

/** A file sent with a message; an embed shows an image file as `attachment://<name>`. */
export interface MessageFile {
  name: string;
  contentType: string;
  data: Uint8Array;
}

export interface DiscordChannel {
  /** Posts to the bot's channel; returns the new message id. */
  post(body: MessageBody, files?: MessageFile[]): Promise<{ id: string }>;
  edit(messageId: string, body: MessageEdit): Promise<void>;
}

/** Replies to an interaction after the first response (valid 15 minutes from the interaction). */
export interface InteractionReplies {
  editOriginal(interactionToken: string, body: MessageEdit, files?: MessageFile[]): Promise<void>;
  followUp(interactionToken: string, body: MessageBody & { flags?: number | undefined }): Promise<void>;
}
