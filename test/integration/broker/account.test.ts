import { beforeEach, describe, expect, it } from "vitest";
import { reset, setOpen, simBroker } from "../../support/alpaca-sim";

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

  it("reads a 100k paper account with options level 3 and no positions", async () => {
    const broker = simBroker();
    expect(await broker.account()).toEqual({
      equity: 100_000,
      buyingPower: 100_000,
      optionsBuyingPower: 100_000,
      optionsLevel: 3,
      tradingBlocked: false,
    });
    expect(await broker.positions()).toEqual([]);
    expect(broker.subrequestCount()).toBe(2);
  });
});
