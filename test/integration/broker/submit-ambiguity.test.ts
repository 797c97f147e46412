// Unknown is unknown (issue 11): only Alpaca's readable 4xx refusal means an order was not taken.
// Every other failure of an order POST (a 429, an answer whose body cannot be read) may have left
// an order that fills, so the adapter looks it up by client order id and never sends it again.
import { beforeEach, describe, expect, it } from "vitest";
import type { Broker } from "../../../src/broker/port";
import type { MlegOrderRequest } from "../../../src/domain/types";
import { listOrders, requests, reset, setFaults, simBroker } from "../../support/alpaca-sim";

const DAY = 86_400_000;
const date = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

/** A marketable SPY bull put spread (5 wide, 5 cents under the mid credit) on the simulator's quotes. */
async function marketableBullPut(broker: Broker, clientOrderId: string): Promise<MlegOrderRequest> {
  const chain = await broker.optionChain({ underlying: "SPY", expirationFrom: date(28), expirationTo: date(42) });
  const shortStrike = Math.round(chain.underlying.price * 0.97);
  const expiration = chain.contracts[0]?.expiration;
  const put = (strike: number) => {
    const c = chain.contracts.find((q) => q.type === "put" && q.strike === strike && q.expiration === expiration);
    if (!c || c.bid === null || c.ask === null) throw new Error(`no quote for the ${strike} put`);
    return { symbol: c.symbol, mid: (c.bid + c.ask) / 2 };
  };
  const short = put(shortStrike);
  const long = put(shortStrike - 5);
  const credit = Math.round((short.mid - long.mid) * 100) / 100 - 0.05;
  return {
    order_class: "mleg",
    type: "limit",
    time_in_force: "day",
    qty: "1",
    limit_price: (-credit).toFixed(2),
    client_order_id: clientOrderId,
    legs: [
      { symbol: short.symbol, side: "sell", position_intent: "sell_to_open", ratio_qty: "1" },
      { symbol: long.symbol, side: "buy", position_intent: "buy_to_open", ratio_qty: "1" },
    ],
  };
}

const orderPosts = async () => (await requests()).filter((r) => r.method === "POST" && r.path === "/v2/orders");
const lookups = async () => (await requests()).filter((r) => r.path === "/v2/orders:by_client_order_id");

beforeEach(async () => {
  await reset();
});

describe("an order POST whose outcome is not a readable refusal", () => {
  it("a 200 whose body is cut short is looked up and answers placed with the order Alpaca took", async () => {
    const broker = simBroker();
    const order = await marketableBullPut(broker, "amb-1-open");
    await setFaults({ garble_next_order_response: true });

    const outcome = await broker.submitOrder(order);

    expect(outcome.kind).toBe("placed");
    if (outcome.kind === "placed")
      expect(outcome.order).toMatchObject({ clientOrderId: "amb-1-open", status: "filled", filledQty: 1 });
    const stored = await listOrders();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ client_order_id: "amb-1-open", status: "filled" });
    expect(await orderPosts()).toHaveLength(1);
    expect(await lookups()).toHaveLength(1);
  });

  it("a 200 whose body is cut short, with the lookup failing too, answers unknown (never rejected) and keeps the one order", async () => {
    const broker = simBroker();
    const order = await marketableBullPut(broker, "amb-2-open");
    await setFaults({
      garble_next_order_response: true,
      fail_next: { count: 3, status: 503, method: "GET", path_prefix: "/v2/orders:by_client_order_id" },
    });

    const outcome = await broker.submitOrder(order);

    expect(outcome.kind).toBe("unknown");
    if (outcome.kind === "unknown") {
      expect(outcome.error.retryable).toBe(false);
      expect(outcome.error.message).toContain("could not be read");
      expect(outcome.error.message).toContain("Check Alpaca for client id amb-2-open before placing it again");
    }
    const stored = await listOrders();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ client_order_id: "amb-2-open", status: "filled" });
    expect(await orderPosts()).toHaveLength(1);
  });

  it("a 429 on the order POST is sent once, looked up, and answers unknown when Alpaca does not show the order", async () => {
    const broker = simBroker();
    const order = await marketableBullPut(broker, "amb-3-open");
    await setFaults({
      fail_next: { count: 1, status: 429, retry_after: 0, method: "POST", path_prefix: "/v2/orders" },
    });

    const outcome = await broker.submitOrder(order);

    expect(outcome.kind).toBe("unknown");
    if (outcome.kind === "unknown") {
      expect(outcome.error).toMatchObject({ code: "rate_limited", retryable: false, status: 429 });
      expect(outcome.error.message).toContain("Check Alpaca before placing it again");
    }
    // The SDK retries reads on a 429; the order POST went out once and was not resent.
    expect(await orderPosts()).toHaveLength(1);
    expect(await lookups()).toHaveLength(1);
    expect(await listOrders()).toHaveLength(0);
  });

  it("a 403 whose body is not Alpaca's {code, message} JSON is looked up, not taken as a refusal", async () => {
    const broker = simBroker();
    const order = await marketableBullPut(broker, "amb-4-open");
    await setFaults({ reject_next_order: "insufficient_buying_power", garble_next_order_response: true });

    const outcome = await broker.submitOrder(order);

    expect(outcome.kind).toBe("unknown");
    if (outcome.kind === "unknown") {
      expect(outcome.error).toMatchObject({ code: "unknown", retryable: false, status: 403 });
      expect(outcome.error.message).toContain("Alpaca answered HTTP 403 without its usual error");
      expect(outcome.error.message).not.toContain("refused");
    }
    expect(await orderPosts()).toHaveLength(1);
    expect(await lookups()).toHaveLength(1);
    expect(await listOrders()).toHaveLength(0);
  });
});
