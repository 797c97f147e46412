// The endpoint's edges on the real runtime (issue 12): the production entry refuses the
// sandbox's published test key, the signature is checked before anything about the
// configuration is said, and a body without a Content-Length is read only up to the cap.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../../src/discord/verify";
import { realWorld } from "../../../src/outside";
import sandbox from "../../../src/sandbox/index";
import { createWorker } from "../../../src/worker";
import { ping } from "../../support/discord-interactions";
import { signBody, signedRequest } from "../../support/sign";

const production = createWorker("real", () => realWorld);

async function fetchWith(
  worker: { fetch: (r: Request, e: Env, c: ExecutionContext) => Promise<Response> },
  request: Request,
  overrides: Record<string, string> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, ...overrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("the production entry and the published test key", () => {
  it("answers /health with 503 naming DISCORD_PUBLIC_KEY", async () => {
    const response = await fetchWith(production, new Request("http://bot.test/health"));
    expect(response.status).toBe(503);
    const body = await response.json<{ ok: boolean; error: string }>();
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(/DISCORD_PUBLIC_KEY is the sandbox's published test key/);
  });

  it("does not answer a PING signed with the test key", async () => {
    const response = await fetchWith(production, await signedRequest(ping()));
    expect(response.status).toBe(503);
    expect(await response.text()).not.toMatch(/"type":\s*1/);
  });

  it("says only that it runs, and its version, when configured", async () => {
    const response = await fetchWith(production, new Request("http://bot.test/health"), {
      DISCORD_PUBLIC_KEY: "ab".repeat(32),
    });
    expect(response.status).toBe(200);
    expect(Object.keys(await response.json()).sort()).toEqual(["ok", "version"]);
  });
});

describe("signature before configuration", () => {
  const broken = { TRADING_MODE: "maybe" };

  it("answers an unsigned request 401 without a word about the configuration", async () => {
    const request = new Request("http://bot.test/discord/interactions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ping()),
    });
    const response = await fetchWith(sandbox, request, broken);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toMatch(/TRADING_MODE|config/i);
  });

  it("tells a signed caller what is wrong with the configuration (503)", async () => {
    const response = await fetchWith(sandbox, await signedRequest(ping()), broken);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/TRADING_MODE/);
  });
});

describe("a body without a Content-Length", () => {
  it("is read only up to the 256 KiB cap, then refused with 413", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    const chunks = 40; // 2.5 MiB if it were read whole
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled === chunks) return controller.close();
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const request = new Request("http://bot.test/discord/interactions", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-signature-ed25519": await signBody("{}", timestamp),
        "x-signature-timestamp": timestamp,
      },
      body,
    });
    expect(request.headers.get("content-length")).toBeNull();
    const response = await fetchWith(sandbox, request);
    expect(response.status).toBe(413);
    expect(pulled * chunk.byteLength).toBeLessThan(MAX_BODY_BYTES + 3 * chunk.byteLength);
  });
});
