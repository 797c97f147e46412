import { env, exports } from "cloudflare:workers";
import { verifyKey } from "discord-interactions";
import { beforeEach, describe, expect, it } from "vitest";
import { discordUserAgent } from "../../../src/discord/edge";
import { channelSimulator } from "../../../src/sandbox/discord/channel";
import { signedRequest } from "../../../src/sandbox/discord/sign";
import { SANDBOX_DISCORD_PRIVATE_SEED, SANDBOX_DISCORD_PUBLIC_KEY } from "../../../src/sandbox/discord-keys";
import { sandboxOutside } from "../../../src/sandbox/outside";
import { messages, requests, reset, type SimMessage, setFaults } from "../../support/discord-sim";

const API = "https://discord.com/api/v10";
const AGENT = discordUserAgent("0.0.0-test");
const CHANNEL = env.DISCORD_CHANNEL_ID;
const APP = env.DISCORD_APPLICATION_ID;
const ALLOWED = "100000000000000003";
const OTHER = "100000000000000004";

/** The bot's Discord fetch, exactly as the sandbox wires it, with the User-Agent Discord requires. */
function discord(method: string, path: string, body?: unknown, auth = true, userAgent: string | null = AGENT) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth) headers.authorization = `Bot ${env.DISCORD_BOT_TOKEN}`;
  if (userAgent !== null) headers["user-agent"] = userAgent;
  return sandboxOutside(env).discord(`${API}${path}`, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
}

async function post(body: unknown): Promise<SimMessage> {
  const response = await discord("POST", `/channels/${CHANNEL}/messages`, body);
  expect(response.status).toBe(200);
  return response.json<SimMessage>();
}

const sandbox = (path: string, init?: RequestInit) => exports.default.fetch(`http://127.0.0.1${path}`, init);
const interact = (body: unknown) =>
  sandbox("/sandbox/api/interactions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const BUTTONS = [
  {
    type: 1,
    components: [
      { type: 2, style: 3, label: "Approve 1", custom_id: "v1:approve:rtest1:1" },
      { type: 2, style: 4, label: "Reject", custom_id: "v1:reject:rtest1" },
    ],
  },
];

beforeEach(async () => {
  await reset();
});

