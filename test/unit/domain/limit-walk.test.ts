import { describe, expect, it } from "vitest";
import { closeDebitAt, entryCreditAt, minutesPerStep, walkAction } from "../../../src/domain/limit-walk";
import { walkStepId } from "../../../src/domain/orders";

const MIN = 60_000;
const settings = { steps: 2, unfilledMinutes: 15 };
// Prices compared to a millionth of a dollar: 1.1 − 0.1 is 0.9999999999999999 in floating point.
const r = (x: number) => Math.round(x * 1e6) / 1e6;

describe("entry credit along the walk", () => {
  const prices = { mid: 1.1, fillable: 1.0 };

  it("starts at the mid $1.10, then $1.05, and ends at the fillable $1.00 in 2 steps", () => {
    expect([0, 1, 2].map((step) => r(entryCreditAt(prices, step, 2, 0.9)))).toEqual([1.1, 1.05, 1.0]);
  });

  it("never goes below the floor: a $0.98 floor stops a $1.00 → $0.90 walk at $0.98", () => {
    const fallen = { mid: 1.0, fillable: 0.9 };
    expect([0, 1, 2].map((step) => r(entryCreditAt(fallen, step, 2, 0.98)))).toEqual([1.0, 0.98, 0.98]);
  });

  it("with no walk (0 steps) goes at the fillable $1.00 at once", () => {
    expect(entryCreditAt(prices, 0, 0, 0.9)).toBe(1.0);
  });

  it("a step past the last stays at the far end ($1.00)", () => {
    expect(r(entryCreditAt(prices, 5, 2, 0.9))).toBe(1.0);
  });
});

describe("close debit along the walk", () => {
  it("starts at the mid $3.45, then $3.525, and ends at the natural $3.60 in 2 steps", () => {
    const prices = { mid: 3.45, natural: 3.6 };
    expect([0, 1, 2].map((step) => r(closeDebitAt(prices, step, 2, 5)))).toEqual([3.45, 3.525, 3.6]);
  });

  it("never offers more than the $5 width, even when the natural is $5.20", () => {
    expect(closeDebitAt({ mid: 4.9, natural: 5.2 }, 2, 2, 5)).toBe(5);
  });

  it("with no walk goes at the natural $3.60 at once", () => {
    expect(closeDebitAt({ mid: 3.45, natural: 3.6 }, 0, 0, 5)).toBe(3.6);
  });
});

describe("when to walk", () => {
  const order = { step: 0, sentAt: 0, partlyFilled: false, workingSince: 0 };

  it("gives each of 3 prices 5 of the 15 unfilled minutes", () => {
    expect(minutesPerStep(settings)).toBe(5);
    expect(minutesPerStep({ steps: 0, unfilledMinutes: 15 })).toBe(15);
  });

  it("waits 4 minutes into the first price and walks at 5", () => {
    expect(walkAction(order, 4 * MIN, settings)).toBe("wait");
    expect(walkAction(order, 5 * MIN, settings)).toBe("walk");
  });

  it("cancels the last price (step 2 of 2) once it worked its 5 minutes", () => {
    const last = { ...order, step: 2, sentAt: 9 * MIN };
    expect(walkAction(last, 13 * MIN, settings)).toBe("wait");
    expect(walkAction(last, 14 * MIN, settings)).toBe("cancel");
  });

  it("cancels the last price when the 15 minutes are up, even if it worked less than its share", () => {
    expect(walkAction({ ...order, step: 2, sentAt: 13 * MIN }, 15 * MIN, settings)).toBe("cancel");
  });

  it("does not replace a partly filled order: it works until the 15 minutes are up", () => {
    const part = { ...order, partlyFilled: true };
    expect(walkAction(part, 6 * MIN, settings)).toBe("wait");
    expect(walkAction(part, 15 * MIN, settings)).toBe("cancel");
  });

  it("with no walk (0 steps) cancels after the 15 minutes, as before walking existed", () => {
    const none = { steps: 0, unfilledMinutes: 15 };
    expect(walkAction(order, 14 * MIN, none)).toBe("wait");
    expect(walkAction(order, 15 * MIN, none)).toBe("cancel");
  });
});

describe("client order ids of the steps", () => {
  it("appends -w1, then replaces it with -w2", () => {
    expect(walkStepId("sd-open-SPY-1", 1)).toBe("sd-open-SPY-1-w1");
    expect(walkStepId("sd-open-SPY-1-w1", 2)).toBe("sd-open-SPY-1-w2");
  });

  it("stays within 48 characters of [A-Za-z0-9_-] and distinct per step for a 48-character id", () => {
    const long = `sd-open-${"x".repeat(40)}`;
    const ids = [1, 2, 3].map((step) => walkStepId(long, step));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,48}$/);
    expect(new Set([long, ...ids]).size).toBe(4);
  });
});
