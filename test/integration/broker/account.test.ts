import { beforeEach, describe, expect, it } from "vitest";
import { requests, reset, setOpen, simBroker } from "../../support/alpaca-sim";

beforeEach(async () => {
  await reset();
});

describe("Alpaca adapter on the simulator: clock, calendar, account, positions", () => {
  it("reads an open market whatever the wall clock says, with the next close ahead", async () => {
    const clock = await simBroker().clock();
    expect(clock.isOpen).toBe(true);
    expect(clock.nextClose).toBeGreaterThan(clock.now);
    expect(clock.nextOpen).toBeGreaterThan(clock.nextClose);
  });

  it("reads a closed market after the simulator closes it", async () => {
    await setOpen(false);
    const clock = await simBroker().clock();
    expect(clock.isOpen).toBe(false);
    expect(clock.nextOpen).toBeGreaterThan(clock.now);
    expect(clock.nextClose).toBeGreaterThan(clock.nextOpen);
  });

  it("lists NYSE sessions from the calendar: Thanksgiving closed, 13:00 close the day after", async () => {
    const days = await simBroker().calendar("2026-11-23", "2026-11-29");
    expect(days).toEqual([
      ...["2026-11-23", "2026-11-24", "2026-11-25"].map((date) => ({ date, open: "09:30", close: "16:00" })),
      { date: "2026-11-27", open: "09:30", close: "13:00" },
    ]);
  });

  // The simulator reads a timestamp bound by its New York date, as Alpaca plausibly does: an
  // adapter sending the SDK's `…T00:00:00.000Z` would get Sunday for Monday and fail both cases.
  it("asks the calendar for bare New York dates: a Monday finds its own session, a Tuesday too", async () => {
    const broker = simBroker();
    expect(await broker.calendar("2026-11-23", "2026-11-23")).toEqual([
      { date: "2026-11-23", open: "09:30", close: "16:00" },
    ]);
    expect(await broker.calendar("2026-11-24", "2026-11-24")).toEqual([
      { date: "2026-11-24", open: "09:30", close: "16:00" },
    ]);
    const sent = (await requests()).filter((r) => r.path === "/v2/calendar").map((r) => new URLSearchParams(r.query));
    expect(sent.map((q) => [q.get("start"), q.get("end")])).toEqual([
      ["2026-11-23", "2026-11-23"],
      ["2026-11-24", "2026-11-24"],
    ]);
  });

  it("reads a 100k paper account with options level 3 and no positions", async () => {
    const broker = simBroker();
    expect(await broker.account()).toEqual({
      equity: 100_000,
      buyingPower: 100_000,
      optionsBuyingPower: 100_000,
      optionsLevel: 3,
      optionsApprovedLevel: 3,
      tradingBlocked: false,
    });
    expect(await broker.positions()).toEqual([]);
    expect(broker.subrequestCount()).toBe(2);
  });
});
