// The sandbox contract (design.md, "The sandbox contract") for the one simulated clock, the fault
// knobs and the two books side by side, driven through the sandbox worker's own routes:
//   GET|POST /sandbox/api/clock, POST /sandbox/api/faults, GET /sandbox/api/positions;
// and GET /sandbox/api/clock?detail=1, the console's fast-forward targets.
import { beforeEach, describe, expect, it } from "vitest";
import { closeInstant } from "../../../src/sandbox/alpaca/trading-days";
import * as alpaca from "../../support/alpaca-sim";
import {
  buttonsOf,
  call,
  click,
  messageById,
  resetWorld,
  scanAndPick,
  storedRecommendation,
} from "../../support/sandbox-driver";

const MINUTE = 60_000;

interface ClockView {
  now: string;
  market_open: boolean;
}

interface BothBooks {
  broker: { symbol: string; qty: string; side: string; asset_class: string }[];
  bot: { id: number; symbol: string; short_symbol: string; long_symbol: string; contracts: number; status: string }[];
}

const post = (path: string, body: unknown) =>
  call(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function clockNow(): Promise<ClockView> {
  const response = await call("/sandbox/api/clock");
  expect(response.status).toBe(200);
  return response.json<ClockView>();
}

async function moveClock(body: unknown): Promise<ClockView> {
  const response = await post("/sandbox/api/clock", body);
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json<ClockView>();
}

async function books(): Promise<BothBooks> {
  const response = await call("/sandbox/api/positions");
  expect(response.status).toBe(200);
  return response.json<BothBooks>();
}

/** The simulator's fault knobs as they stand (the control panel the test helpers use). */
async function faultsNow(): Promise<Record<string, unknown>> {
  return (await alpaca.simFetch()("https://sim.control/control/faults")).json<Record<string, unknown>>();
}

/** The Approve button for the most contracts offered on a recommendation's card. */
async function approveMost(recId: string) {
  const rec = await storedRecommendation(recId);
  if (!rec?.discordMessageId) throw new Error("the recommendation has no message");
  const message = await messageById(rec.discordMessageId);
  const sized = buttonsOf(message)
    .filter((b) => b.custom_id.startsWith("v1:approve:"))
    .map((button) => ({ button, contracts: Number(button.custom_id.split(":")[3]) }))
    .sort((a, b) => b.contracts - a.contracts);
  const most = sized[0];
  if (!most) throw new Error("no Approve button");
  return { message, ...most };
}

beforeEach(resetWorld);

describe("GET|POST /sandbox/api/clock", () => {
  it("before any move, reads the wall clock with the market open", async () => {
    // resetWorld starts it at a fixed instant, stopped; the contract is about a fresh world's clock.
    await alpaca.reset();
    const first = await clockNow();
    expect(Object.keys(first).sort()).toEqual(["market_open", "now"]);
    expect(first.market_open).toBe(true);
    expect(new Date(first.now).toISOString()).toBe(first.now);
    expect(Math.abs(Date.parse(first.now) - Date.now())).toBeLessThan(5_000);

    // A timer is the only way to let wall time pass; a short one shows the clock runs as well.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const later = await clockNow();
    expect(Math.abs(Date.parse(later.now) - Date.now())).toBeLessThan(5_000);
    expect(Date.parse(later.now) - Date.parse(first.now)).toBeGreaterThanOrEqual(200);
    expect(later.market_open).toBe(true);
  });

  it("advance_minutes: 20 moves now forward 20 minutes and answers as GET does", async () => {
    const before = await clockNow();
    const moved = await moveClock({ advance_minutes: 20 });
    expect(Object.keys(moved).sort()).toEqual(["market_open", "now"]);
    expect(Date.parse(moved.now) - Date.parse(before.now)).toBe(20 * MINUTE);
    expect(await clockNow()).toEqual(moved);
  });

  it("to: an ISO instant moves the clock to that instant, with or without a UTC offset", async () => {
    expect(await moveClock({ to: "2027-01-12T15:00:00Z" })).toEqual({
      now: "2027-01-12T15:00:00.000Z",
      market_open: true,
    });
    expect(await moveClock({ to: "2027-01-12T10:30:00-05:00" })).toEqual({
      now: "2027-01-12T15:30:00.000Z",
      market_open: true,
    });
    expect((await clockNow()).now).toBe("2027-01-12T15:30:00.000Z");
  });

  it("refuses to move back (400) and the clock stays where it was", async () => {
    await moveClock({ to: "2027-01-12T15:00:00Z" });
    const back = await post("/sandbox/api/clock", { to: "2027-01-12T14:00:00Z" });
    expect(back.status).toBe(400);
    expect((await back.json<{ message: string }>()).message).toMatch(/forward/);
    expect(await clockNow()).toEqual({ now: "2027-01-12T15:00:00.000Z", market_open: true });
  });

  it("refuses a `to` before now on a clock never moved, and the clock is unchanged", async () => {
    const before = await clockNow();
    const back = await post("/sandbox/api/clock", { to: "2020-01-06T15:00:00Z" });
    expect(back.status).toBe(400);
    expect(await clockNow()).toEqual(before);
  });

  it.each([
    ["not JSON", "advance 20"],
    ["an empty object", {}],
    ["JSON null", "null"],
    ["an array", [20]],
    ["negative minutes", { advance_minutes: -5 }],
    ["minutes as a string", { advance_minutes: "20" }],
    ["a date that is not an instant", { to: "2027-01-12" }],
    ["words for an instant", { to: "next tuesday" }],
    ["both advance_minutes and to", { advance_minutes: 20, to: "2027-01-12T15:00:00Z" }],
    ["an unknown field", { minutes: 20 }],
  ])("answers 400 for a malformed body (%s) and moves nothing", async (_what, body) => {
    const before = await clockNow();
    const response = await post("/sandbox/api/clock", body);
    expect(response.status).toBe(400);
    expect((await response.json<{ error: string }>()).error).toBe("bad_request");
    expect(await clockNow()).toEqual(before);
  });

  it.each([
    ["freeze_at", { freeze_at: 0 }],
    ["pin_at", { pin_at: 0 }],
  ])(
    "refuses the simulator's test-only %s on the public route: it would set the clock back to 1970",
    async (_, body) => {
      const before = await clockNow();
      const response = await post("/sandbox/api/clock", body);
      expect(response.status).toBe(400);
      expect(await clockNow()).toEqual(before);
    },
  );

  it.each([
    ["2027-01-16T15:00:00Z", false, "a Saturday"],
    ["2027-01-12T15:00:00Z", true, "a January Tuesday at 10:00 New York"],
    ["2027-01-12T14:29:00Z", false, "a January Tuesday at 09:29 New York, before the open"],
    ["2027-01-12T14:30:00Z", true, "a January Tuesday at 09:30 New York, the open"],
    ["2027-01-12T20:59:00Z", true, "a January Tuesday at 15:59 New York"],
    ["2027-01-12T21:30:00Z", false, "a January Tuesday at 16:30 New York, after the close"],
    ["2027-01-18T15:00:00Z", false, "Martin Luther King Jr. Day at 10:00 New York"],
    ["2027-07-13T13:45:00Z", true, "a July Tuesday at 09:45 New York (summer time)"],
    ["2027-07-13T20:15:00Z", false, "a July Tuesday at 16:15 New York (summer time)"],
    ["2027-11-25T15:00:00Z", false, "Thanksgiving Day at 10:00 New York"],
    ["2027-11-26T17:30:00Z", true, "the day after Thanksgiving at 12:30 New York, before the early close"],
    ["2027-11-26T18:30:00Z", false, "the day after Thanksgiving at 13:30 New York, after the 13:00 close"],
  ])("once moved to %s the market is open=%s: %s", async (to, open) => {
    expect(await moveClock({ to })).toEqual({ now: new Date(to).toISOString(), market_open: open });
    expect(await clockNow()).toEqual({ now: new Date(to).toISOString(), market_open: open });
  });

  it("advancing across the 16:00 New York close turns the market from open to closed", async () => {
    expect((await moveClock({ to: "2027-01-12T20:50:00Z" })).market_open).toBe(true);
    expect(await moveClock({ advance_minutes: 20 })).toEqual({
      now: "2027-01-12T21:10:00.000Z",
      market_open: false,
    });
  });
});

interface ClockDetail extends ClockView {
  next_open: string;
  next_close: string;
  next_expiration: { date: string; close: string; underlyings: string[] } | null;
}

async function clockDetail(): Promise<ClockDetail> {
  const response = await call("/sandbox/api/clock?detail=1");
  expect(response.status).toBe(200);
  return response.json<ClockDetail>();
}

describe("GET /sandbox/api/clock?detail=1 (the console's fast-forward targets)", () => {
  it.each([
    ["2027-01-12T15:00:00Z", "2027-01-13T14:30:00.000Z", "2027-01-12T21:00:00.000Z", "in a session: its close"],
    ["2027-01-12T14:00:00Z", "2027-01-12T14:30:00.000Z", "2027-01-12T21:00:00.000Z", "before the open: today's"],
    ["2027-01-12T21:00:00Z", "2027-01-13T14:30:00.000Z", "2027-01-13T21:00:00.000Z", "at the close: the next day's"],
    [
      "2027-01-15T21:30:00Z",
      "2027-01-19T14:30:00.000Z",
      "2027-01-19T21:00:00.000Z",
      "Friday after the close: over the weekend and Martin Luther King Jr. Day",
    ],
    ["2027-11-26T17:30:00Z", "2027-11-29T14:30:00.000Z", "2027-11-26T18:00:00.000Z", "an early-close day: 13:00"],
    ["2027-07-13T13:45:00Z", "2027-07-14T13:30:00.000Z", "2027-07-13T20:00:00.000Z", "summer time"],
  ])("at %s the next open is %s and the next close %s (%s)", async (to, open, close) => {
    await moveClock({ to });
    expect(await clockDetail()).toEqual({
      now: new Date(to).toISOString(),
      market_open: expect.any(Boolean),
      next_open: open,
      next_close: close,
      next_expiration: null,
    });
  });

  it("the plain GET keeps its two fields", async () => {
    expect(Object.keys(await clockNow()).sort()).toEqual(["market_open", "now"]);
  });

  it("names the nearest expiration either book holds, and none once the clock is past it", async () => {
    const { message, approve } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id);
    const [position] = (await books()).bot;
    const yymmdd = /^SPY(\d{2})(\d{2})(\d{2})[CP]/.exec(position?.short_symbol ?? "");
    if (!yymmdd) throw new Error(`no SPY position: ${JSON.stringify(position)}`);
    const date = `20${yymmdd[1]}-${yymmdd[2]}-${yymmdd[3]}`;
    const close = new Date(closeInstant(date)).toISOString();
    expect((await clockDetail()).next_expiration).toEqual({ date, close, underlyings: ["SPY"] });

    // Just after that close: the broker has settled the legs; the bot still holds its position
    // until its monitor runs, but its expiration is behind the clock.
    await moveClock({ to: new Date(Date.parse(close) + MINUTE).toISOString() });
    const after = await books();
    expect(after.broker.filter((p) => p.asset_class === "us_option")).toEqual([]);
    expect(after.bot).toHaveLength(1);
    expect((await clockDetail()).next_expiration).toBeNull();
  });
});

