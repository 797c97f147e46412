// The simulator answers in Alpaca's shapes: every key of a documented example response is there
// with the same JSON type (null in either is allowed: Alpaca sends null for absent values).
import { describe, expect, it } from "vitest";
import { hasStandardRoot, parseOccSymbol } from "../../../src/domain/occ";
import account from "../../fixtures/alpaca/account.json";
import calendar from "../../fixtures/alpaca/calendar.json";
import clock from "../../fixtures/alpaca/clock.json";
import duplicate from "../../fixtures/alpaca/error-duplicate-client-order-id.json";
import chain from "../../fixtures/alpaca/option-chain-snapshots.json";
import contracts from "../../fixtures/alpaca/option-contracts.json";
import order from "../../fixtures/alpaca/order-mleg.json";
import position from "../../fixtures/alpaca/position-option.json";
import { alpacaGet, reset, simFetch } from "../../support/alpaca-sim";

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Objects keyed by symbol: their entries are compared, not their keys. */
const MAPS = new Set(["snapshots"]);

/** Differences between a documented example and the simulator's answer, as readable paths. */
function shapeDiff(expected: unknown, actual: unknown, path = "$"): string[] {
  const [e, a] = [kind(expected), kind(actual)];
  if (e === "null" || a === "null") return [];
  if (e !== a) return [`${path}: expected ${e}, got ${a}`];
  if (MAPS.has(path.split(".").at(-1) ?? "")) {
    const [first] = Object.values(expected as object);
    const [got] = Object.values(actual as object);
    return got === undefined ? [`${path}: empty`] : shapeDiff(first, got, `${path}.*`);
  }
  if (e === "array") {
    const [first] = expected as unknown[];
    const [got] = actual as unknown[];
    return first === undefined || got === undefined ? [] : shapeDiff(first, got, `${path}[0]`);
  }
  if (e !== "object") return [];
  const exp = expected as Record<string, unknown>;
  const act = actual as Record<string, unknown>;
  return Object.keys(exp).flatMap((k) =>
    k in act ? shapeDiff(exp[k], act[k], `${path}.${k}`) : [`${path}.${k}: missing`],
  );
}

const DAY = 86_400_000;
const date = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const get = async (url: string) => {
  const response = await alpacaGet(url);
  expect(response.status).toBe(200);
  return response.json<unknown>();
};

async function placeSpread(clientOrderId: string): Promise<Response> {
  const body = (await get(
    `https://data.alpaca.markets/v1beta1/options/snapshots/SPY?feed=indicative&limit=1000&type=put&expiration_date_gte=${date(28)}&expiration_date_lte=${date(36)}&strike_price_gte=570&strike_price_lte=575`,
  )) as { snapshots: Record<string, unknown> };
  // Legs are standard SPY contracts, whatever else the feed lists (the odd_chain_entries knob).
  const [longLeg, , , , , shortLeg] = Object.keys(body.snapshots)
    .filter((symbol) => parseOccSymbol(symbol).ok && hasStandardRoot(symbol, "SPY"))
    .sort();
  return simFetch()("https://paper-api.alpaca.markets/v2/orders", {
    method: "POST",
    headers: { "APCA-API-KEY-ID": "k", "APCA-API-SECRET-KEY": "s", "content-type": "application/json" },
    body: JSON.stringify({
      order_class: "mleg",
      type: "limit",
      time_in_force: "day",
      qty: "1",
      limit_price: "-0.01",
      client_order_id: clientOrderId,
      legs: [
        { symbol: shortLeg, side: "sell", position_intent: "sell_to_open", ratio_qty: "1" },
        { symbol: longLeg, side: "buy", position_intent: "buy_to_open", ratio_qty: "1" },
      ],
    }),
  });
}

describe("the simulator answers in Alpaca's documented shapes", () => {
  it("GET /v2/options/contracts", async () => {
    await reset();
    const body = await get(
      `https://paper-api.alpaca.markets/v2/options/contracts?underlying_symbols=SPY&expiration_date_lte=${date(10)}`,
    );
    expect(shapeDiff(contracts, body)).toEqual([]);
    expect((body as { option_contracts: unknown[] }).option_contracts).toHaveLength(100);
  });

  it("GET /v1beta1/options/snapshots/{underlying}", async () => {
    const body = (await get(
      `https://data.alpaca.markets/v1beta1/options/snapshots/SPY?feed=indicative&strike_price_gte=590&strike_price_lte=600&expiration_date_gte=${date(20)}`,
    )) as { snapshots: Record<string, object> };
    // greeks, impliedVolatility and the bars are optional in Alpaca's schema: the simulator leaves
    // them out of some entries on purpose (gaps, untraded contracts), so the shape is compared on
    // an entry that has them all.
    const complete = Object.entries(body.snapshots).filter(
      ([, s]) => "greeks" in s && "impliedVolatility" in s && "dailyBar" in s,
    );
    expect(shapeDiff(chain, { ...body, snapshots: Object.fromEntries(complete.slice(0, 1)) })).toEqual([]);
  });

  it("GET /v2/account, /v2/clock and /v2/calendar", async () => {
    expect(shapeDiff(account, await get("https://paper-api.alpaca.markets/v2/account"))).toEqual([]);
    expect(shapeDiff(clock, await get("https://paper-api.alpaca.markets/v2/clock"))).toEqual([]);
    const days = await get("https://paper-api.alpaca.markets/v2/calendar?start=2024-01-02&end=2024-01-02");
    expect(days).toEqual(calendar);
  });

  it("POST /v2/orders (mleg), GET /v2/positions, and the 422 of a reused client_order_id", async () => {
    await reset();
    const placed = await placeSpread("shape-1");
    expect(placed.status).toBe(200);
    const placedBody = await placed.json<{ status: string }>();
    expect(placedBody.status).toBe("filled");
    expect(shapeDiff(order, placedBody)).toEqual([]);
    expect(shapeDiff([position], await get("https://paper-api.alpaca.markets/v2/positions"))).toEqual([]);
    const again = await placeSpread("shape-1");
    expect(again.status).toBe(422);
    expect(await again.json()).toEqual(duplicate);
  });
});