describe("the local Discord answers the bot's REST calls like Discord", () => {
  it("stores a posted message, returns it with an id, and shows an edit with edited_timestamp", async () => {
    const created = await post({ content: "hello", embeds: [{ title: "Rec", color: 1 }], components: BUTTONS });
    expect(created).toMatchObject({ channel_id: CHANNEL, content: "hello", edited_timestamp: null });
    expect(created.id).toMatch(/^\d{17,20}$/);
    expect(created.author).toMatchObject({ id: APP, bot: true });

    const patched = await discord("PATCH", `/channels/${CHANNEL}/messages/${created.id}`, { components: [] });
    expect(patched.status).toBe(200);
    const listed = await (await sandbox("/sandbox/api/messages")).json<SimMessage[]>();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: created.id, content: "hello", components: [], embeds: [{ title: "Rec" }] });
    expect(listed[0]?.edited_timestamp).not.toBeNull();
  });

  it("lists the channel oldest first", async () => {
    const first = await post({ content: "one" });
    const second = await post({ content: "two" });
    expect((await messages()).map((m) => m.id)).toEqual([first.id, second.id]);
    expect(BigInt(second.id) > BigInt(first.id)).toBe(true);
  });

  it("refuses a wrong bot token (401), another channel (404) and an unknown message (404)", async () => {
    expect((await discord("POST", `/channels/${CHANNEL}/messages`, { content: "x" }, false)).status).toBe(401);
    const other = await discord("POST", "/channels/999999999999999999/messages", { content: "x" });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: 10003 });
    const missing = await discord("PATCH", `/channels/${CHANNEL}/messages/123456789012345678`, { content: "x" });
    expect(await missing.json()).toMatchObject({ message: "Unknown Message", code: 10008 });
  });

  it("refuses what Discord refuses: an over-long title, an empty field, an empty message", async () => {
    const long = await discord("POST", `/channels/${CHANNEL}/messages`, { embeds: [{ title: "t".repeat(257) }] });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ code: 50035, errors: ["embeds[0].title: longer than 256"] });
    const emptyField = await discord("POST", `/channels/${CHANNEL}/messages`, {
      embeds: [{ fields: [{ name: "a", value: "" }] }],
    });
    expect(emptyField.status).toBe(400);
    const empty = await discord("POST", `/channels/${CHANNEL}/messages`, { content: "" });
    expect(await empty.json()).toMatchObject({ code: 50006 });
    expect(await messages()).toEqual([]);
  });

  it("returns the first message again for a retried post with the same enforced nonce", async () => {
    const body = { content: "once", nonce: "n-1", enforce_nonce: true };
    const a = await post(body);
    const b = await post(body);
    expect(b.id).toBe(a.id);
    expect(await messages()).toHaveLength(1);
  });

  it("serves queued faults: 429s with retry_after, then a 5xx, then success; and logs each call", async () => {
    await setFaults([
      { status: 429, count: 2, retryAfter: 0.25 },
      { status: 502, count: 1 },
    ]);
    const path = `/channels/${CHANNEL}/messages`;
    const limited = await discord("POST", path, { content: "x" });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ message: "You are being rate limited.", retry_after: 0.25, global: false });
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await discord("POST", path, { content: "x" })).status).toBe(429);
    expect((await discord("POST", path, { content: "x" })).status).toBe(502);
    expect((await discord("POST", path, { content: "x" })).status).toBe(200);
    expect((await requests()).map((r) => r.status)).toEqual([429, 429, 502, 200]);
    expect(await messages()).toHaveLength(1);
  });

  it("refuses a call without a DiscordBot User-Agent as Discord's edge does (403, code 40333), before any fault", async () => {
    await setFaults([{ status: 502 }]);
    const path = `/channels/${CHANNEL}/messages`;
    for (const agent of [null, "Mozilla/5.0 (X11; Linux x86_64)", "undici"]) {
      const refused = await discord("POST", path, { content: "x" }, true, agent);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ message: "internal network error", code: 40333 });
    }
    expect((await discord("POST", path, { content: "x" })).status).toBe(502);
    expect((await requests()).map((r) => r.status)).toEqual([403, 403, 403, 502]);
    expect(await messages()).toEqual([]);
  });

  it("serves a blocked IP's answers as faults: Cloudflare's HTML 429 and 403, Discord's code-0 429, none naming a wait", async () => {
    await setFaults([
      { status: 429, edge: "html" },
      { status: 403, edge: "html" },
      { status: 429, edge: "blocked" },
      { status: 403, edge: "blocked" },
    ]);
    const path = `/channels/${CHANNEL}/messages`;
    const send = () => discord("POST", path, { content: "x" });
    const html429 = await send();
    const html403 = await send();
    const blocked429 = await send();
    const blocked403 = await send();
    const answers = [html429, html403, blocked429, blocked403];
    expect(answers.map((r) => r.status)).toEqual([429, 403, 429, 403]);
    for (const r of answers) expect(r.headers.get("retry-after")).toBeNull();
    expect(html429.headers.get("content-type")).toContain("text/html");
    expect(await html429.text()).toContain("Cloudflare");
    expect(await html403.text()).toContain("Access denied");
    expect(await blocked429.json()).toMatchObject({ code: 0, message: expect.stringContaining("blocked") });
    expect(await blocked403.json()).toEqual({ message: "internal network error", code: 40333 });
    expect((await discord("POST", path, { content: "x" })).status).toBe(200);
  });

  it("stores registered global and guild commands", async () => {
    const put = await discord("PUT", `/applications/${APP}/commands`, [{ name: "status", description: "s" }]);
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject([{ name: "status", application_id: APP }]);
    await discord("PUT", `/applications/${APP}/guilds/42/commands`, [{ name: "help", description: "h" }]);
    expect(await channelSimulator(env).commands()).toMatchObject({
      global: [{ name: "status" }],
      "guild:42": [{ name: "help" }],
    });
  });
});

