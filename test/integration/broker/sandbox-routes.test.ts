import { exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { reset, simBroker } from "../../support/alpaca-sim";

const market = (body: unknown) =>
  exports.default.fetch("http://127.0.0.1/sandbox/api/market", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

beforeEach(async () => {
  await reset();
});

describe("sandbox routes answer on this machine only", () => {
  it("refuses a request for another host with 403 and says why, before any route runs", async () => {
    for (const host of ["bot.example.com", "spread-desk.someone.workers.dev", "10.0.0.5"]) {
      const response = await exports.default.fetch(`http://${host}/sandbox/api/interactions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "command", name: "halt", options: {} }),
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({
        error: "sandbox_local_only",
        message: expect.stringContaining("published test key"),
      });
    }
    for (const host of ["127.0.0.1", "localhost"])
      expect((await exports.default.fetch(`http://${host}/sandbox/api/clock`)).status).toBe(200);
  });
});

describe("sandbox routes of the simulated market", () => {
  it("moves SPY by a percentage and answers the new state", async () => {
    const before = await simBroker().underlyingQuote("SPY");
    const response = await market({ symbol: "SPY", move_pct: 1.5 });
    expect(response.status).toBe(200);
    const body = await response.json<{ open: boolean; prices: Record<string, number> }>();
    expect(body.open).toBe(true);
    expect(body.prices.SPY).toBeCloseTo(before.price * 1.015, 0);
  });

  it("sets a price, and the broker sees it", async () => {
    const response = await market({ symbol: "QQQ", price: 500.25 });
    expect(response.status).toBe(200);
    expect((await response.json<{ prices: Record<string, number> }>()).prices.QQQ).toBeCloseTo(500.25, 1);
    expect((await simBroker().underlyingQuote("QQQ")).price).toBeCloseTo(500.25, 1);
  });

  it("closes the market, and the clock says so", async () => {
    const response = await market({ open: false });
    expect(response.status).toBe(200);
    expect((await response.json<{ open: boolean }>()).open).toBe(false);
    expect((await simBroker().clock()).isOpen).toBe(false);
  });

  it.each([
    [{ symbol: "SPY" }, "a symbol needs move_pct or price"],
    [{ symbol: "spy", move_pct: 1 }, "symbol: must be an upper-case ticker like SPY"],
    [{ symbol: "SPY", move_pct: 1, price: 600 }, "give either move_pct or price, not both"],
    [{ move_pct: 2 }, "a move needs a symbol"],
    [{ open: "yes" }, "open:"],
    ["not json", "the body must be JSON"],
  ])("answers 400 with a message for %j", async (body, message) => {
    const response = await market(body);
    expect(response.status).toBe(400);
    const answer = await response.json<{ error: string; message: string }>();
    expect(answer.error).toBe("bad_request");
    expect(answer.message).toContain(message);
  });

  it("lists the simulated broker's orders as Alpaca order objects", async () => {
    const empty = await exports.default.fetch("http://127.0.0.1/sandbox/api/orders");
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual([]);
  });
});
