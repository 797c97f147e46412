// The simulated market keeps the NYSE calendar (holidays, 13:00 early closes) in its calendar,
// its clock and its option listings. The clock and listings depend on the instant, so those
// cases pin it on the simulator's own functions; the calendar is read through the real adapter.
import { beforeEach, describe, expect, it } from "vitest";
import { loadAlpacaClient } from "../../../src/broker/alpaca-client";
import { nyseSession, utcInstant } from "../../../src/domain/market-time";
import { expirations } from "../../../src/sandbox/alpaca/chain";
import { clockJson } from "../../../src/sandbox/alpaca/wire";
import { alpacaGet, reset, simBroker, simFetch } from "../../support/alpaca-sim";

const DAY = 86_400_000;
const at = (date: string, hhmm: string) => utcInstant(date, hhmm);

beforeEach(async () => {
  await reset();
});

describe("simulated market calendar", () => {
  it("skips Independence Day observed on Monday 2027-07-05", async () => {
    const days = await simBroker().calendar("2027-06-28", "2027-07-09");
    expect(days.map((d) => d.date)).toEqual([
      "2027-06-28",
      "2027-06-29",
      "2027-06-30",
      "2027-07-01",
      "2027-07-02",
      "2027-07-06",
      "2027-07-07",
      "2027-07-08",
      "2027-07-09",
    ]);
    expect(new Set(days.map((d) => `${d.open}-${d.close}`))).toEqual(new Set(["09:30-16:00"]));
  });

  it("closes on Thanksgiving 2027-11-25 and at 13:00 the day after", async () => {
    const days = await simBroker().calendar("2027-11-22", "2027-11-28");
    expect(days).toEqual([
      { date: "2027-11-22", open: "09:30", close: "16:00" },
      { date: "2027-11-23", open: "09:30", close: "16:00" },
      { date: "2027-11-24", open: "09:30", close: "16:00" },
      { date: "2027-11-26", open: "09:30", close: "13:00" },
    ]);
  });

  it("settles on the next trading day and ends the extended session early on an early close", async () => {
    const response = await alpacaGet("https://paper-api.alpaca.markets/v2/calendar?start=2027-07-02&end=2027-07-02");
    expect(await response.json()).toEqual([
      expect.objectContaining({ date: "2027-07-02", settlement_date: "2027-07-06", session_close: "2000" }),
    ]);
    const early = await alpacaGet("https://paper-api.alpaca.markets/v2/calendar?start=2027-11-26&end=2027-11-26");
    expect(await early.json()).toEqual([
      expect.objectContaining({ close: "13:00", session_close: "1700", settlement_date: "2027-11-29" }),
    ]);
  });
});

describe("simulated calendar bounds, read as Alpaca documents them", () => {
  const calendarAt = (start: string, end = start) =>
    alpacaGet(
      `https://paper-api.alpaca.markets/v2/calendar?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
    );

  it("reads a timestamp by its New York date: UTC midnight of Tuesday is Monday evening", async () => {
    const response = await calendarAt("2026-11-24T00:00:00.000Z");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([expect.objectContaining({ date: "2026-11-23" })]);
    // Monday at UTC midnight is Sunday in New York: no session.
    expect(await (await calendarAt("2026-11-23T00:00:00Z")).json()).toEqual([]);
  });

  it("takes a bare date as that New York day", async () => {
    expect(await (await calendarAt("2026-11-23")).json()).toEqual([expect.objectContaining({ date: "2026-11-23" })]);
  });

  it("refuses a bound that is neither a date nor a timestamp with a 400", async () => {
    const response = await calendarAt("11/23/2026");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 40010000 });
  });

  it("loses Monday when asked the SDK's way, with a Date at UTC midnight: the trap the adapter avoids", async () => {
    const sdk = await loadAlpacaClient({
      keyId: "k",
      secretKey: "s",
      paper: true,
      fetch: simFetch(),
      timeoutMs: 10_000,
    });
    const monday = new Date("2026-11-23T00:00:00Z");
    expect(await sdk.trading.calendar.legacyCalendar({ start: monday, end: monday })).toEqual([]);
    expect(await simBroker().calendar("2026-11-23", "2026-11-23")).toEqual([
      { date: "2026-11-23", open: "09:30", close: "16:00" },
    ]);
  });
});

describe("simulated market clock", () => {
  it("on an early-close day, with the market switched open, next_close is 13:00 New York", () => {
    const clock = clockJson(at("2027-11-26", "10:00"), true, "2027-11-26");
    expect(clock.is_open).toBe(true);
    expect(clock.next_close).toBe("2027-11-26T18:00:00.000Z");
    expect(clock.next_open).toBe("2027-11-29T14:30:00.000Z");
  });

  it("stays open after the early close whatever the wall clock says, next_close four hours ahead", () => {
    const now = at("2027-11-26", "14:00");
    const clock = clockJson(now, true, "2027-11-26");
    expect(clock.is_open).toBe(true);
    expect(Date.parse(clock.next_close ?? "")).toBe(now + 4 * 3_600_000);
  });

  it("switched closed the evening before Thanksgiving, opens next on the early-close Friday", () => {
    const clock = clockJson(at("2027-11-24", "18:00"), false, "2027-11-24");
    expect(clock.is_open).toBe(false);
    expect(clock.next_open).toBe("2027-11-26T14:30:00.000Z");
    expect(clock.next_close).toBe("2027-11-26T18:00:00.000Z");
  });
});

describe("simulated option listings", () => {
  it("lists the weekly expiring on Friday 2027-01-01 (New Year's Day) on Thursday 2026-12-31", () => {
    const listed = expirations("SPY", at("2026-12-01", "10:00"));
    expect(listed).toContain("2026-12-31");
    expect(listed).not.toContain("2027-01-01");
    for (const date of listed) expect(nyseSession(date), date).not.toBeNull();
  });

  it("moves a weekly on Good Friday 2027-03-26 to Thursday 2027-03-25", () => {
    const listed = expirations("QQQ", at("2027-03-01", "10:00"));
    expect(listed).toContain("2027-03-25");
    expect(listed).not.toContain("2027-03-26");
  });

  it("moves a monthly whose third Friday is Good Friday (2025-04-18) to Thursday 2025-04-17", () => {
    const listed = expirations("ABCD", at("2025-03-24", "10:00"));
    expect(listed).toContain("2025-04-17");
    expect(listed).not.toContain("2025-04-18");
  });

  it("drops a Thursday expiry once its close has passed", () => {
    expect(expirations("SPY", at("2026-12-31", "15:59"))[0]).toBe("2026-12-31");
    expect(expirations("SPY", at("2026-12-31", "16:00"))[0]).toBe("2027-01-08");
  });

  it("lists nothing for 2027-01-01 and only trading days, through the adapter", async () => {
    const broker = simBroker();
    const today = new Date().toISOString().slice(0, 10);
    const chain = await broker.optionChain({
      underlying: "SPY",
      expirationFrom: today,
      expirationTo: new Date(Date.now() + 70 * DAY).toISOString().slice(0, 10),
    });
    const dates = new Set(chain.contracts.map((c) => c.expiration));
    expect(dates.has("2027-01-01")).toBe(false);
    for (const date of dates) expect(nyseSession(date), date).not.toBeNull();
  });
});
