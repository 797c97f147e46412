// `npm run register`: publish the slash commands of src/discord/commands.ts to Discord.
//   DISCORD_APPLICATION_ID  the application id (required)
//   DISCORD_BOT_TOKEN       the bot token (required; never printed)
//   DISCORD_GUILD_ID        register in this server only: instant (optional; global otherwise,
//                           which Discord may take up to an hour to show everywhere)
//   DISCORD_API_BASE        default https://discord.com/api/v10 (tests point it at a local fake)
// PUT replaces the whole set, so a command removed from commands.ts disappears from Discord too.
// The call carries the DiscordBot User-Agent Discord requires (src/discord/edge.ts), like the Worker's.
import { readFileSync } from "node:fs";
import { commandDefinitions } from "../src/discord/commands.ts";
import { discordUserAgent, edgeRefusal } from "../src/discord/edge.ts";

const snowflake = /^\d{15,22}$/;

function fail(message: string): never {
  console.error(`register: ${message}`);
  process.exit(1);
}

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) fail(`${name} is required`);
  return value;
}

const applicationId = required("DISCORD_APPLICATION_ID");
if (!snowflake.test(applicationId)) fail("DISCORD_APPLICATION_ID must be a Discord id (digits)");
const botToken = required("DISCORD_BOT_TOKEN");
const guildId = process.env.DISCORD_GUILD_ID?.trim() || undefined;
if (guildId !== undefined && !snowflake.test(guildId)) fail("DISCORD_GUILD_ID must be a Discord id (digits)");
const apiBase = (process.env.DISCORD_API_BASE?.trim() || "https://discord.com/api/v10").replace(/\/+$/, "");
if (!URL.canParse(apiBase)) fail("DISCORD_API_BASE must be a URL");

// The version lives in package.json only; plain Node imports JSON only with an import attribute.
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const commands = commandDefinitions();
const path = guildId
  ? `/applications/${applicationId}/guilds/${guildId}/commands`
  : `/applications/${applicationId}/commands`;

let response: Response;
try {
  response = await fetch(`${apiBase}${path}`, {
    method: "PUT",
    headers: {
      authorization: `Bot ${botToken}`,
      "content-type": "application/json",
      "user-agent": discordUserAgent(version),
    },
    body: JSON.stringify(commands),
  });
} catch (error) {
  fail(`could not reach ${apiBase}: ${error instanceof Error ? error.message : String(error)}`);
}

const text = await response.text();
const edge = response.ok ? null : edgeRefusal(response.status, response.headers, text);
if (edge) {
  fail(
    `Discord's edge refused this machine's IP (${edge.what}) on PUT ${path}. Nothing in the commands or ` +
      "the token is wrong: wait for the block to lift, or run it from another network.",
  );
}
if (!response.ok) fail(`Discord answered ${response.status} to PUT ${path}: ${text.slice(0, 500)}`);
const names = commands.map((c) => `/${c.name}`).join(", ");
console.log(`Registered ${commands.length} commands ${guildId ? `in guild ${guildId}` : "globally"}: ${names}`);
