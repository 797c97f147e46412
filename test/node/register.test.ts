// `npm run register` (scripts/register.ts) run as the real child process under plain node,
// against a fake Discord on 127.0.0.1: the PUT it makes, and its refusals of bad env. Like
// Discord's edge (and the sandbox's simulator), the fake refuses a call without a DiscordBot
// User-Agent with a 403, code 40333.
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { version } from "../../package.json";
import { COMMAND_NAMES, commandDefinitions } from "../../src/discord/commands";

const root = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

let server: Server;
let base = "";
let seen: Seen[] = [];
let userAgents: (string | undefined)[] = [];
let answer: { status: number; body: string; contentType?: string } = { status: 200, body: "[]" };

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((done, failed) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => done(text));
    request.on("error", failed);
  });
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const text = await readBody(request);
    seen.push({
      method: request.method ?? "",
      url: request.url ?? "",
      authorization: request.headers.authorization,
      body: JSON.parse(text),
    });
    userAgents.push(request.headers["user-agent"]);
    if (!/^DiscordBot \(\S+, \S+\)/.test(request.headers["user-agent"] ?? "")) {
      response.writeHead(403, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: "internal network error", code: 40333 }));
      return;
    }
    response.writeHead(answer.status, { "content-type": answer.contentType ?? "application/json" });
    response.end(answer.body);
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v10`;
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));
beforeEach(() => {
  seen = [];
  userAgents = [];
  answer = { status: 200, body: "[]" };
});

async function register(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("DISCORD_")),
  ) as NodeJS.ProcessEnv;
  try {
    const { stdout, stderr } = await run(process.execPath, ["scripts/register.ts"], {
      cwd: root,
      env: { ...clean, NODE_NO_WARNINGS: "1", DISCORD_API_BASE: base, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

const APP = "100000000000000001";
const GUILD = "100000000000000005";

describe("npm run register", () => {
  it("PUTs every command to the guild when DISCORD_GUILD_ID is set, with the bot token", async () => {
    const result = await register({
      DISCORD_APPLICATION_ID: APP,
      DISCORD_BOT_TOKEN: "tok-123",
      DISCORD_GUILD_ID: GUILD,
    });
    expect(result.code).toBe(0);
    expect(seen).toEqual([
      {
        method: "PUT",
        url: `/api/v10/applications/${APP}/guilds/${GUILD}/commands`,
        authorization: "Bot tok-123",
        body: commandDefinitions(),
      },
    ]);
    expect(result.stdout).toContain(`Registered ${COMMAND_NAMES.length} commands in guild ${GUILD}`);
    expect(result.stdout + result.stderr).not.toContain("tok-123");
  });

  it("says who it is: the DiscordBot User-Agent with the package version", async () => {
    const result = await register({ DISCORD_APPLICATION_ID: APP, DISCORD_BOT_TOKEN: "tok-123" });
    expect(result.code).toBe(0);
    expect(userAgents).toHaveLength(1);
    expect(userAgents[0]).toMatch(/^DiscordBot \(https:\/\/\S+, \S+\)$/);
    expect(userAgents[0]).toContain(`, ${version})`);
  });

  it("explains a refusal by Discord's edge (Cloudflare's HTML 429) instead of printing the page", async () => {
    answer = { status: 429, body: "<!DOCTYPE html><title>Error 1015 | Cloudflare</title>", contentType: "text/html" };
    const result = await register({ DISCORD_APPLICATION_ID: APP, DISCORD_BOT_TOKEN: "tok-secret" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("Discord's edge refused this machine's IP");
    expect(result.stderr).not.toContain("<!DOCTYPE");
    expect(result.stdout + result.stderr).not.toContain("tok-secret");
  });

  it("registers globally without a guild", async () => {
    const result = await register({ DISCORD_APPLICATION_ID: APP, DISCORD_BOT_TOKEN: "tok-123" });
    expect(result.code).toBe(0);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`PUT /api/v10/applications/${APP}/commands`]);
  });

  it("sends the nine commands with the /halt reason capped at 200 characters, /close's position, /performance's periods and /playbook's actions", async () => {
    await register({ DISCORD_APPLICATION_ID: APP, DISCORD_BOT_TOKEN: "tok-123" });
    const body = seen[0]?.body as { name: string; options: { name: string; max_length?: number }[] }[];
    expect(body.map((c) => c.name)).toEqual([
      "status",
      "portfolio",
      "close",
      "performance",
      "playbook",
      "halt",
      "resume",
      "scan",
      "help",
    ]);
    expect(body.find((c) => c.name === "halt")?.options).toEqual([
      expect.objectContaining({ name: "reason", type: 3, required: false, max_length: 200 }),
    ]);
    expect(body.find((c) => c.name === "close")?.options).toEqual([
      expect.objectContaining({ name: "position", type: 4, required: true, min_value: 1 }),
    ]);
    const period = body.find((c) => c.name === "performance")?.options[0] as { choices?: { value: string }[] };
    expect(period?.choices?.map((c) => c.value)).toEqual(["week", "month", "year", "all"]);
    const playbook = body.find((c) => c.name === "playbook")?.options as {
      name: string;
      choices?: { value: string }[];
    }[];
    expect(playbook.map((o) => o.name)).toEqual(["action", "rule", "id", "symbol", "strategy"]);
    expect(playbook[0]?.choices?.map((c) => c.value)).toEqual(["list", "add", "retire", "restore"]);
  });

  it("exits non-zero naming DISCORD_BOT_TOKEN when it is missing, and calls nobody", async () => {
    const result = await register({ DISCORD_APPLICATION_ID: APP });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("DISCORD_BOT_TOKEN is required");
    expect(seen).toEqual([]);
  });

  it("exits non-zero naming DISCORD_APPLICATION_ID when it is missing or not an id", async () => {
    const missing = await register({ DISCORD_BOT_TOKEN: "tok-123" });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("DISCORD_APPLICATION_ID is required");
    const wrong = await register({ DISCORD_APPLICATION_ID: "my-app", DISCORD_BOT_TOKEN: "tok-123" });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("DISCORD_APPLICATION_ID must be a Discord id");
    expect(seen).toEqual([]);
  });

  it("exits non-zero naming DISCORD_GUILD_ID when it is not an id", async () => {
    const result = await register({ DISCORD_APPLICATION_ID: APP, DISCORD_BOT_TOKEN: "t", DISCORD_GUILD_ID: "general" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("DISCORD_GUILD_ID");
  });

  it("exits non-zero with Discord's answer when Discord refuses, without printing the token", async () => {
    answer = { status: 401, body: JSON.stringify({ message: "401: Unauthorized", code: 0 }) };
    const result = await register({ DISCORD_APPLICATION_ID: APP, DISCORD_BOT_TOKEN: "tok-secret" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("Discord answered 401");
    expect(result.stderr).toContain("401: Unauthorized");
    expect(result.stdout + result.stderr).not.toContain("tok-secret");
  });
});
