// Discord's Cloudflare edge as the simulator plays it: it answers before the API does.
// - A call without a `DiscordBot ($url, $versionNumber)` User-Agent is refused. Discord's
//   reference ("HTTP API › User Agent") says such calls "may be blocked and return a Cloudflare
//   error"; since 2023 that error is a JSON 403 `{"message": "internal network error", "code":
//   40333}` (discord/discord-api-docs#6473, reproduced there with a browser User-Agent).
// - Fault answers for a Worker IP the edge has blocked ("Invalid Request Limit aka Cloudflare
//   bans" in rate-limits.mdx): Cloudflare's own HTML page with a 429 or 403, and Discord's
//   JSON 429 with `code: 0` and no `retry_after`, as bots on shared hosts report it.

import { EDGE_BLOCK_CODE } from "../../discord/edge";
import rateLimitedPage from "./cloudflare-1015.html";
import accessDeniedPage from "./cloudflare-1020.html";

/** How an edge fault answers: Cloudflare's HTML page, or Discord's JSON block. */
export type EdgeFaultKind = "html" | "blocked";

const DISCORD_BOT_AGENT = /^DiscordBot \(\S+, \S+\)/;

/** The edge's refusal of a call without a DiscordBot User-Agent, or null when it has one. */
export function refuseWithoutUserAgent(request: Request): Response | null {
  if (DISCORD_BOT_AGENT.test(request.headers.get("user-agent") ?? "")) return null;
  return Response.json(
    { message: "internal network error", code: EDGE_BLOCK_CODE },
    { status: 403, headers: { "cf-ray": cfRay(), "x-sim-reason": "no DiscordBot User-Agent" } },
  );
}

/** What a blocked IP gets back, with `status` 429 or 403. Neither names a wait. */
export function edgeFaultResponse(status: number, kind: EdgeFaultKind): Response {
  const headers = { "cf-ray": cfRay() };
  if (kind === "html") {
    return new Response(status === 429 ? rateLimitedPage : accessDeniedPage, {
      status,
      headers: { ...headers, "content-type": "text/html; charset=UTF-8" },
    });
  }
  if (status === 429) {
    return Response.json(
      {
        message:
          "You are being blocked from accessing our API temporarily due to exceeding our rate limits frequently. " +
          "Please read our docs at https://discord.com/developers/docs/topics/rate-limits to prevent this moving forward.",
        code: 0,
      },
      { status, headers },
    );
  }
  return Response.json({ message: "internal network error", code: EDGE_BLOCK_CODE }, { status, headers });
}

function cfRay(): string {
  return `${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}-SIM`;
}