describe("POST /sandbox/api/faults", () => {
  it("accepts partial_fill_next_order 0.6, and the next approved entry fills only 60 % at the broker", async () => {
    const { recId } = await scanAndPick("SPY");
    const { message, button, contracts } = await approveMost(recId);
    expect(contracts).toBeGreaterThanOrEqual(2);

    const response = await post("/sandbox/api/faults", { partial_fill_next_order: 0.6 });
    expect(response.status).toBe(200);
    await click(message.id, button.custom_id);

    const filled = Math.max(1, Math.floor(0.6 * contracts));
    const { broker, bot } = await books();
    expect(bot).toEqual([expect.objectContaining({ contracts: filled })]);
    expect(broker.map((p) => Math.abs(Number(p.qty)))).toEqual([filled, filled]);
    const [order] = await alpaca.listOrders();
    expect(order).toMatchObject({ qty: String(contracts), filled_qty: String(filled), status: "partially_filled" });
  });

  it("answers 400 for an unknown knob and sets nothing", async () => {
    const response = await post("/sandbox/api/faults", { explode_next_order: true });
    expect(response.status).toBe(400);
    expect((await response.json<{ error: string }>()).error).toBe("bad_request");
    expect(await faultsNow()).toMatchObject({ partial_fill_next_order: null, no_fill_next_order: false });
  });

  it.each([0, 1, 1.5, -0.2])(
    "answers 400 for a partial fill share of %s, outside (0, 1), and sets nothing",
    async (share) => {
      const response = await post("/sandbox/api/faults", { partial_fill_next_order: share });
      expect(response.status).toBe(400);
      expect((await faultsNow()).partial_fill_next_order).toBeNull();
    },
  );
});

