// The Discord REST API as the bot calls it (https://discord.com/api/v10/...), answered from the
// local channel with Discord's status codes, error bodies and checks (bot token, channel,
// application id, 15-minute interaction tokens, message limits, nonce de-duplication).
import type { ChannelStore, InteractionRecord, SimMessage } from "./channel-store";
import { type Invalid, invalidMessage } from "./validate";

const TOKEN_LIFETIME_MS = 15 * 60_000;
const FLAG_EPHEMERAL = 64;
const FLAG_LOADING = 128;

type Json = Record<string, unknown>;

export interface ApiContext {
  store: ChannelStore;
  env: Env;
  now: number;
}

const error = (status: number, message: string, code: number, extra: Json = {}) =>
  Response.json({ message, code, ...extra }, { status });
const unknownMessage = () => error(404, "Unknown Message", 10008);
const invalidBody = (invalid: Invalid | null) =>
  error(400, invalid?.message ?? "Invalid Form Body", invalid?.code ?? 50035, { errors: invalid?.problems ?? [] });
const unknownWebhook = () => error(404, "Unknown Webhook", 10015);

/** `path` is what follows /api/v10. Returns the response and the route as it may be logged. */
export async function handleApi(
  request: Request,
  path: string,
  c: ApiContext,
): Promise<{ response: Response; route: string }> {
  const parts = path
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  const method = request.method;
  const [head, a, b, c3, d] = parts;

  if (head === "webhooks" && a !== undefined && b !== undefined) {
    const route = `/webhooks/${a}/<token>${c3 ? `/${c3}/${d ?? ""}` : ""}`;
    return { response: await webhook(request, method, a, b, c3 === "messages" ? d : undefined, c), route };
  }
  const route = `/${parts.join("/")}`;
  if (request.headers.get("authorization") !== `Bot ${c.env.DISCORD_BOT_TOKEN}`) {
    return { response: error(401, "401: Unauthorized", 0), route };
  }
  if (head === "channels" && a !== undefined && b === "messages") {
    if (a !== c.env.DISCORD_CHANNEL_ID) return { response: error(404, "Unknown Channel", 10003), route };
    return { response: await channelMessages(request, method, a, c3, c), route };
  }
  if (head === "applications" && a !== undefined) {
    if (a !== c.env.DISCORD_APPLICATION_ID) return { response: error(403, "Missing Access", 50001), route };
    const scope =
      b === "commands" && c3 === undefined ? "global" : b === "guilds" && d === "commands" ? `guild:${c3}` : null;
    if (scope) return { response: await commands(request, method, scope, c), route };
  }
  return { response: error(404, "404: Not Found", 0), route };
}

async function channelMessages(
  request: Request,
  method: string,
  channelId: string,
  messageId: string | undefined,
  c: ApiContext,
): Promise<Response> {
  if (messageId === undefined) {
    if (method === "GET") return Response.json(c.store.messages().reverse().slice(0, 50));
    if (method !== "POST") return error(405, "405: Method Not Allowed", 0);
    const body = await readJson(request);
    const invalid = invalidMessage(body);
    if (invalid || body === null) return invalidBody(invalid);
    const nonce = body.nonce;
    if (body.enforce_nonce === true && (typeof nonce === "string" || typeof nonce === "number")) {
      const existing = c.store.messageByNonce(String(nonce));
      if (existing) return Response.json(existing);
    }
    const message = newMessage(c, channelId, body);
    c.store.insertMessage(message);
    return Response.json(message);
  }
  const message = c.store.message(messageId);
  if (!message || message.channel_id !== channelId || (message.flags & FLAG_EPHEMERAL) !== 0) return unknownMessage();
  return existingMessage(request, method, message, c);
}

