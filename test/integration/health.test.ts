import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /health", () => {
  it("answers 200 JSON with the version and the paper mode", async () => {
    const response = await exports.default.fetch("http://bot.test/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = await response.json<{ ok: boolean; mode: string; version: string }>();
    expect(body).toMatchObject({ ok: true, mode: "paper" });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("answers an unknown route with a JSON 404 naming the path", async () => {
    const response = await exports.default.fetch("http://bot.test/nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found", message: "No route for /nope" });
  });
});
