// `npm run doctor`'s checks, run against the sandbox: the Worker from outside (health, a bad
// signature), Discord (commands, channel) and Alpaca (account) through the same simulators the
// sandbox uses. What passes here is what the real deployment is asked.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { type DoctorTarget, runDoctor } from "../../../scripts/doctor-checks";
import { commandDefinitions } from "../../../src/discord/commands";
import { discordUserAgent } from "../../../src/discord/edge";
import sandbox from "../../../src/sandbox/index";
import { sandboxOutside } from "../../../src/sandbox/outside";
import * as alpaca from "../../support/alpaca-sim";
import { discordSim } from "../../support/discord-sim";

const AGENT = discordUserAgent("0.0.0-test");

/** The internet as the doctor sees it: the Worker at 127.0.0.1, Discord and Alpaca simulated. */
function internet(workerEnv: Env = env): typeof fetch {
  const outside = sandboxOutside(env);
  return async (input, init) => {
    const request = new Request(input, init);
    const host = new URL(request.url).hostname;
    if (host === "127.0.0.1") {
      const ctx = createExecutionContext();
      const response = await sandbox.fetch(request, workerEnv, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    }
    if (host === "discord.com") return outside.discord(request);
    if (host.endsWith("alpaca.markets")) return outside.alpaca(request);
    return outside.anthropic(request);
  };
}

function target(overrides: Partial<DoctorTarget> = {}): DoctorTarget {
  return {
    workerUrl: "http://127.0.0.1:8787",
    fetch: internet(),
    discord: {
      apiBase: "https://discord.com/api/v10",
      applicationId: env.DISCORD_APPLICATION_ID,
      botToken: env.DISCORD_BOT_TOKEN,
      channelId: env.DISCORD_CHANNEL_ID,
      userAgent: AGENT,
    },
    alpaca: { keyId: env.ALPACA_KEY_ID, secretKey: env.ALPACA_SECRET_KEY, mode: "paper" },
    ...overrides,
  };
}

const byName = (results: Awaited<ReturnType<typeof runDoctor>>) =>
  Object.fromEntries(results.map((r) => [r.name, { ok: r.ok, detail: r.detail }]));

beforeEach(async () => {
  await Promise.all([alpaca.reset(), discordSim.reset()]);
});

describe("npm run doctor, against the sandbox", () => {
  it("passes every check on a configured deployment once the commands are registered", async () => {
    const before = byName(await runDoctor(target()));
    expect(before["slash commands"]).toEqual({
      ok: false,
      detail: expect.stringMatching(/missing \/status.*npm run register/),
    });

    const put = await sandboxOutside(env).discord(
      `https://discord.com/api/v10/applications/${env.DISCORD_APPLICATION_ID}/commands`,
      {
        method: "PUT",
        headers: {
          authorization: `Bot ${env.DISCORD_BOT_TOKEN}`,
          "content-type": "application/json",
          "user-agent": AGENT,
        },
        body: JSON.stringify(commandDefinitions()),
      },
    );
    expect(put.status).toBe(200);

    const after = byName(await runDoctor(target()));
    expect(after).toMatchObject({
      health: { ok: true },
      "interactions endpoint": { ok: true, detail: expect.stringContaining("401") },
      "slash commands": { ok: true },
      channel: { ok: true },
      "Alpaca account": { ok: true, detail: "paper account active, options level 3" },
      "Anthropic key": { ok: null },
    });
  });

  it("names what is wrong: a bad setting, a wrong bot token, refused keys", async () => {
    const results = byName(
      await runDoctor(
        target({
          fetch: internet({ ...env, TRADING_MODE: "maybe" } as Env),
          discord: {
            apiBase: "https://discord.com/api/v10",
            applicationId: env.DISCORD_APPLICATION_ID,
            botToken: "wrong",
            userAgent: AGENT,
          },
          anthropic: { apiKey: "sk-nope" },
        }),
      ),
    );
    expect(results.health).toEqual({ ok: false, detail: expect.stringMatching(/misconfigured: .*TRADING_MODE/) });
    expect(results["slash commands"]).toEqual({ ok: false, detail: "Discord refused DISCORD_BOT_TOKEN (401)" });
    expect(results.channel?.ok).toBeNull();
    expect(results["Anthropic key"]?.ok).toBe(false);
  });
});
