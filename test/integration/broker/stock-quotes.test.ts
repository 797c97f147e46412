// The underlyings' prices, read from Alpaca's raw stock snapshots (src/broker/alpaca-stocks.ts).
import { beforeEach, describe, expect, it } from "vitest";
import { BrokerError } from "../../../src/broker/port";
import { requests, reset, simBroker } from "../../support/alpaca-sim";

beforeEach(async () => {
  await reset();
});

/** An Alpaca whose stock snapshots are the given body, as Alpaca sends it. */
function snapshotsAre(body: unknown): typeof fetch {
  return async () => Response.json(body);
}

describe("Alpaca adapter: the underlyings' prices", () => {
  it("prices a watchlist in one request, each at its last trade and dated by it", async () => {
    const broker = simBroker();
    const quotes = await broker.underlyingQuotes(["SPY", "QQQ", "IWM"]);
    expect([...quotes.keys()].sort()).toEqual(["IWM", "QQQ", "SPY"]);
    for (const quote of quotes.values()) {
      expect(quote.price).toBeGreaterThan(0);
      expect(quote.bid).toBeLessThan(quote.ask ?? 0);
      expect(quote.asOf).toEqual(expect.any(Number));
    }
    const snapshotRequests = (await requests()).filter((r) => r.path.startsWith("/v2/stocks/"));
    expect(snapshotRequests.map((r) => r.path)).toEqual(["/v2/stocks/snapshots"]);
    expect((await broker.underlyingQuote("SPY")).price).toBeCloseTo(quotes.get("SPY")?.price ?? 0, 6);
  });

  it("takes the quote's mid without a trade, and leaves out a symbol with neither", async () => {
    const quoteAt = "2027-01-12T14:35:00.123456789Z";
    const broker = simBroker({
      fetch: snapshotsAre({
        SPY: { latestQuote: { bp: 589.5, ap: 590.5, t: quoteAt } },
        QQQ: { latestQuote: { bp: 0, ap: 0 } },
        IWM: null,
      }),
    });
    const quotes = await broker.underlyingQuotes(["SPY", "QQQ", "IWM", "DIA"]);
    expect([...quotes.entries()]).toEqual([
      ["SPY", { symbol: "SPY", price: 590, bid: 589.5, ask: 590.5, asOf: Date.parse(quoteAt) }],
    ]);
  });

  it("says Alpaca has no price for a symbol without one, and that its answer is unreadable when it is not JSON", async () => {
    const none = simBroker({ fetch: snapshotsAre({}) });
    await expect(none.underlyingQuote("QQQ")).rejects.toMatchObject({
      code: "unavailable",
      message: "Alpaca has no price for QQQ right now.",
    });
    const garbled = simBroker({ fetch: async () => new Response("<html>", { status: 200 }) });
    const error = await garbled.underlyingQuotes(["SPY"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ code: "unknown", retryable: false });
    expect((error as BrokerError).message).toContain("Getting prices: Alpaca's answer could not be read");
  });
});
