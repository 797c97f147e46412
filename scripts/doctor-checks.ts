// The checks behind `npm run doctor`: a deployment seen from the outside, as far as it honestly
// can be without trading. Only fetch and URL, so the same checks run from Node against a real
// deployment and inside workerd against the sandbox (test/integration/sandbox/doctor.test.ts).
import { COMMAND_NAMES } from "../src/discord/commands.ts";

export interface DoctorTarget {
  /** The Worker's base URL, e.g. https://spread-desk.you.workers.dev */
  workerUrl: string;
  fetch: typeof fetch;
  /** Discord's REST base (https://discord.com/api/v10) and the bot's credentials. */
  discord?: {
    apiBase: string;
    applicationId: string;
    botToken: string;
    channelId?: string;
    guildId?: string;
    userAgent: string;
  };
  /** Alpaca keys and the mode the Worker trades in; the trading base follows the mode unless given. */
  alpaca?: { keyId: string; secretKey: string; mode: "paper" | "live"; tradingBase?: string };
  /** Anthropic: only whether the key is accepted (GET /v1/models costs nothing). */
  anthropic?: { apiKey: string; apiBase?: string };
}

export interface CheckResult {
  name: string;
  /** null: skipped (no credentials given for it). */
  ok: boolean | null;
  detail: string;
}

/** What no outside check can prove; printed after the results so nobody reads "all ok" as more. */
export const CANNOT_CHECK = [
  "that the Interactions Endpoint URL in Discord's Developer Portal points at this Worker (Discord checks it when you save it)",
  "that the cron triggers fire: /status lists the last runs after the first market day",
  "that the bot may post in the channel (sending a message would be the only proof)",
  "that an order would be accepted: nothing here trades",
];

export async function runDoctor(t: DoctorTarget): Promise<CheckResult[]> {
  const checks: Promise<CheckResult>[] = [health(t), signature(t)];
  checks.push(t.discord ? commands(t, t.discord) : skipped("slash commands", "DISCORD_BOT_TOKEN"));
  checks.push(
    t.discord?.channelId ? channel(t, t.discord, t.discord.channelId) : skipped("channel", "DISCORD_CHANNEL_ID"),
  );
  checks.push(t.alpaca ? alpaca(t, t.alpaca) : skipped("Alpaca account", "ALPACA_KEY_ID and ALPACA_SECRET_KEY"));
  checks.push(t.anthropic ? anthropic(t, t.anthropic) : skipped("Anthropic key", "ANTHROPIC_API_KEY (optional)"));
  return Promise.all(checks.map((c) => c.catch((error: unknown) => unreachable(error))));
}

const skipped = async (name: string, needs: string): Promise<CheckResult> => ({
  name,
  ok: null,
  detail: `skipped: set ${needs} to check it`,
});

function unreachable(error: unknown): CheckResult {
  return {
    name: "network",
    ok: false,
    detail: `unreachable: ${error instanceof Error ? error.message : String(error)}`,
  };
}

async function health(t: DoctorTarget): Promise<CheckResult> {
  const response = await t.fetch(new URL("/health", t.workerUrl));
  const body = (await response.json().catch(() => null)) as { ok?: boolean; version?: string; error?: string } | null;
  if (response.status === 200 && body?.ok)
    return { name: "health", ok: true, detail: `running, version ${body.version}` };
  if (response.status === 503 && body?.error)
    return { name: "health", ok: false, detail: `misconfigured: ${body.error}` };
  return { name: "health", ok: false, detail: `unexpected answer ${response.status} from /health` };
}

/** Discord sends a deliberately bad signature when the URL is saved; the Worker must refuse it. */
async function signature(t: DoctorTarget): Promise<CheckResult> {
  const response = await t.fetch(new URL("/discord/interactions", t.workerUrl), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": "0".repeat(128),
      "x-signature-timestamp": String(Math.floor(Date.now() / 1000)),
    },
    body: JSON.stringify({ type: 1 }),
  });
  const name = "interactions endpoint";
  if (response.status === 401) return { name, ok: true, detail: "refuses a bad signature (401), as Discord requires" };
  if (response.status === 503) return { name, ok: false, detail: "cannot verify signatures: check DISCORD_PUBLIC_KEY" };
  return { name, ok: false, detail: `answered ${response.status} to a bad signature (Discord expects 401)` };
}

