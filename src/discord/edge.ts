// What Discord's Cloudflare edge asks of a caller, and how it says no. Used by the Worker's REST
// client and by `npm run register` (plain Node: this file imports nothing).
//
// - Discord's reference ("HTTP API › User Agent", discord-api-docs developers/reference.mdx):
//   clients "must provide a valid User Agent … `DiscordBot ($url, $versionNumber)`"; requests
//   without one "may be blocked and return a Cloudflare error".
// - Its "Invalid Request Limit aka Cloudflare bans" (developers/topics/rate-limits.mdx): an IP
//   with too many 401/403/429 answers is restricted for a while. Workers share IPs, so another
//   tenant's bot can get ours blocked: reported as 429s with `code: 0` and no `retry_after`
//   ("You are being blocked from accessing our API temporarily…"), as Cloudflare's own HTML
//   pages, and since 2023 as 403 `{"message": "internal network error", "code": 40333}`
//   (discord/discord-api-docs#6473).

/** Where Discord can read about this bot; Discord does not check it, it only wants one. */
export const PROJECT_URL = "https://github.com/spread-desk/spread-desk";

/** The User-Agent every Discord call carries. `version` is package.json's (the one place it lives). */
export function discordUserAgent(version: string): string {
  return `DiscordBot (${PROJECT_URL}, ${version})`;
}

/** What Discord's edge sends instead of an API answer: how to say it, and any wait it asked for. */
export interface EdgeRefusal {
  what: string;
  retryAfterMs: number | null;
}

/** The 403 code Discord's edge answers a blocked caller with (discord-api-docs#6473). */
export const EDGE_BLOCK_CODE = 40333;

/**
 * A refusal by Discord's edge rather than an answer of the API, or null. The API's own 429 always
 * carries `retry_after` in a JSON body (rate-limits.mdx, "Rate Limit Response Structure") and its
 * own 403s are JSON naming what is missing (50001, 50013…). So a 429 or 403 that is not JSON
 * (Cloudflare's page), a 403 with code 40333, or a 429 without `retry_after` came from the edge.
 */
export function edgeRefusal(status: number, headers: Headers, text: string): EdgeRefusal | null {
  if (status !== 429 && status !== 403) return null;
  const retryAfterMs = seconds(headers.get("retry-after"));
  const body = jsonObject(text);
  if (body === null) return { what: `${status} with a non-JSON body (a Cloudflare page)`, retryAfterMs };
  if (status === 403) {
    return body.code === EDGE_BLOCK_CODE
      ? { what: `403 "internal network error" (code ${EDGE_BLOCK_CODE})`, retryAfterMs }
      : null;
  }
  if (typeof body.retry_after === "number") return null;
  if (body.code === 0 || retryAfterMs === null)
    return { what: "429 without retry_after (a temporary IP block)", retryAfterMs };
  return null;
}

function seconds(header: string | null): number | null {
  if (header === null || header.trim() === "") return null;
  const value = Number(header);
  return Number.isFinite(value) && value >= 0 ? Math.ceil(value * 1000) : null;
}

function jsonObject(text: string): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // Not JSON: Cloudflare's HTML, or nothing at all. The caller reports it as such.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : null;
}
