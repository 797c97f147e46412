// The simulated Alpaca's life over time, seen through the real SDK adapter (createAlpacaBroker on
// the simulator) and Alpaca's own REST shapes: day orders end at their session's close, orders
// sent while the market is closed wait for the next session, and options settle after the
// close of their expiration day (Alpaca docs, "Non-Trade Activities for Option Events").
import { beforeEach, describe, expect, it } from "vitest";
import type { Broker } from "../../../src/broker/port";
import { addDays } from "../../../src/domain/dates";
import type { MlegOrderRequest } from "../../../src/domain/types";
import { alpacaGet, freezeClock, moveMarket, reset, setFaults, simBroker } from "../../support/alpaca-sim";
import { call } from "../../support/sandbox-driver";

const API = "https://paper-api.alpaca.markets";

/** Moves the sandbox's one clock forward to an instant (POST /sandbox/api/clock). */
async function clockTo(iso: string): Promise<{ now: string; market_open: boolean }> {
  const response = await call("/sandbox/api/clock", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ to: iso }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

interface Leg {
  symbol: string;
  strike: number;
}

/**
 * A SPY bull put spread (short 2 under the money, 5 wide) priced off the simulator's quotes at the
 * simulated now, asking a little under the mid credit so it is marketable.
 */
async function bullPut(
  broker: Broker,
  opts: { clientOrderId: string; qty: number; from: string; to: string },
): Promise<{ order: MlegOrderRequest; short: Leg; long: Leg; credit: number; expiration: string }> {
  const chain = await broker.optionChain({ underlying: "SPY", expirationFrom: opts.from, expirationTo: opts.to });
  const expiration = chain.contracts[0]?.expiration;
  if (!expiration) throw new Error(`no SPY expiration listed between ${opts.from} and ${opts.to}`);
  const shortStrike = Math.round(chain.underlying.price) - 2;
  const pick = (strike: number) => {
    const c = chain.contracts.find((q) => q.type === "put" && q.strike === strike && q.expiration === expiration);
    if (!c || c.bid === null || c.ask === null) throw new Error(`no quote for the ${strike} put`);
    return { symbol: c.symbol, strike, mid: (c.bid + c.ask) / 2 };
  };
  const short = pick(shortStrike);
  const long = pick(shortStrike - 5);
  const credit = Math.floor((short.mid - long.mid) * 100) / 100 - 0.02;
  if (credit <= 0) throw new Error(`no credit on the ${shortStrike}/${shortStrike - 5} put spread`);
  const order: MlegOrderRequest = {
    order_class: "mleg",
    type: "limit",
    time_in_force: "day",
    qty: String(opts.qty),
    limit_price: (-credit).toFixed(2),
    client_order_id: opts.clientOrderId,
    legs: [
      { symbol: short.symbol, side: "sell", position_intent: "sell_to_open", ratio_qty: "1" },
      { symbol: long.symbol, side: "buy", position_intent: "buy_to_open", ratio_qty: "1" },
    ],
  };
  return {
    order,
    short: { symbol: short.symbol, strike: short.strike },
    long: { symbol: long.symbol, strike: long.strike },
    credit,
    expiration,
  };
}

/** Places an order and returns Alpaca's id for it. */
async function place(broker: Broker, order: MlegOrderRequest) {
  const outcome = await broker.submitOrder(order);
  if (outcome.kind !== "placed") throw new Error(`expected the order placed, got ${outcome.kind}`);
  return outcome.order;
}

/** The order as Alpaca's REST API shows it (expired_at is not in the port's order). */
async function rawOrder(id: string): Promise<Record<string, unknown>> {
  const response = await alpacaGet(`${API}/v2/orders/${id}`);
  expect(response.status).toBe(200);
  return response.json();
}

interface Activity {
  id: string;
  activity_type: string;
  date: string;
  net_amount: string;
  symbol: string;
  qty: string;
  price?: string;
  status: string;
}

async function optionActivities(): Promise<Activity[]> {
  const response = await alpacaGet(`${API}/v2/account/activities?activity_types=OPEXP,OPASN,OPEXC,OPTRD`);
  expect(response.status).toBe(200);
  return response.json();
}

/** What a person reads off each activity: type, symbol, quantity, price and cash moved. */
const summary = (activities: Activity[]) =>
  activities.map((a) => ({
    type: a.activity_type,
    symbol: a.symbol,
    qty: Number(a.qty),
    price: a.price === undefined ? null : Number(a.price),
    net: Number(a.net_amount),
  }));

function expectDocumentedShape(activities: Activity[], expiration: string) {
  for (const a of activities) {
    expect(a).toMatchObject({
      id: expect.any(String),
      activity_type: expect.stringMatching(/^(OPEXP|OPASN|OPEXC|OPTRD)$/),
      date: expiration,
      net_amount: expect.any(String),
      symbol: expect.any(String),
      qty: expect.any(String),
      status: "executed",
    });
    expect(a.id).not.toBe("");
  }
  expect(new Set(activities.map((a) => a.id)).size).toBe(activities.length);
}

async function rawPositions(): Promise<Record<string, string>[]> {
  const response = await alpacaGet(`${API}/v2/positions`);
  expect(response.status).toBe(200);
  return response.json();
}

async function cash(): Promise<number> {
  const response = await alpacaGet(`${API}/v2/account`);
  return Number((await response.json<{ cash: string }>()).cash);
}

beforeEach(async () => {
  await reset();
  // Stopped, so the quotes an order was priced on are the quotes it meets; moves still move it.
  await freezeClock(Date.now());
});

describe("simulated Alpaca over time: day orders", () => {
  it("a resting day order placed in a session ends expired at that session's 16:00 New York close", async () => {
    const broker = simBroker();
    await clockTo("2027-01-12T15:00:00Z"); // Tuesday 10:00 New York
    const { order } = await bullPut(broker, {
      clientOrderId: "day-1",
      qty: 1,
      from: addDays("2027-01-12", 28),
      to: addDays("2027-01-12", 42),
    });
    await setFaults({ no_fill_next_order: true });
    const placed = await place(broker, order);
    expect(placed.status).toBe("new");

    await clockTo("2027-01-12T20:59:00Z"); // 15:59 New York
    expect((await broker.orderByClientId("day-1"))?.status).toBe("new");

    await clockTo("2027-01-12T21:01:00Z"); // 16:01 New York
    expect(await broker.orderByClientId("day-1")).toMatchObject({ status: "expired", filledQty: 0 });
    expect(await rawOrder(placed.id)).toMatchObject({
      status: "expired",
      expired_at: "2027-01-12T21:00:00.000Z",
      filled_qty: "0",
    });
    expect(await broker.positions()).toEqual([]);
  });

  it("a cancel can stay pending_cancel for a request (listed as open, no longer matched), then ends canceled or filled", async () => {
    const broker = simBroker();
    await clockTo("2027-01-12T15:00:00Z");
    for (const ends of ["canceled", "filled"] as const) {
      const { order } = await bullPut(broker, {
        clientOrderId: `slow-${ends}`,
        qty: 2,
        from: addDays("2027-01-12", 28),
        to: addDays("2027-01-12", 42),
      });
      await setFaults({ no_fill_next_order: true });
      const placed = await place(broker, order);
      await setFaults({ pending_cancel_next_cancel: { requests: 2, ends } }); // the next two reads see it pending
      await broker.cancelOrder(placed.id);
      expect(await rawOrder(placed.id)).toMatchObject({ status: "pending_cancel", canceled_at: null });
      const open = await (await alpacaGet(`${API}/v2/orders?status=open`)).json<{ id: string }[]>();
      expect(open.map((o) => o.id)).toContain(placed.id);
      expect(await broker.orderByClientId(`slow-${ends}`)).toMatchObject({
        status: ends,
        filledQty: ends === "filled" ? 2 : 0,
      });
    }
    const held = await broker.positions();
    expect(held.map((p) => Math.abs(p.qty))).toEqual([2, 2]); // only the one that filled
  });

  it("a resting day order placed on an early-close day ends expired at 13:00 New York", async () => {
    const broker = simBroker();
    await clockTo("2027-11-26T15:00:00Z"); // the day after Thanksgiving, 10:00 New York
    const { order } = await bullPut(broker, {
      clientOrderId: "day-2",
      qty: 1,
      from: addDays("2027-11-26", 28),
      to: addDays("2027-11-26", 42),
    });
    await setFaults({ no_fill_next_order: true });
    const placed = await place(broker, order);
    expect(placed.status).toBe("new");

    await clockTo("2027-11-26T17:59:00Z"); // 12:59 New York
    expect((await broker.orderByClientId("day-2"))?.status).toBe("new");

    await clockTo("2027-11-26T18:01:00Z"); // 13:01 New York
    expect((await broker.orderByClientId("day-2"))?.status).toBe("expired");
    expect(await rawOrder(placed.id)).toMatchObject({ status: "expired", expired_at: "2027-11-26T18:00:00.000Z" });
  });

  it("a partially filled day order ends expired at the close and keeps its filled quantity and positions", async () => {
    const broker = simBroker();
    await clockTo("2027-01-12T15:00:00Z");
    const { order, short, long } = await bullPut(broker, {
      clientOrderId: "day-3",
      qty: 5,
      from: addDays("2027-01-12", 28),
      to: addDays("2027-01-12", 42),
    });
    await setFaults({ partial_fill_next_order: 0.6 });
    const placed = await place(broker, order);
    expect(placed).toMatchObject({ status: "partially_filled", qty: 5, filledQty: 3 });

    await clockTo("2027-01-12T21:01:00Z");
    expect(await broker.orderByClientId("day-3")).toMatchObject({ status: "expired", qty: 5, filledQty: 3 });
    expect(await rawOrder(placed.id)).toMatchObject({
      status: "expired",
      expired_at: "2027-01-12T21:00:00.000Z",
      filled_qty: "3",
    });
    const held = (await broker.positions()).map((p) => [p.symbol, p.qty]);
    expect(held.sort()).toEqual(
      [
        [short.symbol, -3],
        [long.symbol, 3],
      ].sort(),
    );
  });

  it("an order sent after Friday's close is accepted, waits over the weekend and the Monday holiday, and expires at Tuesday's close", async () => {
    const broker = simBroker();
    const closed = await clockTo("2027-01-15T22:00:00Z"); // Friday 17:00 New York
    expect(closed.market_open).toBe(false);
    const { order } = await bullPut(broker, {
      clientOrderId: "closed-1",
      qty: 1,
      from: addDays("2027-01-15", 28),
      to: addDays("2027-01-15", 42),
    });
    await setFaults({ no_fill_next_order: true });
    const placed = await place(broker, order);
    expect(placed.status).toBe("accepted");

    await clockTo("2027-01-18T20:00:00Z"); // Martin Luther King Jr. Day: no session
    expect((await broker.orderByClientId("closed-1"))?.status).toBe("accepted");
    await clockTo("2027-01-19T20:59:00Z"); // Tuesday 15:59 New York: the next session, still working
    expect((await broker.orderByClientId("closed-1"))?.status).toBe("new"); // routed at the open

    await clockTo("2027-01-19T21:01:00Z");
    expect((await broker.orderByClientId("closed-1"))?.status).toBe("expired");
    expect(await rawOrder(placed.id)).toMatchObject({ status: "expired", expired_at: "2027-01-19T21:00:00.000Z" });
  });

  it("a marketable order sent after Friday's close fills in Tuesday's session even when the clock jumps past it", async () => {
    const broker = simBroker();
    await clockTo("2027-01-15T22:00:00Z"); // Friday 17:00 New York
    const { order, short, long } = await bullPut(broker, {
      clientOrderId: "closed-3",
      qty: 1,
      from: addDays("2027-01-15", 28),
      to: addDays("2027-01-15", 42),
    });
    // Asking a cent of credit on a spread worth more than a dollar: marketable at any open.
    const generous = { ...order, limit_price: "-0.01" };
    const placed = await place(broker, generous);
    expect(placed.status).toBe("accepted");

    await clockTo("2027-01-19T21:30:00Z"); // Tuesday 16:30 New York: the whole session went by
    expect(await broker.orderByClientId("closed-3")).toMatchObject({ status: "filled", filledQty: 1 });
    expect((await broker.positions()).map((p) => [p.symbol, p.qty]).sort()).toEqual(
      [
        [short.symbol, -1],
        [long.symbol, 1],
      ].sort(),
    );
  });

  it("an order sent before Tuesday's open is accepted and expires at that same day's close", async () => {
    const broker = simBroker();
    const early = await clockTo("2027-01-12T13:00:00Z"); // Tuesday 08:00 New York
    expect(early.market_open).toBe(false);
    const { order } = await bullPut(broker, {
      clientOrderId: "closed-2",
      qty: 1,
      from: addDays("2027-01-12", 28),
      to: addDays("2027-01-12", 42),
    });
    await setFaults({ no_fill_next_order: true });
    const placed = await place(broker, order);
    expect(placed.status).toBe("accepted");

    await clockTo("2027-01-12T21:01:00Z");
    expect((await broker.orderByClientId("closed-2"))?.status).toBe("expired");
    expect(await rawOrder(placed.id)).toMatchObject({ status: "expired", expired_at: "2027-01-12T21:00:00.000Z" });
  });
});

const EXPIRY = "2027-01-15"; // a Friday: SPY weeklies expire that day, close 16:00 New York (21:00 UTC)

/** Opens n bull put spreads on Monday of expiry week, filled at once. */
async function openSpreadExpiringFriday(broker: Broker, n: number) {
  await clockTo("2027-01-11T15:00:00Z"); // Monday 10:00 New York
  const spread = await bullPut(broker, { clientOrderId: `expiry-${n}`, qty: n, from: EXPIRY, to: EXPIRY });
  expect(spread.expiration).toBe(EXPIRY);
  const placed = await place(broker, spread.order);
  expect(placed).toMatchObject({ status: "filled", filledQty: n });
  return spread;
}

/** Puts SPY at `price` minutes before Friday's close, checks nothing settled yet, then passes the close. */
async function closeExpiryDayWithSpyAt(broker: Broker, price: number) {
  await clockTo(`${EXPIRY}T20:55:00Z`); // 15:55 New York
  await moveMarket({ symbol: "SPY", price });
  expect(await optionActivities()).toEqual([]);
  expect(await broker.positions()).toHaveLength(2);
  await clockTo(`${EXPIRY}T21:30:00Z`); // 16:30 New York: after the close
}

describe("simulated Alpaca over time: expirations settle after the expiry day's close", () => {
  it("a bull put entirely out of the money expires worthless: both legs gone, OPEXP each, the credit kept", async () => {
    const broker = simBroker();
    const n = 2;
    const { short, long, credit } = await openSpreadExpiringFriday(broker, n);
    const cashAfterEntry = await cash();
    expect(cashAfterEntry).toBeCloseTo(100_000 + credit * 100 * n, 2);

    await closeExpiryDayWithSpyAt(broker, short.strike + 10);

    expect(await broker.positions()).toEqual([]);
    expect(await rawPositions()).toEqual([]);
    const activities = await optionActivities();
    expectDocumentedShape(activities, EXPIRY);
    expect(summary(activities)).toHaveLength(2);
    expect(summary(activities)).toEqual(
      expect.arrayContaining([
        { type: "OPEXP", symbol: short.symbol, qty: n, price: null, net: 0 },
        { type: "OPEXP", symbol: long.symbol, qty: -n, price: null, net: 0 },
      ]),
    );
    expect(await cash()).toBeCloseTo(100_000 + credit * 100 * n, 2);
  });

  it("a bull put with only the short put in the money is assigned 100×n shares at the short strike; the long put expires", async () => {
    const broker = simBroker();
    const n = 2;
    const { short, long, credit } = await openSpreadExpiringFriday(broker, n);

    await closeExpiryDayWithSpyAt(broker, short.strike - 2.5);

    const activities = await optionActivities();
    expectDocumentedShape(activities, EXPIRY);
    expect(summary(activities)).toHaveLength(3);
    expect(summary(activities)).toEqual(
      expect.arrayContaining([
        { type: "OPASN", symbol: short.symbol, qty: n, price: null, net: 0 },
        { type: "OPTRD", symbol: "SPY", qty: 100 * n, price: short.strike, net: -100 * n * short.strike },
        { type: "OPEXP", symbol: long.symbol, qty: -n, price: null, net: 0 },
      ]),
    );
    const events = await broker.optionEvents(Date.parse(`${EXPIRY}T00:00:00Z`));
    expect(events.map((e) => [e.kind, e.symbol, e.qty, e.date]).sort()).toEqual(
      [
        ["assigned", short.symbol, n, EXPIRY],
        ["expired", long.symbol, -n, EXPIRY],
      ].sort(),
    );

    const positions = await rawPositions();
    expect(positions).toHaveLength(1);
    expect(positions[0]).toMatchObject({
      symbol: "SPY",
      asset_class: "us_equity",
      qty: String(100 * n),
      side: "long",
      avg_entry_price: String(short.strike),
    });
    expect(await cash()).toBeCloseTo(100_000 + credit * 100 * n - short.strike * 100 * n, 2);
  });

  it("a bull put with both puts in the money is assigned and exercised: the stock nets to zero and the loss is the width less the credit", async () => {
    const broker = simBroker();
    const n = 2;
    const { short, long, credit } = await openSpreadExpiringFriday(broker, n);

    await closeExpiryDayWithSpyAt(broker, long.strike - 10);

    const activities = await optionActivities();
    expectDocumentedShape(activities, EXPIRY);
    expect(summary(activities)).toHaveLength(4);
    expect(summary(activities)).toEqual(
      expect.arrayContaining([
        { type: "OPASN", symbol: short.symbol, qty: n, price: null, net: 0 },
        { type: "OPTRD", symbol: "SPY", qty: 100 * n, price: short.strike, net: -100 * n * short.strike },
        { type: "OPEXC", symbol: long.symbol, qty: -n, price: null, net: 0 },
        { type: "OPTRD", symbol: "SPY", qty: -100 * n, price: long.strike, net: 100 * n * long.strike },
      ]),
    );
    expect(await rawPositions()).toEqual([]);
    const width = short.strike - long.strike;
    expect(await cash()).toBeCloseTo(100_000 - (width * 100 * n - credit * 100 * n), 2);
  });
});