async function webhook(
  request: Request,
  method: string,
  appId: string,
  token: string,
  messageId: string | undefined,
  c: ApiContext,
): Promise<Response> {
  const interaction = c.store.interaction(token);
  if (appId !== c.env.DISCORD_APPLICATION_ID || !interaction) return unknownWebhook();
  if (c.now - interaction.createdAt > TOKEN_LIFETIME_MS) return error(401, "Invalid Webhook Token", 50027);

  if (messageId === undefined) {
    if (method !== "POST") return error(405, "405: Method Not Allowed", 0);
    const body = await readJson(request);
    const invalid = invalidMessage(body);
    if (invalid || body === null) return invalidBody(invalid);
    // As Discord does: the first follow-up to a deferred reply still "thinking…" becomes that reply,
    // with the deferral's visibility whatever its own flags say.
    const original = interaction.messageId ? c.store.message(interaction.messageId) : null;
    if (original && (original.flags & FLAG_LOADING) !== 0) {
      const replaced = { ...applyEdit(original, body, c.now), edited_timestamp: original.edited_timestamp };
      c.store.updateMessage(replaced);
      return Response.json(replaced);
    }
    const message = interactionMessage(c, interaction, body, Number(body.flags ?? 0) & FLAG_EPHEMERAL);
    c.store.insertMessage(message);
    return Response.json(message);
  }

  let target: SimMessage | null;
  if (messageId === "@original") {
    target = originalOf(c, interaction);
  } else {
    target = c.store.message(messageId);
  }
  if (!target) return unknownMessage();
  return existingMessage(request, method, target, c);
}

/**
 * The "@original" message of an interaction: its first response's message. An edit can race
 * the sandbox recording a deferred response, so a command's reply is created on first use
 * and a component falls back to the message its button is on.
 */
function originalOf(c: ApiContext, interaction: InteractionRecord): SimMessage | null {
  if (interaction.messageId) return c.store.message(interaction.messageId);
  if (interaction.kind === "component" && interaction.clickedMessageId) {
    return c.store.message(interaction.clickedMessageId);
  }
  const message = interactionMessage(c, interaction, { content: "" }, 0);
  c.store.insertMessage(message);
  c.store.saveInteraction({ ...interaction, messageId: message.id });
  return message;
}

async function existingMessage(
  request: Request,
  method: string,
  message: SimMessage,
  c: ApiContext,
): Promise<Response> {
  if (method === "GET") return Response.json(message);
  if (method === "DELETE") {
    c.store.deleteMessage(message.id);
    return new Response(null, { status: 204 });
  }
  if (method !== "PATCH") return error(405, "405: Method Not Allowed", 0);
  const body = await readJson(request);
  const invalid = invalidMessage(body, true);
  if (invalid || body === null) return invalidBody(invalid);
  const edited = applyEdit(message, body, c.now);
  c.store.updateMessage(edited);
  return Response.json(edited);
}

/** Fields present in the edit replace the message's; a finished edit clears "thinking…". */
export function applyEdit(message: SimMessage, body: Json, now: number): SimMessage {
  const out: SimMessage = { ...message, edited_timestamp: new Date(now).toISOString() };
  if (body.content !== undefined) out.content = typeof body.content === "string" ? body.content : "";
  if (Array.isArray(body.embeds)) out.embeds = body.embeds;
  if (body.embeds === null) out.embeds = [];
  if (Array.isArray(body.components)) out.components = body.components;
  if (body.components === null) out.components = [];
  if (Array.isArray(body.attachments)) out.attachments = body.attachments.filter((a) => isObject(a) && "url" in a);
  out.flags &= ~FLAG_LOADING;
  return out;
}

async function commands(request: Request, method: string, scope: string, c: ApiContext): Promise<Response> {
  if (method === "GET") return Response.json(c.store.commands(scope));
  if (method !== "PUT") return error(405, "405: Method Not Allowed", 0);
  const body: unknown = await request.json().catch(() => null);
  if (!Array.isArray(body)) return error(400, "Invalid Form Body", 50035);
  const saved = body.map((cmd) => ({
    ...(typeof cmd === "object" && cmd !== null ? cmd : {}),
    id: c.store.nextSnowflake(c.now),
    application_id: c.env.DISCORD_APPLICATION_ID,
    version: c.store.nextSnowflake(c.now),
  }));
  c.store.saveCommands(scope, saved);
  return Response.json(saved);
}

export function botAuthor(env: Env): SimMessage["author"] {
  return {
    id: env.DISCORD_APPLICATION_ID,
    username: "spread-desk",
    global_name: null,
    discriminator: "0000",
    bot: true,
  };
}

