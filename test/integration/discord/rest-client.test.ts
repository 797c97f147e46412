// The Discord REST adapter against a fake Discord (a fetch function: the outside world at its
// HTTP edge). Waits are recorded through the injected sleep, never spent or timed.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { version } from "../../../package.json";
import { DiscordError } from "../../../src/discord/port";
import { createDiscordRest } from "../../../src/discord/rest-client";
import { sandboxOutside } from "../../../src/sandbox/outside";
import { discordSim } from "../../support/discord-sim";

interface Seen {
  method: string;
  url: string;
  authorization: string | null;
  body: unknown;
  files?: [string, string | File][];
}

/** A fake Discord answering from a script, one response per request, last one repeating. */
function fakeDiscord(script: (() => Response)[]) {
  const seen: Seen[] = [];
  const userAgents: (string | null)[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    userAgents.push(request.headers.get("user-agent"));
    const multipart = (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
    const form = multipart ? await request.formData() : null;
    seen.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get("authorization"),
      body: form ? JSON.parse(String(form.get("payload_json"))) : JSON.parse(await request.text()),
      ...(form ? { files: [...form.entries()].filter(([k]) => k !== "payload_json") } : {}),
    });
    const next = script[Math.min(seen.length - 1, script.length - 1)];
    if (!next) throw new Error("fake Discord has no script");
    return next();
  };
  return { fetch, seen, userAgents };
}

const ok =
  (body: unknown = { id: "900000000000000001" }) =>
  () =>
    Response.json(body);
const status =
  (code: number, body: unknown = { message: `status ${code}`, code: 0 }, headers: HeadersInit = {}) =>
  () =>
    Response.json(body, { status: code, headers });

