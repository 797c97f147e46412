import { beforeEach, describe, expect, it } from "vitest";
import type { OptionQuote } from "../../../src/domain/types";
import { moveMarket, requests, reset, setFaults, simBroker } from "../../support/alpaca-sim";

const DAY = 86_400_000;
const date = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const countPath = (log: { path: string }[], prefix: string) => log.filter((r) => r.path.startsWith(prefix)).length;

beforeEach(async () => {
  await reset();
});

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

  it("maps far strikes without greeks to null greeks, null IV and zero open interest", async () => {
    const chain = await simBroker().optionChain({
      underlying: "SPY",
      expirationFrom: date(25),
      expirationTo: date(50),
    });
    const far = chain.contracts.find((c) => c.strike === 490 && c.type === "put");
    const near = chain.contracts.find((c) => c.strike === 580 && c.type === "put" && c.expiration === far?.expiration);
    expect(far).toMatchObject({ greeks: null, impliedVolatility: null, openInterest: 0 });
    expect(near?.greeks?.delta).toBeLessThan(0);
    expect(near?.greeks?.delta).toBeGreaterThan(-0.5);
    expect(near?.impliedVolatility).toBeGreaterThan(0.12);
    expect(near?.impliedVolatility).toBeLessThan(0.3);
    expect(near?.openInterest).toBeGreaterThan(100);
    expect(near?.bid).toBeLessThan(near?.ask ?? 0);
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