function newMessage(c: ApiContext, channelId: string, body: Json): SimMessage {
  const message: SimMessage = {
    id: c.store.nextSnowflake(c.now),
    channel_id: channelId,
    type: 0,
    content: typeof body.content === "string" ? body.content : "",
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    author: botAuthor(c.env),
    timestamp: new Date(c.now).toISOString(),
    edited_timestamp: null,
    flags: 0,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: Array.isArray(body.attachments) ? body.attachments.filter((a) => isObject(a) && "url" in a) : [],
    pinned: false,
  };
  const pinged = pingedBy(message.content, body.allowed_mentions);
  message.mentions = pinged.users.map((id) => ({ id, username: `user-${id.slice(-4)}`, global_name: null }));
  message.mention_roles = pinged.roles;
  if (typeof body.nonce === "string" || typeof body.nonce === "number") message.nonce = body.nonce;
  return message;
}

/**
 * Who a message pings, as Discord decides it: the <@user> and <@&role> mentions in its content
 * that allowed_mentions lets through (all of them when it is absent; ids listed, or the kind
 * named in `parse`).
 */
function pingedBy(content: string, allowed: unknown): { users: string[]; roles: string[] } {
  const inContent = (pattern: RegExp) => [...content.matchAll(pattern)].map((m) => m[1] ?? "");
  const users = inContent(/<@!?(\d+)>/g);
  const roles = inContent(/<@&(\d+)>/g);
  if (typeof allowed !== "object" || allowed === null) return { users, roles };
  const a = allowed as { parse?: unknown; users?: unknown; roles?: unknown };
  const parse = Array.isArray(a.parse) ? a.parse : [];
  const listed = (ids: unknown) => (Array.isArray(ids) ? ids.map(String) : []);
  return {
    users: users.filter((id) => parse.includes("users") || listed(a.users).includes(id)),
    roles: roles.filter((id) => parse.includes("roles") || listed(a.roles).includes(id)),
  };
}

/** A reply made through an interaction: carries who triggered it, and its ephemeral flag. */
export function interactionMessage(c: ApiContext, i: InteractionRecord, body: Json, flags: number): SimMessage {
  const message = newMessage(c, c.env.DISCORD_CHANNEL_ID, body);
  message.type = i.kind === "command" ? 20 : 19;
  message.flags = flags;
  message.webhook_id = c.env.DISCORD_APPLICATION_ID;
  message.application_id = c.env.DISCORD_APPLICATION_ID;
  message.interaction_metadata = { id: i.interactionId, type: i.kind === "command" ? 2 : 3, user: i.user };
  if (i.name) message.interaction_metadata.name = i.name;
  if (i.clickedMessageId) message.interaction_metadata.interacted_message_id = i.clickedMessageId;
  return message;
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The message body: JSON, or Discord's multipart form (payload_json and files[n]). Files become
 * the message's attachments, kept inline as data: URLs (the local channel has no CDN), and an
 * embed image `attachment://<name>` points at its file, as Discord rewrites it.
 */
async function readJson(request: Request): Promise<Json | null> {
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const body: unknown = await request.json().catch(() => null);
    return isObject(body) ? body : null;
  }
  const form = await request.formData().catch(() => null);
  const payload = form?.get("payload_json");
  if (!form || typeof payload !== "string") return null;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!isObject(body)) return null;
  const attachments: Json[] = [];
  for (const [key, value] of form.entries()) {
    const index = /^files\[(\d+)\]$/.exec(key)?.[1];
    if (index === undefined || typeof value === "string") continue;
    const bytes = new Uint8Array(await value.arrayBuffer());
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    attachments.push({
      id: index,
      filename: value.name,
      size: bytes.length,
      content_type: value.type,
      url: `data:${value.type};base64,${btoa(binary)}`,
    });
  }
  const byName = new Map(attachments.map((a) => [`attachment://${String(a.filename)}`, a.url]));
  const embeds = Array.isArray(body.embeds)
    ? body.embeds.map((e: unknown) => {
        if (!isObject(e) || !isObject(e.image) || typeof e.image.url !== "string") return e;
        return { ...e, image: { ...e.image, url: byName.get(e.image.url) ?? e.image.url } };
      })
    : body.embeds;
  return { ...body, embeds, attachments };
}
