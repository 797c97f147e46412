// Alpaca's real refusal texts, through the real SDK and the adapter: each becomes a code and a
// sentence a trader can act on, followed by Alpaca's own words; a text no rule knows is shown
// verbatim. Where the simulator checks what Alpaca checks (quantity held by a working close,
// the options level), the refusal comes from the check, not from a fault.
import { beforeEach, describe, expect, it } from "vitest";
import type { BrokerFailureCode, SubmitOutcome } from "../../../src/broker/port";
import { REJECTIONS, type RejectionName } from "../../../src/sandbox/alpaca/order-request";
import { bullPut, closeOf } from "../../support/alpaca-orders";
import { listOrders, reset, setFaults, simBroker, simFetch } from "../../support/alpaca-sim";

beforeEach(async () => {
  await reset();
});

function refusal(outcome: SubmitOutcome) {
  if (outcome.kind !== "rejected") throw new Error(`expected a refusal, got ${outcome.kind}`);
  return outcome.error;
}

describe("Alpaca's refusals, in a trader's words", () => {
  it.each<[RejectionName, BrokerFailureCode, string]>([
    ["insufficient_buying_power", "insufficient_buying_power", "Not enough options buying power"],
    ["pattern_day_trader", "pattern_day_trader", "pattern day trader protection"],
    ["wash_trade", "wash_trade", "an opposite order on the same contract is working"],
    ["not_tradable", "not_tradable", "not tradable at Alpaca"],
    ["market_closed", "market_closed", "The market is closed"],
    ["options_level", "options_level", "options level is below 3"],
    ["insufficient_qty", "qty_held", "A close is already working at Alpaca"],
    ["account_restricted", "account_restricted", "does not let this account trade"],
  ])("%s: code %s, the reason, then Alpaca's own text and status", async (name, code, words) => {
    const broker = simBroker();
    const { order } = await bullPut(broker, { clientOrderId: `rec-${name}` });
    await setFaults({ reject_next_order: name });
    const error = refusal(await broker.submitOrder(order));
    const { status, message } = REJECTIONS[name];
    expect(error).toMatchObject({ code, retryable: false, status });
    expect(error.message).toContain(words);
    expect(error.message).toContain(`Alpaca said: "${message}" (HTTP ${status})`);
    expect(await listOrders()).toEqual([]);
  });

  it("a refusal no rule knows is shown verbatim, with its status", async () => {
    const broker = simBroker();
    const { order } = await bullPut(broker, { clientOrderId: "rec-new-text" });
    const text = "order rejected: some check Alpaca added after this bot was written (code 99)";
    await setFaults({ reject_next_order: { status: 403, code: 40310000, message: text } });
    const error = refusal(await broker.submitOrder(order));
    expect(error.code).toBe("rejected");
    expect(error.message).toBe(`Placing the order: Alpaca refused the request. Alpaca said: "${text}" (HTTP 403).`);
  });

  it("'account is not authorized to trade' is the account, not the API keys", async () => {
    const broker = simBroker();
    const { order } = await bullPut(broker, { clientOrderId: "rec-blocked" });
    await setFaults({ reject_next_order: "account_restricted" });
    const error = refusal(await broker.submitOrder(order));
    expect(error.code).toBe("account_restricted");
    expect(error.message).not.toContain("ALPACA_KEY_ID");
  });
});

describe("refusals the simulator finds itself, as Alpaca does", () => {
  it("a second close while the first still works: 403 insufficient qty, with Alpaca's held_for_orders", async () => {
    const broker = simBroker();
    const spread = await bullPut(broker, { clientOrderId: "rec-q-open", qty: 2 });
    expect((await broker.submitOrder(spread.order)).kind).toBe("placed");
    const first = await broker.submitOrder(closeOf(spread, "rec-q-close-1", 2));
    expect(first.kind === "placed" && first.order.status).toBe("new"); // a one-cent debit rests

    const second = closeOf(spread, "rec-q-close-2", 2);
    const error = refusal(await broker.submitOrder(second));
    expect(error).toMatchObject({ code: "qty_held", status: 403, retryable: false });
    expect(error.message).toContain("A close is already working at Alpaca for these contracts");
    expect(error.message).toContain("insufficient qty available for order (requested: 2, available: 0)");

    // The body as Alpaca sends it (alpacahq/Alpaca-API#111): the figures beside code and message.
    const raw = await simFetch()("https://paper-api.alpaca.markets/v2/orders", {
      method: "POST",
      headers: { "APCA-API-KEY-ID": "k", "APCA-API-SECRET-KEY": "s", "content-type": "application/json" },
      body: JSON.stringify({ ...second, client_order_id: "rec-q-close-3" }),
    });
    expect(raw.status).toBe(403);
    expect(await raw.json()).toMatchObject({
      code: 40310000,
      available: "0",
      existing_qty: "2",
      held_for_orders: "2",
      related_orders: [first.kind === "placed" ? first.order.id : ""],
    });
    expect((await listOrders()).map((o) => o.client_order_id).sort()).toEqual(["rec-q-close-1", "rec-q-open"]);
  });

  it("once the working close is canceled, the quantity is free again", async () => {
    const broker = simBroker();
    const spread = await bullPut(broker, { clientOrderId: "rec-f-open" });
    await broker.submitOrder(spread.order);
    const first = await broker.submitOrder(closeOf(spread, "rec-f-close-1"));
    if (first.kind !== "placed") throw new Error("the first close was not placed");
    await broker.cancelOrder(first.order.id);
    expect((await broker.submitOrder(closeOf(spread, "rec-f-close-2"))).kind).toBe("placed");
  });

  it("below options level 3 a spread entry is refused as an options-level problem; a close still passes", async () => {
    const broker = simBroker();
    const spread = await bullPut(broker, { clientOrderId: "rec-l-open" });
    await broker.submitOrder(spread.order);
    await setFaults({ options_level: 2 });
    const entry = await bullPut(broker, { clientOrderId: "rec-l-open-2" });
    const error = refusal(await broker.submitOrder(entry.order));
    expect(error).toMatchObject({ code: "options_level", status: 403 });
    expect(error.message).toContain("/status shows the level");
    expect(error.message).toContain('"account not eligible to trade uncovered option contracts"');
    expect((await broker.submitOrder(closeOf(spread, "rec-l-close"))).kind).toBe("placed");
  });
});
