import { beforeEach, describe, expect, it } from "vitest";
import { RequestBudgetExceeded } from "../../../src/broker/port";
import { occRoot, parseOccSymbol } from "../../../src/domain/occ";
import type { OptionQuote } from "../../../src/domain/types";
import { alpacaGet, chainRequests, moveMarket, requests, reset, setFaults, simBroker } from "../../support/alpaca-sim";

const DAY = 86_400_000;
const date = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const countPath = (log: { path: string }[], prefix: string) => log.filter((r) => r.path.startsWith(prefix)).length;

beforeEach(async () => {
  await reset();
});

/** A 25-50 day SPY window of strikes 560-620: one snapshot page, with the odd entries when the knob is on. */
const SPY_WINDOW = {
  underlying: "SPY",
  expirationFrom: date(25),
  expirationTo: date(50),
  strikeFrom: 560,
  strikeTo: 620,
};

/** SPY_WINDOW by side, overlapping near 590: a few hundred quotes a side. */
const PAGED_SIDES = { put: { from: 560, to: 600 }, call: { from: 580, to: 620 } };

/** SPY at 590, quoted now: given to the adapter, which then asks for no quote of its own. */
const spyAt590 = () => ({ symbol: "SPY", price: 590, bid: null, ask: null, asOf: Date.now() });

/** The queries of the simulator's SPY chain requests, in order. */
const spyChainQueries = async () => (await chainRequests()).filter((r) => r.symbol === "SPY").map((r) => r.query);

/** The snapshot keys of SPY_WINDOW as the simulated feed sends them, before the adapter reads them. */
async function rawSnapshotKeys(): Promise<string[]> {
  const { expirationFrom, expirationTo, strikeFrom, strikeTo } = SPY_WINDOW;
  const raw = await alpacaGet(
    `https://data.alpaca.markets/v1beta1/options/snapshots/SPY?feed=indicative&limit=1000&expiration_date_gte=${expirationFrom}&expiration_date_lte=${expirationTo}&strike_price_gte=${strikeFrom}&strike_price_lte=${strikeTo}`,
  );
  return Object.keys((await raw.json<{ snapshots: Record<string, unknown> }>()).snapshots);
}

