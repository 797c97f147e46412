// The sandbox's fills must agree with what the bot sees: a credit limit at the mid of the
// published quotes (rounded down to the cent, as the bot sends it) fills, whatever the instant.
import { beforeEach, describe, expect, it } from "vitest";
import { openSpreadOrder } from "../../../src/domain/orders";
import { spreadMid } from "../../../src/domain/spread-pricing";
import * as alpaca from "../../support/alpaca-sim";

beforeEach(() => alpaca.reset());

describe("simulated fills at the mid", () => {
  it("fills a credit spread priced at the published mid, at sixty different instants", async () => {
    const broker = alpaca.simBroker();
    const start = Date.UTC(2027, 0, 4, 15, 0);
    await alpaca.freezeClock(start);
    const chain = await broker.optionChain({
      underlying: "QQQ",
      expirationFrom: "2027-02-12",
      expirationTo: "2027-02-19",
    });
    const puts = chain.contracts.filter((c) => c.type === "put" && c.expiration === chain.contracts[0]?.expiration);
    const short = puts.find((p) => p.strike === Math.round(chain.underlying.price * 0.96));
    const long = puts.find((p) => short && p.strike === short.strike - 5);
    if (!short || !long) throw new Error("no spread to price");
    for (let i = 0; i < 60; i++) {
      await alpaca.freezeClock(start + i * 97 * 60_000); // every 97 minutes over four days
      const quotes = await broker.optionQuotes([short.symbol, long.symbol]);
      const s = quotes.get(short.symbol);
      const l = quotes.get(long.symbol);
      const mid = s && l ? spreadMid(s, l) : null;
      if (mid === null) throw new Error(`no quotes at step ${i}`);
      const outcome = await broker.submitOrder(
        openSpreadOrder({
          strategy: "bull_put",
          shortSymbol: short.symbol,
          longSymbol: long.symbol,
          contracts: 1,
          limitCredit: mid,
          clientOrderId: `fill-${i}`,
        }),
      );
      expect(outcome.kind === "placed" && outcome.order.status, `step ${i}, mid ${mid}`).toBe("filled");
    }
  });
});