function discordGet(t: DoctorTarget, d: NonNullable<DoctorTarget["discord"]>, path: string) {
  return t.fetch(`${d.apiBase.replace(/\/+$/, "")}${path}`, {
    headers: { authorization: `Bot ${d.botToken}`, "user-agent": d.userAgent },
  });
}

async function commands(t: DoctorTarget, d: NonNullable<DoctorTarget["discord"]>): Promise<CheckResult> {
  const scope = d.guildId ? `guild ${d.guildId}` : "global";
  const path = d.guildId
    ? `/applications/${d.applicationId}/guilds/${d.guildId}/commands`
    : `/applications/${d.applicationId}/commands`;
  const response = await discordGet(t, d, path);
  const name = "slash commands";
  if (response.status === 401) return { name, ok: false, detail: "Discord refused DISCORD_BOT_TOKEN (401)" };
  if (!response.ok) return { name, ok: false, detail: `Discord answered ${response.status} for the ${scope} commands` };
  const registered = new Set(((await response.json()) as { name: string }[]).map((c) => c.name));
  const missing = COMMAND_NAMES.filter((n) => !registered.has(n));
  if (missing.length > 0)
    return { name, ok: false, detail: `${scope}: missing /${missing.join(", /")}: run npm run register` };
  return { name, ok: true, detail: `${scope}: /${COMMAND_NAMES.join(", /")} registered` };
}

async function channel(t: DoctorTarget, d: NonNullable<DoctorTarget["discord"]>, id: string): Promise<CheckResult> {
  const response = await discordGet(t, d, `/channels/${id}/messages?limit=1`);
  const name = "channel";
  if (response.ok) return { name, ok: true, detail: `the bot can read channel ${id}` };
  const why =
    response.status === 404
      ? "no such channel"
      : response.status === 403
        ? "no access (invite the bot, give it the channel)"
        : `answer ${response.status}`;
  return { name, ok: false, detail: `channel ${id}: ${why}` };
}

const TRADING_BASE = { paper: "https://paper-api.alpaca.markets", live: "https://api.alpaca.markets" };

async function alpaca(t: DoctorTarget, a: NonNullable<DoctorTarget["alpaca"]>): Promise<CheckResult> {
  const base = a.tradingBase ?? TRADING_BASE[a.mode];
  const response = await t.fetch(`${base}/v2/account`, {
    headers: { "APCA-API-KEY-ID": a.keyId, "APCA-API-SECRET-KEY": a.secretKey },
  });
  const name = "Alpaca account";
  if (response.status === 401 || response.status === 403) {
    const other = a.mode === "paper" ? "live" : "paper";
    return {
      name,
      ok: false,
      detail: `the ${a.mode} endpoint refused the keys (${response.status}): wrong keys, or ${other} keys in ${a.mode} mode`,
    };
  }
  if (!response.ok) return { name, ok: false, detail: `Alpaca answered ${response.status}` };
  const account = (await response.json()) as {
    status?: string;
    options_trading_level?: number;
    trading_blocked?: boolean;
  };
  const level = Number(account.options_trading_level ?? 0);
  if (account.status !== "ACTIVE" || account.trading_blocked)
    return {
      name,
      ok: false,
      detail: `${a.mode} account is ${account.status}${account.trading_blocked ? ", trading blocked" : ""}`,
    };
  if (level < 3)
    return {
      name,
      ok: false,
      detail: `${a.mode} account has options level ${level}; spreads need level 3 (ask Alpaca)`,
    };
  return { name, ok: true, detail: `${a.mode} account active, options level ${level}` };
}

async function anthropic(t: DoctorTarget, k: NonNullable<DoctorTarget["anthropic"]>): Promise<CheckResult> {
  const response = await t.fetch(`${k.apiBase ?? "https://api.anthropic.com"}/v1/models?limit=1`, {
    headers: { "x-api-key": k.apiKey, "anthropic-version": "2023-06-01" },
  });
  const name = "Anthropic key";
  if (response.ok) return { name, ok: true, detail: "accepted (the analyst can call Claude)" };
  return { name, ok: false, detail: `refused (${response.status}): the rule-based analyst will write the theses` };
}
