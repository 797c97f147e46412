// The simulator is the broker in every loop test: it must not lose an order when several
// arrive at once (a Durable Object interleaves requests at each await).
import { beforeEach, describe, expect, it } from "vitest";
import { openSpreadOrder } from "../../../src/domain/orders";
import * as alpaca from "../../support/alpaca-sim";

beforeEach(() => alpaca.reset());

describe("simulated broker under concurrent orders", () => {
  it("keeps every one of eight simultaneous orders, and refuses a reused client order id once", async () => {
    const broker = alpaca.simBroker();
    const chain = await broker.optionChain({
      underlying: "SPY",
      expirationFrom: "2027-01-04",
      expirationTo: "2027-01-15",
    });
    const puts = chain.contracts.filter((c) => c.type === "put" && c.expiration === chain.contracts[0]?.expiration);
    const short = puts.find((p) => p.strike === Math.round(chain.underlying.price * 0.95));
    const long = puts.find((p) => short && p.strike === short.strike - 5);
    if (!short || !long) throw new Error("no strikes for the test spread");
    const order = (id: string) =>
      openSpreadOrder({
        strategy: "bull_put",
        shortSymbol: short.symbol,
        longSymbol: long.symbol,
        contracts: 1,
        limitCredit: 0.05,
        clientOrderId: id,
      });
    const ids = Array.from({ length: 8 }, (_, i) => `conc-${i}`);
    const outcomes = await Promise.all([...ids, "conc-0"].map((id) => broker.submitOrder(order(id))));
    expect(outcomes.filter((o) => o.kind === "placed")).toHaveLength(8);
    expect(outcomes.filter((o) => o.kind === "already_submitted")).toHaveLength(1);
    const orders = await alpaca.listOrders();
    expect(orders.map((o) => o.client_order_id).sort()).toEqual(ids);
  });
});