describe("Alpaca adapter on the simulator: option chains", () => {
  it("fetches a 70-day SPY chain across several snapshot pages and counts every request", async () => {
    const broker = simBroker();
    const chain = await broker.optionChain({ underlying: "SPY", expirationFrom: date(0), expirationTo: date(70) });
    const n = chain.contracts.length;
    expect(n).toBeGreaterThan(1000);
    expect(chain.underlying.symbol).toBe("SPY");
    expect(chain.underlying.price).toBeGreaterThan(550);
    expect(chain.underlying.price).toBeLessThan(650);
    const strikes = chain.contracts.map((c) => c.strike);
    expect(Math.min(...strikes)).toBe(480);
    expect(Math.max(...strikes)).toBe(720);

    const log = await requests();
    const snapshotPages = countPath(log, "/v1beta1/options/snapshots/SPY");
    expect(snapshotPages).toBe(Math.ceil(n / 1000));
    expect(snapshotPages).toBeGreaterThan(1);
    expect(
      log.filter((r) => r.path === "/v1beta1/options/snapshots/SPY" && r.query.includes("page_token=")),
    ).toHaveLength(snapshotPages - 1);
    expect(countPath(log, "/v2/options/contracts")).toBe(1);
    expect(countPath(log, "/v2/stocks/SPY/snapshot")).toBe(1);
    expect(broker.subrequestCount()).toBe(2 + snapshotPages);
  });

  it("costs at most 4 requests for a 30-45 DTE scan window", async () => {
    const broker = simBroker();
    const chain = await broker.optionChain({ underlying: "SPY", expirationFrom: date(30), expirationTo: date(45) });
    expect(chain.contracts.length).toBeGreaterThan(0);
    expect(broker.subrequestCount()).toBeLessThanOrEqual(4);
  });

  it("fetches puts and calls apart when asked by side, each within its own strikes", async () => {
    const whole = await simBroker().optionChain({ ...SPY_WINDOW, openInterest: false });
    await reset();
    const sides = { put: { from: 560, to: 595 }, call: { from: 585, to: 620 } };
    const broker = simBroker();
    const bySide = await broker.optionChain({ ...SPY_WINDOW, openInterest: false, sides });
    const inSide = (q: OptionQuote) => q.strike >= sides[q.type].from && q.strike <= sides[q.type].to;
    const symbols = (quotes: OptionQuote[]) => quotes.map((q) => q.symbol).sort();
    expect(bySide.contracts.length).toBeGreaterThan(0);
    expect(whole.contracts.filter(inSide).length).toBeLessThan(whole.contracts.length);
    expect(symbols(bySide.contracts)).toEqual(symbols(whole.contracts.filter(inSide)));
    const chainQueries = await spyChainQueries();
    expect(
      chainQueries.map((q) => [q.get("type"), q.get("strike_price_gte"), q.get("strike_price_lte")]).sort(),
    ).toEqual([
      ["call", "585", "620"],
      ["put", "560", "595"],
    ]);
    // The underlying's price, and a page for each side.
    expect(broker.subrequestCount()).toBe(3);
  });

  it("follows the contracts' page tokens when the server pages them by 100", async () => {
    const window = { underlying: "IWM", expirationFrom: date(0), expirationTo: date(20) };
    const whole = await simBroker().optionChain(window);
    await reset();
    await setFaults({ page_cap: 100 });
    const paged = await simBroker().optionChain(window);
    expect(paged.contracts.map((c) => c.symbol)).toEqual(whole.contracts.map((c) => c.symbol));
    const log = await requests();
    expect(countPath(log, "/v2/options/contracts")).toBe(Math.ceil(whole.contracts.length / 100));
    expect(countPath(log, "/v2/options/contracts")).toBeGreaterThan(1);
  });

  it("maps far strikes (no greeks or IV from the feed) with zero open interest and nothing from the broker", async () => {
    const chain = await simBroker().optionChain({
      underlying: "SPY",
      expirationFrom: date(25),
      expirationTo: date(50),
    });
    const far = chain.contracts.find((c) => c.strike === 490 && c.type === "put");
    const near = chain.contracts.find((c) => c.strike === 580 && c.type === "put" && c.expiration === far?.expiration);
    expect(far?.openInterest).toBe(0);
    // Computed from its quote when the quote can be read, otherwise still missing: never the broker's.
    expect(far?.greeksSource).not.toBe("broker");
    expect(far?.ivSource).not.toBe("broker");
    expect(far?.greeks === null).toBe(far?.greeksSource === null);
    expect(near?.greeks?.delta).toBeLessThan(0);
    expect(near?.greeks?.delta).toBeGreaterThan(-0.5);
    expect(near?.impliedVolatility).toBeGreaterThan(0.12);
    expect(near?.impliedVolatility).toBeLessThan(0.3);
    expect(near?.openInterest).toBeGreaterThan(100);
    expect(near?.bid).toBeLessThan(near?.ask ?? 0);
    // Today's volume is the daily bar's: a contract that has not traded has none.
    expect(far?.volume).toBeNull();
    expect(near?.volume).toBeGreaterThan(0);
  });

  it("fills snapshots that came without greeks or IV from their quotes, marked computed", async () => {
    const chain = await simBroker().optionChain({
      underlying: "SPY",
      expirationFrom: date(25),
      expirationTo: date(50),
    });
    const spot = chain.underlying.price;
    // Near the money, out of it: where the simulator leaves a seeded share of snapshots bare.
    const near = chain.contracts.filter(
      (c) => Math.abs(c.strike / spot - 1) < 0.08 && (c.type === "put" ? c.strike < spot : c.strike > spot),
    );
    const computed = near.filter((c) => c.greeksSource === "computed");
    expect(computed.length).toBeGreaterThan(near.length * 0.1);
    expect(near.every((c) => c.greeks !== null && c.impliedVolatility !== null)).toBe(true);

    const byKey = new Map(chain.contracts.map((c) => [`${c.type}|${c.expiration}|${c.strike}`, c]));
    let compared = 0;
    for (const c of computed) {
      expect(c.ivSource).toBe("computed");
      expect(Math.sign(c.greeks?.delta ?? 0)).toBe(c.type === "call" ? 1 : -1);
      // Between its neighbours as the broker quoted them: IV on the smile, |delta| by strike.
      const below = byKey.get(`${c.type}|${c.expiration}|${c.strike - 1}`);
      const above = byKey.get(`${c.type}|${c.expiration}|${c.strike + 1}`);
      if (below?.greeksSource !== "broker" || above?.greeksSource !== "broker") continue;
      compared++;
      const ivs = [below.impliedVolatility ?? 0, above.impliedVolatility ?? 0];
      expect(c.impliedVolatility).toBeGreaterThan(Math.min(...ivs) - 0.01);
      expect(c.impliedVolatility).toBeLessThan(Math.max(...ivs) + 0.01);
      const deltas = [Math.abs(below.greeks?.delta ?? 0), Math.abs(above.greeks?.delta ?? 0)];
      expect(Math.abs(c.greeks?.delta ?? 0)).toBeGreaterThan(Math.min(...deltas) - 0.01);
      expect(Math.abs(c.greeks?.delta ?? 0)).toBeLessThan(Math.max(...deltas) + 0.01);
    }
    expect(compared).toBeGreaterThan(3);
    // What the feed sent is kept and marked as the broker's.
    expect(near.filter((c) => c.greeksSource === "broker").every((c) => c.ivSource === "broker")).toBe(true);
  });

  it("pages each side on its own, every page keeping its side's type and strikes", async () => {
    const sides = PAGED_SIDES;
    const request = { ...SPY_WINDOW, underlyingQuote: spyAt590(), openInterest: false, sides };
    const once = await simBroker().optionChain(request);
    await reset();
    // 100 quotes a page: each side takes several.
    await setFaults({ page_cap: 100 });
    const paged = await simBroker().optionChain(request);
    expect(paged.contracts.map((c) => c.symbol).sort()).toEqual(once.contracts.map((c) => c.symbol).sort());
    const queries = await spyChainQueries();
    for (const type of ["put", "call"] as const) {
      const side = queries.filter((q) => q.get("type") === type);
      expect(side.filter((q) => q.has("page_token")).length, type).toBeGreaterThan(0);
      for (const q of side) {
        expect(q.get("strike_price_gte"), type).toBe(String(sides[type].from));
        expect(q.get("strike_price_lte"), type).toBe(String(sides[type].to));
      }
    }
    expect(queries.every((q) => q.get("type") === "put" || q.get("type") === "call")).toBe(true);
  });

  it("never sends more than maxRequests when both sides ask for their next page at once", async () => {
    const request = { ...SPY_WINDOW, underlyingQuote: spyAt590(), openInterest: false, sides: PAGED_SIDES };
    // 100 quotes a page: both sides take several, so every cap below their sum ends the read.
    await setFaults({ page_cap: 100 });
    const uncapped = simBroker();
    await uncapped.optionChain(request);
    const pages = uncapped.subrequestCount();
    expect(pages).toBeGreaterThan(3);
    for (let maxRequests = 2; maxRequests < pages; maxRequests++) {
      const broker = simBroker();
      await expect(broker.optionChain({ ...request, maxRequests }), `cap ${maxRequests}`).rejects.toBeInstanceOf(
        RequestBudgetExceeded,
      );
      expect(broker.subrequestCount(), `cap ${maxRequests}`).toBe(maxRequests);
    }
  });

  it("stops at maxRequests before asking for the next page, counting the SDK's retries as requests", async () => {
    const spy = spyAt590();
    const read = (cap?: { maxRequests: number }) =>
      simBroker().optionChain({ ...SPY_WINDOW, underlyingQuote: spy, openInterest: false, ...cap });
    const snapshotRequests = async () =>
      (await requests()).filter((r) => r.path === "/v1beta1/options/snapshots/SPY").length;
    // 100 quotes a page: SPY's window needs more than three pages.
    await setFaults({ page_cap: 100 });
    await expect(read({ maxRequests: 3 })).rejects.toBeInstanceOf(RequestBudgetExceeded);
    expect(await snapshotRequests()).toBe(3);

    // The first page is refused once (429) and retried: two requests for one page, and one page more.
    await reset();
    await setFaults({
      page_cap: 100,
      fail_next: { count: 1, status: 429, retry_after: 0, path_prefix: "/v1beta1/options/snapshots/SPY" },
    });
    await expect(read({ maxRequests: 3 })).rejects.toBeInstanceOf(RequestBudgetExceeded);
    expect(await snapshotRequests()).toBe(3);

    // Without a cap the same chain is read whole.
    await reset();
    await setFaults({ page_cap: 100 });
    expect((await read()).contracts.length).toBeGreaterThan(300);
    expect(await snapshotRequests()).toBeGreaterThan(3);
  });

  it("skips snapshot entries whose symbol is no OCC symbol, and keeps the chain", async () => {
    expect((await rawSnapshotKeys()).every((k) => parseOccSymbol(k).ok && occRoot(k) === "SPY")).toBe(true);
    await setFaults({ odd_chain_entries: true });
    const chain = await simBroker().optionChain(SPY_WINDOW);
    const keys = await rawSnapshotKeys();
    const unreadable = keys.filter((k) => !parseOccSymbol(k).ok);
    expect(unreadable).toHaveLength(3);
    expect(unreadable.some((k) => k.includes(" "))).toBe(true);

    // The one adjusted contract the simulator lists (SPY1…) is left out too: the next test.
    expect(chain.contracts).toHaveLength(keys.length - unreadable.length - 1);
    expect(chain.contracts.every((c) => parseOccSymbol(c.symbol).ok)).toBe(true);
    expect(chain.contracts.map((c) => c.symbol).filter((s) => unreadable.includes(s))).toEqual([]);
  });

  it("leaves adjusted contracts (another root, a changed deliverable) out of the chain", async () => {
    await setFaults({ odd_chain_entries: true });
    const keys = await rawSnapshotKeys();
    const adjusted = keys.filter((k) => parseOccSymbol(k).ok && occRoot(k) !== "SPY");
    expect(adjusted).toHaveLength(1);
    expect(occRoot(adjusted[0] ?? "")).toBe("SPY1");
    // Its standard twin (same expiry, side and strike) is in the chain; the adjusted one is not.
    const chain = await simBroker().optionChain(SPY_WINDOW);
    const symbols = chain.contracts.map((c) => c.symbol);
    expect(symbols).toContain(`SPY${(adjusted[0] ?? "").slice(4)}`);
    expect(symbols.filter((s) => occRoot(s) !== "SPY")).toEqual([]);
    expect(chain.contracts.every((c) => c.underlying === "SPY")).toBe(true);
  });

  it("quotes puts below the money at a higher IV than calls above it (put skew)", async () => {
    const chain = await simBroker().optionChain({
      underlying: "SPY",
      expirationFrom: date(28),
      expirationTo: date(42),
    });
    const spot = chain.underlying.price;
    const nearest = (type: "call" | "put", strike: number) =>
      chain.contracts
        .filter(
          (c): c is OptionQuote & { impliedVolatility: number } => c.type === type && c.impliedVolatility !== null,
        )
        .sort((a, b) => Math.abs(a.strike - strike) - Math.abs(b.strike - strike))[0];
    expect(nearest("put", spot * 0.95)?.impliedVolatility).toBeGreaterThan(
      nearest("call", spot * 1.05)?.impliedVolatility ?? 1,
    );
  });

  it("moves option quotes when SPY moves 1.5 %", async () => {
    const broker = simBroker();
    const chain = await broker.optionChain({ underlying: "SPY", expirationFrom: date(28), expirationTo: date(42) });
    const spot = chain.underlying.price;
    const put = chain.contracts.find((c) => c.type === "put" && c.strike === Math.round(spot * 0.97));
    const call = chain.contracts.find((c) => c.type === "call" && c.strike === Math.round(spot * 1.03));
    if (!put || !call) throw new Error("expected near-the-money contracts");
    await moveMarket({ symbol: "SPY", move_pct: 1.5 });
    const after = await broker.optionQuotes([put.symbol, call.symbol]);
    expect(after.get(put.symbol)?.bid).toBeLessThan(put.bid ?? 0);
    expect(after.get(call.symbol)?.bid).toBeGreaterThan(call.bid ?? 0);
    expect((await broker.underlyingQuote("SPY")).price).toBeCloseTo(spot * 1.015, 0);
  });

  it("quotes any ticker A-Z with monthly expiries, and 150 symbols in two requests", async () => {
    const broker = simBroker();
    const chain = await broker.optionChain({ underlying: "ABCD", expirationFrom: date(0), expirationTo: date(70) });
    const expiries = new Set(chain.contracts.map((c) => c.expiration));
    expect(expiries.size).toBeGreaterThanOrEqual(2);
    for (const e of expiries) expect(new Date(`${e}T12:00:00Z`).getUTCDay()).toBe(5);
    const before = broker.subrequestCount();
    const symbols = chain.contracts.slice(0, 150).map((c) => c.symbol);
    const quotes = await broker.optionQuotes(symbols);
    expect(quotes.size).toBe(150);
    expect(broker.subrequestCount() - before).toBe(2);
  });
});
