import { beforeEach, describe, expect, it } from "vitest";
import { BrokerError } from "../../../src/broker/port";
import { bullPut } from "../../support/alpaca-orders";
import {
  bodiesHeldUntilTimeout,
  listOrders,
  moveMarket,
  repliesHeldUntilTimeout,
  requests,
  reset,
  setFaults,
  simBroker,
} from "../../support/alpaca-sim";

const posts = async () => (await requests()).filter((r) => r.method === "POST" && r.path === "/v2/orders").length;

beforeEach(async () => {
  await reset();
});

describe("Alpaca adapter on the simulator: placing orders", () => {
  it("places exactly one mleg order, sent as Alpaca's wire body, and it fills at the limit", async () => {
    const broker = simBroker();
    const { order, short, long, credit } = await bullPut(broker, { clientOrderId: "rec-1-open" });
    const before = broker.subrequestCount();
    const outcome = await broker.submitOrder(order);
    expect(broker.subrequestCount() - before).toBe(1);
    expect(outcome.kind).toBe("placed");
    if (outcome.kind !== "placed") return;
    expect(outcome.order).toMatchObject({ clientOrderId: "rec-1-open", status: "filled", qty: 1, filledQty: 1 });
    expect(outcome.order.limitPrice).toBeCloseTo(-credit, 2);
    expect(outcome.order.legs.map((l) => [l.symbol, l.side])).toEqual([
      [short.symbol, "sell"],
      [long.symbol, "buy"],
    ]);
    // The legs' fills are in cents and net the order's price, as an exchange's do.
    const [sold = Number.NaN, bought = Number.NaN] = outcome.order.legs.map((l) => l.filledAvgPrice ?? Number.NaN);
    expect(sold - bought).toBeCloseTo(-(outcome.order.filledAvgPrice ?? Number.NaN), 9);
    expect(Math.round(sold * 100)).toBeCloseTo(sold * 100, 9);
    const [stored, ...others] = await listOrders();
    expect(others).toHaveLength(0);
    expect(stored).toMatchObject({
      order_class: "mleg",
      type: "limit",
      time_in_force: "day",
      qty: "1",
      limit_price: order.limit_price.replace(/0+$/, "").replace(/\.$/, ""),
      client_order_id: "rec-1-open",
    });
    expect(stored?.legs).toEqual([
      expect.objectContaining({ symbol: short.symbol, side: "sell", position_intent: "sell_to_open", ratio_qty: "1" }),
      expect.objectContaining({ symbol: long.symbol, side: "buy", position_intent: "buy_to_open", ratio_qty: "1" }),
    ]);
    expect(await posts()).toBe(1);
  });

  it("holds the spread's width against buying power and shows signed leg positions", async () => {
    const broker = simBroker();
    const { order, short, long, credit } = await bullPut(broker, { clientOrderId: "rec-2-open", qty: 2 });
    await broker.submitOrder(order);
    const positions = await broker.positions();
    expect(positions.map((p) => [p.symbol, p.qty]).sort()).toEqual(
      [
        [long.symbol, 2],
        [short.symbol, -2],
      ].sort(),
    );
    const account = await broker.account();
    expect(account.optionsBuyingPower).toBeCloseTo(100_000 - (5 - credit) * 200, 0);
  });

  it("resolves a lost response by looking the order up, without a second order", async () => {
    const broker = simBroker();
    const { order } = await bullPut(broker, { clientOrderId: "rec-3-open" });
    await setFaults({ lose_next_order_response: true });
    const before = broker.subrequestCount();
    const outcome = await broker.submitOrder(order);
    expect(outcome.kind).toBe("placed");
    if (outcome.kind === "placed") expect(outcome.order.clientOrderId).toBe("rec-3-open");
    expect(broker.subrequestCount() - before).toBe(2);
    expect(await listOrders()).toHaveLength(1);
    expect(await posts()).toBe(1);
    expect((await requests()).filter((r) => r.path === "/v2/orders:by_client_order_id")).toHaveLength(1);
  });

  it("answers already_submitted when the client order id was used, and keeps one order", async () => {
    const broker = simBroker();
    const { order } = await bullPut(broker, { clientOrderId: "rec-4-open" });
    const first = await broker.submitOrder(order);
    const second = await broker.submitOrder(order);
    expect(second.kind).toBe("already_submitted");
    if (first.kind === "placed" && second.kind === "already_submitted") expect(second.order.id).toBe(first.order.id);
    expect(await listOrders()).toHaveLength(1);
  });

  it("on a 5xx to the order POST looks the order up and, not finding it, answers unknown without resending", async () => {
    const broker = simBroker();
    const { order } = await bullPut(broker, { clientOrderId: "rec-5-open" });
    await setFaults({ fail_next: { count: 1, status: 503, method: "POST", path_prefix: "/v2/orders" } });
    const outcome = await broker.submitOrder(order);
    expect(outcome.kind).toBe("unknown");
    if (outcome.kind === "unknown") {
      expect(outcome.error.code).toBe("unavailable");
      expect(outcome.error.retryable).toBe(false);
      expect(outcome.error.message).toContain("Check Alpaca before placing it again");
    }
    expect(await posts()).toBe(1);
    expect((await requests()).filter((r) => r.path === "/v2/orders:by_client_order_id")).toHaveLength(1);
  });

  it("on a timeout answers unknown, and the order the slow reply placed is found later", async () => {
    const { order } = await bullPut(simBroker(), { clientOrderId: "rec-6-open" });
    // Every reply (the POST's and the lookup's after it) comes after the broker's 150 ms timeout.
    const slow = simBroker({ timeoutMs: 150, fetch: repliesHeldUntilTimeout() });
    const outcome = await slow.submitOrder(order);
    expect(outcome.kind).toBe("unknown");
    if (outcome.kind === "unknown") expect(outcome.error.code).toBe("timeout");
    expect((await simBroker().orderByClientId("rec-6-open"))?.clientOrderId).toBe("rec-6-open");
    expect(await posts()).toBe(1);
  });

  it("on an answer whose body stalls past the timeout answers unknown, and the order is found later", async () => {
    const { order } = await bullPut(simBroker(), { clientOrderId: "rec-6b-open" });
    // The headers come, then the body stops: the request's deadline still ends the read.
    const stalled = simBroker({ timeoutMs: 150, fetch: bodiesHeldUntilTimeout() });
    const outcome = await stalled.submitOrder(order);
    expect(outcome.kind).toBe("unknown");
    if (outcome.kind === "unknown") expect(outcome.error).toMatchObject({ code: "timeout", retryable: false });
    expect((await simBroker().orderByClientId("rec-6b-open"))?.clientOrderId).toBe("rec-6b-open");
    expect(await posts()).toBe(1);
  });

  it("bounds every read's body by the timeout: the account, the chain, the order lookup", async () => {
    const stalled = simBroker({ timeoutMs: 150, fetch: bodiesHeldUntilTimeout() });
    const today = "2027-01-15"; // any day: the body never comes
    const reads: [string, Promise<unknown>][] = [
      ["Reading the account", stalled.account()],
      ["option chain", stalled.optionChain({ underlying: "SPY", expirationFrom: today, expirationTo: today })],
      ["Looking up the order", stalled.orderByClientId("no-such-order")],
    ];
    for (const [what, read] of reads) {
      const error = await read.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, what).toBeInstanceOf(BrokerError);
      expect(error, what).toMatchObject({ code: "timeout", retryable: true });
      expect((error as BrokerError).message, what).toContain("did not answer in time");
    }
  });

  it("retries a read after a 429 and succeeds, but never retries an order POST", async () => {
    const broker = simBroker();
    await setFaults({ fail_next: { count: 1, status: 429, retry_after: 0 } });
    expect((await broker.account()).optionsLevel).toBe(3);
    expect(broker.subrequestCount()).toBe(2);

    const { order } = await bullPut(broker, { clientOrderId: "rec-7-open" });
    await setFaults({ fail_next: { count: 1, status: 429, retry_after: 0, method: "POST" } });
    const outcome = await broker.submitOrder(order);
    // A 429 on an order POST is not read as a refusal: the order is looked up, never resent.
    expect(outcome.kind).toBe("unknown");
    if (outcome.kind === "unknown") expect(outcome.error).toMatchObject({ code: "rate_limited", retryable: false });
    expect(await posts()).toBe(1);
    expect(await listOrders()).toHaveLength(0);
  });

  it.each([
    ["insufficient_buying_power", "Not enough options buying power"],
    ["pattern_day_trader", "pattern day trader"],
    ["wash_trade", "wash trade"],
    ["market_closed", "market is closed"],
    ["not_tradable", "not tradable"],
  ] as const)("maps Alpaca's %s refusal to a reason a trader can read", async (code, words) => {
    const broker = simBroker();
    const { order } = await bullPut(broker, { clientOrderId: `rec-8-${code}` });
    await setFaults({ reject_next_order: code });
    const outcome = await broker.submitOrder(order);
    expect(outcome.kind).toBe("rejected");
    if (outcome.kind !== "rejected") return;
    expect(outcome.error.code).toBe(code);
    expect(outcome.error.retryable).toBe(false);
    expect(outcome.error.message).toContain(words);
    expect(outcome.error.message).toContain("Alpaca said");
  });

  it("refuses an order larger than the buying power, and a contract that is not listed", async () => {
    const broker = simBroker();
    const big = await bullPut(broker, { clientOrderId: "rec-9-big", qty: 1000 });
    const tooBig = await broker.submitOrder(big.order);
    expect(tooBig.kind === "rejected" && tooBig.error.code).toBe("insufficient_buying_power");
    const bogus = { ...big.order, qty: "1", client_order_id: "rec-9-bogus" };
    bogus.legs = [
      { ...big.order.legs[0], symbol: "SPY991231P01234000" } as (typeof bogus.legs)[number],
      ...big.order.legs.slice(1),
    ];
    const unlisted = await broker.submitOrder(bogus);
    expect(unlisted.kind === "rejected" && unlisted.error.code).toBe("not_tradable");
    expect(await listOrders()).toHaveLength(0);
  });

  it("throws an unauthorized BrokerError when Alpaca refuses the keys", async () => {
    await setFaults({ unauthorized: true });
    const error = await simBroker()
      .account()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ code: "unauthorized", retryable: false, status: 401 });
    expect((error as BrokerError).message).toContain("ALPACA_KEY_ID");
  });

  it("rests a greedy limit until the market comes to it, and cancels a resting order", async () => {
    const broker = simBroker();
    const since = Date.now() - 1000;
    const greedy = await bullPut(broker, { clientOrderId: "rec-10-greedy", extraCredit: 0.3 });
    const placed = await broker.submitOrder(greedy.order);
    expect(placed.kind === "placed" && placed.order.status).toBe("new");
    await moveMarket({ symbol: "SPY", move_pct: -3 });
    expect((await broker.orderByClientId("rec-10-greedy"))?.status).toBe("filled");

    const resting = await bullPut(broker, { clientOrderId: "rec-10-rest", extraCredit: 1 });
    const rest = await broker.submitOrder(resting.order);
    if (rest.kind !== "placed") throw new Error(`expected placed, got ${rest.kind}`);
    await broker.cancelOrder(rest.order.id);
    expect((await broker.orderByClientId("rec-10-rest"))?.status).toBe("canceled");
    const cancelAgain = await broker.cancelOrder(rest.order.id).catch((e: unknown) => e);
    expect(cancelAgain).toMatchObject({ code: "rejected", status: 422 });
    const closed = await broker.recentOrders(since);
    expect(closed.map((o) => [o.clientOrderId, o.status])).toEqual([
      ["rec-10-rest", "canceled"],
      ["rec-10-greedy", "filled"],
    ]);
    expect(await broker.orderByClientId("nope")).toBeNull();
  });
});