function client(fetch: typeof globalThis.fetch) {
  const waits: number[] = [];
  const rest = createDiscordRest({
    botToken: "bot-token-xyz",
    applicationId: "100000000000000001",
    channelId: "100000000000000002",
    fetch,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { rest, waits };
}

/** The client on the local Discord (the sandbox's simulator), waits recorded, not spent. */
function simClient() {
  const waits: number[] = [];
  const rest = createDiscordRest({
    botToken: env.DISCORD_BOT_TOKEN,
    applicationId: env.DISCORD_APPLICATION_ID,
    channelId: env.DISCORD_CHANNEL_ID,
    fetch: sandboxOutside(env).discord,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { rest, waits };
}

const API = "https://discord.com/api/v10";
const TOKEN = "aW50ZXJhY3Rpb24:secret-interaction-token";

describe("channel messages", () => {
  it("posts to the channel with the bot token and returns the new message id", async () => {
    const discord = fakeDiscord([ok({ id: "900000000000000007", content: "hi" })]);
    const { rest } = client(discord.fetch);
    expect(await rest.post({ content: "hi" })).toEqual({ id: "900000000000000007" });
    expect(discord.seen).toEqual([
      {
        method: "POST",
        url: `${API}/channels/100000000000000002/messages`,
        authorization: "Bot bot-token-xyz",
        body: { content: "hi", nonce: expect.stringMatching(/^[0-9a-f]{25}$/), enforce_nonce: true },
      },
    ]);
  });

  it("edits a channel message with PATCH", async () => {
    const discord = fakeDiscord([ok()]);
    const { rest } = client(discord.fetch);
    await rest.edit("900000000000000003", { content: "edited", components: [] });
    expect(discord.seen).toEqual([
      {
        method: "PATCH",
        url: `${API}/channels/100000000000000002/messages/900000000000000003`,
        authorization: "Bot bot-token-xyz",
        body: { content: "edited", components: [] },
      },
    ]);
  });

  it("retries a post with the same nonce, so Discord can drop the duplicate", async () => {
    const discord = fakeDiscord([status(502), ok()]);
    const { rest } = client(discord.fetch);
    await rest.post({ content: "once" });
    const [first, second] = discord.seen.map((s) => (s.body as { nonce: string }).nonce);
    expect(first).toBe(second);
  });
});

describe("interaction replies", () => {
  it("edits the original response through the interaction webhook, without the bot token", async () => {
    const discord = fakeDiscord([ok()]);
    const { rest } = client(discord.fetch);
    await rest.editOriginal(TOKEN, { content: "Order placed" });
    expect(discord.seen).toEqual([
      {
        method: "PATCH",
        url: `${API}/webhooks/100000000000000001/${encodeURIComponent(TOKEN)}/messages/@original`,
        authorization: null,
        body: { content: "Order placed" },
      },
    ]);
  });

  it("sends a follow-up through the interaction webhook", async () => {
    const discord = fakeDiscord([() => new Response(null, { status: 204 })]);
    const { rest } = client(discord.fetch);
    await rest.followUp(TOKEN, { content: "Filled", flags: 64 });
    expect(discord.seen).toEqual([
      {
        method: "POST",
        url: `${API}/webhooks/100000000000000001/${encodeURIComponent(TOKEN)}`,
        authorization: null,
        body: { content: "Filled", flags: 64 },
      },
    ]);
  });
});

describe("rate limits and failures", () => {
  it("waits out a 429 for the body's retry_after, then succeeds", async () => {
    const discord = fakeDiscord([
      status(429, { message: "You are being rate limited.", retry_after: 0.35, global: false }),
      ok(),
    ]);
    const { rest, waits } = client(discord.fetch);
    expect(await rest.post({ content: "x" })).toEqual({ id: "900000000000000001" });
    expect(discord.seen).toHaveLength(2);
    expect(waits).toEqual([350]);
  });

  it("uses the Retry-After header when the body has no retry_after, global limits included", async () => {
    const discord = fakeDiscord([status(429, { message: "global", global: true }, { "retry-after": "2" }), ok()]);
    const { rest, waits } = client(discord.fetch);
    await rest.edit("900000000000000003", { content: "x" });
    expect(waits).toEqual([2000]);
  });

  it("gives up at once on a 429 asking for a wait longer than a Worker has", async () => {
    const discord = fakeDiscord([status(429, { message: "slow down", retry_after: 60 })]);
    const { rest, waits } = client(discord.fetch);
    const error = await rest.post({ content: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordError);
    expect(error).toMatchObject({ status: 429, retryable: true });
    expect(discord.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("stops after 3 tries of repeated 429s", async () => {
    const discord = fakeDiscord([status(429, { message: "again", retry_after: 0.1 })]);
    const { rest } = client(discord.fetch);
    await expect(rest.post({ content: "x" })).rejects.toMatchObject({ name: "DiscordError", status: 429 });
    expect(discord.seen).toHaveLength(3);
  });

  it("retries a 500 with a small growing backoff and succeeds", async () => {
    const discord = fakeDiscord([status(500), status(503), ok()]);
    const { rest, waits } = client(discord.fetch);
    await rest.edit("900000000000000003", { content: "x" });
    expect(discord.seen).toHaveLength(3);
    expect(waits).toEqual([250, 1000]);
  });

  it("throws DiscordError with the status and Discord's message after three 500s", async () => {
    const discord = fakeDiscord([status(500, { message: "Internal Server Error", code: 0 })]);
    const { rest } = client(discord.fetch);
    const error = await rest.post({ content: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordError);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect((error as Error).message).toContain("Internal Server Error");
    expect(discord.seen).toHaveLength(3);
  });

  it("does not retry a 400 and reports Discord's message and code", async () => {
    const discord = fakeDiscord([status(400, { message: "Invalid Form Body", code: 50035 })]);
    const { rest, waits } = client(discord.fetch);
    const error = await rest.edit("900000000000000003", { content: "x" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "DiscordError", status: 400, retryable: false });
    expect((error as Error).message).toContain("Invalid Form Body (code 50035)");
    expect(discord.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("retries a network failure and then reports it", async () => {
    const discord = fakeDiscord([
      () => {
        throw new TypeError("connection reset");
      },
    ]);
    const { rest } = client(discord.fetch);
    const error = await rest.post({ content: "x" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "DiscordError", status: null, retryable: true });
    expect(discord.seen).toHaveLength(3);
  });

  it("never puts the bot token or the interaction token in an error", async () => {
    const discord = fakeDiscord([status(404, { message: "Unknown Webhook", code: 10015 })]);
    const { rest } = client(discord.fetch);
    const error = await rest.editOriginal(TOKEN, { content: "x" }).catch((e: unknown) => e);
    expect((error as Error).message).toContain("Unknown Webhook");
    expect((error as Error).message).not.toContain("secret-interaction-token");
    expect((error as Error).message).not.toContain("bot-token-xyz");
  });
});

describe("who the calls say they are", () => {
  it("sends the DiscordBot User-Agent with the package version on every call, bot token or not", async () => {
    const discord = fakeDiscord([ok()]);
    const { rest } = client(discord.fetch);
    await rest.post({ content: "a" });
    await rest.edit("900000000000000003", { content: "b" });
    await rest.editOriginal(TOKEN, { content: "c" });
    await rest.followUp(TOKEN, { content: "d" });
    expect(discord.userAgents).toHaveLength(4);
    for (const agent of discord.userAgents) {
      expect(agent).toMatch(/^DiscordBot \(https:\/\/\S+, \S+\)$/);
      expect(agent).toContain(`, ${version})`);
    }
  });
});

describe("files", () => {
  it("sends a message with a file as multipart: payload_json naming it in attachments, and files[0]", async () => {
    const discord = fakeDiscord([ok()]);
    const { rest } = client(discord.fetch);
    const data = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    await rest.post({ embeds: [{ image: { url: "attachment://equity.png" } }] }, [
      { name: "equity.png", contentType: "image/png", data },
    ]);
    const [sent] = discord.seen;
    expect(sent?.body).toMatchObject({ attachments: [{ id: 0, filename: "equity.png" }] });
    const [key, file] = (sent?.files?.[0] ?? []) as [string?, File?];
    expect(key).toBe("files[0]");
    expect(file?.name).toBe("equity.png");
    expect(file?.type).toBe("image/png");
    expect([...new Uint8Array(await (file as File).arrayBuffer())]).toEqual([...data]);
  });
});

describe("refusals by Discord's edge (a blocked Worker IP)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const html =
    (code: number, headers: HeadersInit = {}) =>
    () =>
      new Response("<!DOCTYPE html><html><title>Error 1015 | Cloudflare</title></html>", {
        status: code,
        headers: { "content-type": "text/html", ...headers },
      });
  const blocked429 = status(429, { message: "You are being blocked from accessing our API temporarily", code: 0 });

  it("backs off an HTML 429 twice (1 s, then 3 s) and then succeeds", async () => {
    const discord = fakeDiscord([html(429), html(429), ok()]);
    const { rest, waits } = client(discord.fetch);
    expect(await rest.post({ content: "x" })).toEqual({ id: "900000000000000001" });
    expect(waits).toEqual([1000, 3000]);
  });

  it("gives up after 3 tries of a code-0 429 with no retry_after, saying the edge refused the Worker's IP", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const discord = fakeDiscord([blocked429]);
    const { rest, waits } = client(discord.fetch);
    const thrown = await rest.editOriginal(TOKEN, { content: "x" }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(DiscordError);
    expect(thrown).toMatchObject({ status: 429, retryable: true });
    expect((thrown as Error).message).toContain("Discord's edge refused the Worker's IP");
    expect(discord.seen).toHaveLength(3);
    expect(waits).toEqual([1000, 3000]);
    const lines = [...warn.mock.calls, ...error.mock.calls].map((call) => String(call[0]));
    expect(lines.filter((l) => l.includes("discord edge refused"))).toHaveLength(3);
    expect(lines.join("\n")).not.toContain("secret-interaction-token");
    expect(lines.join("\n")).not.toContain("bot-token-xyz");
  });

  it("after giving up on a block, sends nothing more from the same client: the next post fails at once", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const discord = fakeDiscord([html(403, { "retry-after": "600" }), ok()]);
    const { rest, waits } = client(discord.fetch);
    await rest.post({ content: "first" }).catch(() => undefined);
    const second = await rest.post({ content: "second" }).catch((e: unknown) => e);
    expect(second).toMatchObject({ name: "DiscordError", status: 403, retryable: true });
    expect((second as Error).message).toMatch(/not sent: .*Discord's edge refused the Worker's IP/);
    expect(discord.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("gives up at once on an HTML 403 whose Retry-After is longer than a Worker has", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const discord = fakeDiscord([html(403, { "retry-after": "600" })]);
    const { rest, waits } = client(discord.fetch);
    const thrown = await rest.post({ content: "x" }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ name: "DiscordError", status: 403 });
    expect((thrown as Error).message).toContain("Discord's edge refused the Worker's IP");
    expect(discord.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("treats the edge's JSON 403 (code 40333) as a block, but Discord's own 403 as a plain refusal", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const edge = fakeDiscord([status(403, { message: "internal network error", code: 40333 })]);
    const edgeError = await client(edge.fetch)
      .rest.post({ content: "x" })
      .catch((e: unknown) => e);
    expect((edgeError as Error).message).toContain("Discord's edge refused the Worker's IP");
    expect(edge.seen).toHaveLength(3);

    const api = fakeDiscord([status(403, { message: "Missing Permissions", code: 50013 })]);
    const apiError = await client(api.fetch)
      .rest.post({ content: "x" })
      .catch((e: unknown) => e);
    expect(apiError).toMatchObject({ status: 403, retryable: false });
    expect((apiError as Error).message).toContain("Missing Permissions (code 50013)");
    expect(api.seen).toHaveLength(1);
  });

  it("on the local Discord: the client's calls pass the edge, which refuses calls without its User-Agent", async () => {
    await discordSim.reset();
    const { rest } = simClient();
    const { id } = await rest.post({ content: "hello" });
    await rest.edit(id, { content: "hello again" });
    expect((await discordSim.requests()).map((r) => r.status)).toEqual([200, 200]);
  });

  it("on the local Discord: waits out the edge's HTML 429 and code-0 429, then posts once", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await discordSim.reset();
    await discordSim.setFaults([
      { status: 429, edge: "html" },
      { status: 429, edge: "blocked" },
    ]);
    const { rest, waits } = simClient();
    await rest.post({ content: "through the edge" });
    expect(waits).toEqual([1000, 3000]);
    expect((await discordSim.requests()).map((r) => r.status)).toEqual([429, 429, 200]);
    expect((await discordSim.messages()).map((m) => m.content)).toEqual(["through the edge"]);
  });

  it("on the local Discord: a blocked IP (403 code 40333 every time) ends in the edge's DiscordError", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await discordSim.reset();
    await discordSim.setFaults([{ status: 403, edge: "blocked", count: 3 }]);
    const { rest } = simClient();
    const thrown = await rest.post({ content: "x" }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ name: "DiscordError", status: 403, retryable: true });
    expect((thrown as Error).message).toContain("Discord's edge refused the Worker's IP");
    expect(await discordSim.messages()).toEqual([]);
  });
});
