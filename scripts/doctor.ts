// `npm run doctor -- https://spread-desk.<you>.workers.dev`: checks a deployment from the
// outside (scripts/doctor-checks.ts says what, and what no outside check can prove). Reads the
// same names as the Worker's settings from the environment, never prints a secret:
//   DISCORD_APPLICATION_ID, DISCORD_BOT_TOKEN, DISCORD_CHANNEL_ID, DISCORD_GUILD_ID (optional)
//   ALPACA_KEY_ID, ALPACA_SECRET_KEY, TRADING_MODE (paper unless "live")
//   ANTHROPIC_API_KEY (optional)
// Exit code 0 when every check that ran passed, 1 otherwise.
import { readFileSync } from "node:fs";
import { discordUserAgent } from "../src/discord/edge.ts";
import { CANNOT_CHECK, type DoctorTarget, runDoctor } from "./doctor-checks.ts";

const workerUrl = process.argv[2];
if (!workerUrl || !URL.canParse(workerUrl)) {
  console.error("usage: npm run doctor -- https://spread-desk.<your-subdomain>.workers.dev");
  process.exit(2);
}
const env = (name: string) => process.env[name]?.trim() || undefined;
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const target: DoctorTarget = { workerUrl, fetch };
const applicationId = env("DISCORD_APPLICATION_ID");
const botToken = env("DISCORD_BOT_TOKEN");
const channelId = env("DISCORD_CHANNEL_ID");
const guildId = env("DISCORD_GUILD_ID");
if (applicationId && botToken)
  target.discord = {
    apiBase: env("DISCORD_API_BASE") ?? "https://discord.com/api/v10",
    applicationId,
    botToken,
    userAgent: discordUserAgent(version),
    ...(channelId ? { channelId } : {}),
    ...(guildId ? { guildId } : {}),
  };
const keyId = env("ALPACA_KEY_ID");
const secretKey = env("ALPACA_SECRET_KEY");
if (keyId && secretKey) target.alpaca = { keyId, secretKey, mode: env("TRADING_MODE") === "live" ? "live" : "paper" };
const anthropicKey = env("ANTHROPIC_API_KEY");
if (anthropicKey) target.anthropic = { apiKey: anthropicKey };

const results = await runDoctor(target);
for (const r of results) console.log(`${r.ok === null ? "–" : r.ok ? "✓" : "✗"} ${r.name}: ${r.detail}`);
console.log("\nNot checkable from outside:");
for (const line of CANNOT_CHECK) console.log(`  · ${line}`);
process.exit(results.some((r) => r.ok === false) ? 1 : 0);
