import { describe, expect, it } from "vitest";
import { type ExpiringPosition, exitAlertPlan, expiryWarning } from "../../../src/domain/exit-alerts";

const T = Date.parse("2027-01-15T15:30:00Z"); // 10:30 New York, a Friday
const MIN = 60_000;

describe("exitAlertPlan", () => {
  it("posts a trigger the first time, calling people only for a stop", () => {
    expect(exitAlertPlan({ exitAlert: null, exitAlertAt: null }, "profit_target", T, 30)).toEqual({
      post: true,
      repeat: false,
      mention: false,
    });
    expect(exitAlertPlan({ exitAlert: "profit_target", exitAlertAt: T }, "stop_loss", T + MIN, 30)).toEqual({
      post: true,
      repeat: false,
      mention: true,
    });
  });

  it("repeats a stop that still holds after the interval, not before", () => {
    const history = { exitAlert: "stop_loss", exitAlertAt: T };
    expect(exitAlertPlan(history, "stop_loss", T + 29 * MIN, 30)).toEqual({ post: false });
    expect(exitAlertPlan(history, "stop_loss", T + 30 * MIN, 30)).toMatchObject({ post: true, repeat: true });
  });

  it.each(["profit_target", "time_exit"] as const)("repeats a %s once a trading day, not every interval", (trigger) => {
    const history = { exitAlert: trigger, exitAlertAt: T };
    expect(exitAlertPlan(history, trigger, T + 30 * MIN, 30)).toEqual({ post: false });
    expect(exitAlertPlan(history, trigger, T + 5 * 60 * MIN, 30)).toEqual({ post: false });
    expect(exitAlertPlan(history, trigger, T + 72 * 60 * MIN, 30)).toMatchObject({ post: true, repeat: true });
  });

  it("repeats an alert posted before alerts were timed", () => {
    expect(exitAlertPlan({ exitAlert: "stop_loss", exitAlertAt: null }, "stop_loss", T, 30)).toMatchObject({
      post: true,
      repeat: true,
    });
  });
});

describe("expiryWarning", () => {
  const spread = { symbol: "SPY", contracts: 5, expiration: "2027-01-15" };
  const put: ExpiringPosition = { ...spread, strategy: "bull_put", shortStrike: 580, longStrike: 575 };
  const call: ExpiringPosition = { ...spread, strategy: "bear_call", shortStrike: 620, longStrike: 625 };
  const at = (hhmm: string) => Date.parse(`2027-01-15T${hhmm}:00-05:00`);

  it("says nothing before the warning time, after the close or on another day", () => {
    expect(expiryWarning(put, 570, 0.2, at("14:59"), "15:00")).toBeNull();
    expect(expiryWarning(put, 570, 0.2, at("16:00"), "15:00")).toBeNull();
    expect(expiryWarning({ ...put, expiration: "2027-01-22" }, 570, 0.2, at("15:30"), "15:00")).toBeNull();
  });

  it("warns when the short leg is in the money, on either side", () => {
    expect(expiryWarning(put, 579, 0.2, at("15:00"), "15:00")).toMatchObject({ inTheMoney: true });
    expect(expiryWarning(call, 621, 0.2, at("15:00"), "15:00")).toMatchObject({ inTheMoney: true });
    expect(expiryWarning(put, 579, 0.2, at("15:00"), "15:00")?.reason).toMatch(
      /short put 580 is in the money by \$1\.00/,
    );
  });

  it("says what an assignment tonight leaves: shares nothing caps while the long leg is out of the money", () => {
    expect(expiryWarning(put, 579, 0.2, at("15:00"), "15:00")?.reason).toContain(
      "Left open, it can be assigned tonight: 500 SPY shares bought at $580 ($290,000), while the long put 575, out of the money, expires: nothing offsets the shares, so the loss is no longer capped at the spread's max loss.",
    );
    expect(expiryWarning(call, 621, 0.2, at("15:00"), "15:00")?.reason).toContain(
      "500 SPY shares sold short at $620 ($310,000), while the long call 625, out of the money, expires",
    );
    expect(expiryWarning(put, 574, 0.2, at("15:00"), "15:00")?.reason).toContain(
      "the long put 575 is in the money too and would be exercised: the shares offset, and the loss is the spread's max loss.",
    );
  });

  it("warns within one expected move to the close, and not beyond it", () => {
    // One hour left at 20 % IV: 600 × 0.2 × sqrt(60 / 98 280) ≈ $2.97.
    const near = expiryWarning(put, 582.5, 0.2, at("15:00"), "15:00");
    expect(near).toMatchObject({ inTheMoney: false });
    expect(near?.expectedMove).toBeCloseTo(582.5 * 0.2 * Math.sqrt(60 / 98_280), 6);
    expect(expiryWarning(put, 584, 0.2, at("15:00"), "15:00")).toBeNull();
    // Without an IV, within 1 % of the price.
    expect(expiryWarning(put, 585, null, at("15:00"), "15:00")).not.toBeNull();
    expect(expiryWarning(put, 590, null, at("15:00"), "15:00")).toBeNull();
  });

  it("on an early-close day warns an hour before the 13:00 close at the latest", () => {
    const friday = { ...put, expiration: "2027-11-26" }; // the day after Thanksgiving
    const t = (hhmm: string) => Date.parse(`2027-11-26T${hhmm}:00-05:00`);
    expect(expiryWarning(friday, 579, 0.2, t("11:59"), "15:00")).toBeNull();
    expect(expiryWarning(friday, 579, 0.2, t("12:00"), "15:00")?.reason).toMatch(/expires today at 13:00/);
  });
});