describe("GET /sandbox/api/positions", () => {
  it("shows both books empty on a fresh world", async () => {
    expect(await books()).toEqual({ broker: [], bot: [] });
  });

  it("after a scan and an Approve shows the same legs and quantities at the broker and in the bot", async () => {
    const { message, approve } = await scanAndPick("SPY");
    const contracts = Number(approve.custom_id.split(":")[3]);
    expect(contracts).toBeGreaterThanOrEqual(1);
    await click(message.id, approve.custom_id);

    const { broker, bot } = await books();
    expect(bot).toHaveLength(1);
    const [position] = bot;
    expect(position).toMatchObject({ symbol: "SPY", contracts, status: "open" });
    expect(position?.short_symbol).toMatch(/^SPY\d{6}[CP]\d{8}$/);
    expect(position?.long_symbol).toMatch(/^SPY\d{6}[CP]\d{8}$/);
    const qty = Object.fromEntries(broker.map((p) => [p.symbol, Number(p.qty)]));
    expect(qty).toEqual({
      [position?.short_symbol ?? "short"]: -contracts,
      [position?.long_symbol ?? "long"]: contracts,
    });
    for (const leg of broker) {
      expect(leg.asset_class).toBe("us_option");
      expect(leg.side).toBe(Number(leg.qty) < 0 ? "short" : "long");
    }
  });
});