describe("interaction replies in the local channel", () => {
  const user = { id: ALLOWED, username: "trader", global_name: "Trader" };

  it("a deferred command reply shows 'thinking' until the bot edits @original; follow-ups keep the ephemeral flag", async () => {
    const sim = channelSimulator(env);
    await sim.registerInteraction({
      token: "tok-1",
      interactionId: "1",
      kind: "command",
      user,
      name: "scan",
      clickedMessageId: null,
    });
    const deferred = await sim.recordResponse("tok-1", { type: 5, data: { flags: 64 } });
    expect(deferred.effect).toBe("message");
    expect((await messages())[0]).toMatchObject({ flags: 64 | 128, interaction_metadata: { name: "scan", user } });

    const edit = await discord("PATCH", `/webhooks/${APP}/tok-1/messages/@original`, { content: "Scan done" }, false);
    expect(edit.status).toBe(200);
    const followUp = await discord("POST", `/webhooks/${APP}/tok-1`, { content: "psst", flags: 64 }, false);
    expect(followUp.status).toBe(200);
    const [reply, extra] = await messages();
    expect(reply).toMatchObject({ content: "Scan done", flags: 64 });
    expect(reply?.edited_timestamp).not.toBeNull();
    expect(extra).toMatchObject({ content: "psst", flags: 64 });
    expect((await discord("POST", `/webhooks/${APP}/unknown-token`, { content: "x" }, false)).status).toBe(404);
  });

  it("UPDATE_MESSAGE (type 7) edits the clicked message; the clicked message is its @original", async () => {
    const clicked = await post({ content: "pending", components: BUTTONS });
    const sim = channelSimulator(env);
    await sim.registerInteraction({
      token: "tok-2",
      interactionId: "2",
      kind: "component",
      user,
      name: null,
      clickedMessageId: clicked.id,
    });
    const updated = await sim.recordResponse("tok-2", { type: 7, data: { content: "approving", components: [] } });
    expect(updated).toEqual({ effect: "edit", messageId: clicked.id });
    await discord("PATCH", `/webhooks/${APP}/tok-2/messages/@original`, { content: "filled" }, false);
    expect(await messages()).toMatchObject([{ id: clicked.id, content: "filled", components: [] }]);
  });

  it("an invalid first response is what Discord would call a failed interaction, and nothing is posted", async () => {
    const sim = channelSimulator(env);
    await sim.registerInteraction({
      token: "t3",
      interactionId: "3",
      kind: "command",
      user,
      name: "x",
      clickedMessageId: null,
    });
    const result = await sim.recordResponse("t3", { type: 4, data: { embeds: [{ title: "t".repeat(300) }] } });
    expect(result.error).toMatch(/Invalid Form Body/);
    expect(await messages()).toEqual([]);
  });
});

describe("sandbox routes", () => {
  it("GET /sandbox/ is the console page", async () => {
    const response = await sandbox("/sandbox/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toMatch(/^<!doctype html>/i);
  });

  it("GET /sandbox/api/discord gives the application, the TEST key pair and both users", async () => {
    const app = await (await sandbox("/sandbox/api/discord")).json();
    expect(app).toEqual({
      application_id: APP,
      public_key: env.DISCORD_PUBLIC_KEY,
      private_key: SANDBOX_DISCORD_PRIVATE_SEED,
      channel_id: CHANNEL,
      allowed_user_id: ALLOWED,
      other_user_id: OTHER,
    });
    expect(SANDBOX_DISCORD_PUBLIC_KEY).toBe(env.DISCORD_PUBLIC_KEY);
  });

  it("signs interactions so discord-interactions' verifyKey accepts them, and rejects a tampered body", async () => {
    const body = JSON.stringify({ type: 1, id: "1" });
    const request = await signedRequest(
      new URL("http://bot.test/x"),
      body,
      SANDBOX_DISCORD_PRIVATE_SEED,
      1_800_000_000,
    );
    const signature = request.headers.get("x-signature-ed25519") ?? "";
    const timestamp = request.headers.get("x-signature-timestamp") ?? "";
    expect(timestamp).toBe("1800000000");
    expect(await verifyKey(body, signature, timestamp, env.DISCORD_PUBLIC_KEY)).toBe(true);
    expect(await verifyKey(`${body} `, signature, timestamp, env.DISCORD_PUBLIC_KEY)).toBe(false);
  });

  it.each([
    ["not JSON", "{nope"],
    ["an unknown type", { type: "modal" }],
    ["a command without a name", { type: "command" }],
    ["an option the command does not have", { type: "command", name: "status", options: { symbol: "SPY" } }],
    ["a click on a message not in the channel", { type: "component", message_id: "1", custom_id: "v1:reject:r" }],
    ["a user id that is not an id", { type: "command", name: "help", user_id: "bob" }],
  ])("POST /sandbox/api/interactions answers 400 for %s", async (_case, body) => {
    const response = await interact(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "bad_request" });
  });

  it("sends /help as a signed command to the real endpoint and shows the reply in the channel", async () => {
    const response = await interact({ type: "command", name: "help" });
    const result = await response.json<{ status: number; response: { type: number }; message_id: string }>();
    expect(result.status).toBe(200);
    expect([4, 5]).toContain(result.response.type);
    const [reply] = await messages();
    expect(reply).toMatchObject({
      id: result.message_id,
      interaction_metadata: { name: "help", user: { id: ALLOWED } },
    });
  });

  it("sends a click as the other user; the bot refuses it with a reply only that user sees", async () => {
    const rec = await post({ content: "rec", components: BUTTONS });
    const response = await interact({
      type: "component",
      message_id: rec.id,
      custom_id: "v1:reject:rtest1",
      user_id: OTHER,
    });
    const result = await response.json<{ status: number; response: { type: number; data: { flags: number } } }>();
    expect(result.status).toBe(200);
    expect(result.response).toMatchObject({ type: 4, data: { flags: 64 } });
    const all = await messages();
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ id: rec.id, edited_timestamp: null });
    expect(all[1]).toMatchObject({ flags: 64, interaction_metadata: { user: { id: OTHER } } });
  });
});
