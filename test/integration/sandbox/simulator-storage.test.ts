// The simulated Alpaca keeps what it must in its Durable Object's storage, not only in memory:
// workerd evicts an object after 10 s without requests, and the next request rebuilds it from
// storage. An order, the bot's or one placed by hand at Alpaca's page, is stored when it is made;
// the request log is rows of its own, cut back to the last thousand.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { AlpacaSimulator } from "../../../src/sandbox/alpaca/simulator-object";
import * as alpaca from "../../support/alpaca-sim";
import { openPosition, resetWorld, storedRecommendation } from "../../support/sandbox-driver";

interface StoredOrder {
  id: string;
  clientOrderId: string;
  status: string;
}

function market() {
  const namespace = env.SIM_ALPACA;
  if (!namespace) throw new Error("sandbox binding SIM_ALPACA is missing");
  return namespace.get(namespace.idFromName("market"));
}

/** The state as the object's storage holds it: what a rebuilt object would start from. */
const storedOrders = () =>
  runInDurableObject(market(), async (_instance: AlpacaSimulator, state) => {
    const stored = await state.storage.get<{ book: { orders: StoredOrder[] } }>("state");
    return stored?.book.orders ?? [];
  });

const storedLogRows = () =>
  runInDurableObject(
    market(),
    (_instance: AlpacaSimulator, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM requests").one().n,
  );

describe("the simulated Alpaca's storage", () => {
  beforeEach(resetWorld);

  it("stores the bot's order and a close placed by hand at Alpaca's page", async () => {
    const position = await openPosition("SPY");
    const idea = await storedRecommendation(position.recommendationId);
    const entry = (await storedOrders()).find((o) => o.clientOrderId === idea?.clientOrderId);
    expect(entry?.status).toBe("filled");

    const byHand = await alpaca.closeByHand(position.shortSymbol);
    const stored = (await storedOrders()).find((o) => o.id === byHand.id);
    expect(stored, "the close by hand is in storage, not only in memory").toBeDefined();
    expect(stored?.status).toBe("filled");
  });

  it("keeps the request log as rows of its own, emptied with the log", async () => {
    await alpaca.alpacaGet("https://paper-api.alpaca.markets/v2/clock");
    await alpaca.alpacaGet("https://paper-api.alpaca.markets/v2/account");
    const log = await alpaca.requests();
    expect(log.map((r) => r.path)).toEqual(["/v2/clock", "/v2/account"]);
    expect(await storedLogRows()).toBe(2);

    await alpaca.clearRequests();
    expect(await alpaca.requests()).toEqual([]);
    expect(await storedLogRows()).toBe(0);
  });
});
