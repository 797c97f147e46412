import { describe, expect, it } from "vitest";
import { clientOrderId, closeSpreadOrder, flattenSharesOrder, openSpreadOrder } from "../../../src/domain/orders";

const open = {
  strategy: "bull_put" as const,
  shortSymbol: "SPY270219P00580000",
  longSymbol: "SPY270219P00575000",
  contracts: 2,
  limitCredit: 1.237,
  clientOrderId: "sd-open-r1",
};

describe("clientOrderId", () => {
  it.each([
    ["a short id", "r1abc", "open", "sd-open-r1abc"],
    ["a close", "r1abc", "close", "sd-close-r1abc"],
    ["a uuid", "7c9e6679-7425-40de-944b-e07fc1f90ae7", "open", "sd-open-7c9e6679-7425-40de-944b-e07fc1f90ae7"],
  ] as const)("%s: %s → %s", (_name, id, kind, expected) => {
    expect(clientOrderId(id, kind)).toBe(expected);
  });

  it.each([
    ["a long id", "x".repeat(200)],
    ["an id with unsafe characters", "rec/2027:01 15#1"],
    ["a long uuid-ish id for close", `close-${"7c9e6679-7425-40de-944b-e07fc1f90ae7".repeat(2)}`],
    ["only unsafe characters", "////"],
  ])("%s is made safe, short and stable", (_name, id) => {
    for (const kind of ["open", "close"] as const) {
      const cid = clientOrderId(id, kind);
      expect(cid.length).toBeLessThanOrEqual(48);
      expect(cid).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cid.startsWith(`sd-${kind}-`)).toBe(true);
      expect(clientOrderId(id, kind)).toBe(cid);
    }
  });

  it("keeps long ids that share a prefix apart", () => {
    const a = clientOrderId(`${"a".repeat(60)}1`, "open");
    const b = clientOrderId(`${"a".repeat(60)}2`, "open");
    expect(a).not.toBe(b);
  });

  it("open and close of one recommendation differ", () => {
    expect(clientOrderId("r1", "open")).not.toBe(clientOrderId("r1", "close"));
  });
});

describe("openSpreadOrder", () => {
  it("sells the short leg and buys the long for a negative (credit) limit, rounded down to the cent", () => {
    expect(openSpreadOrder(open)).toEqual({
      order_class: "mleg",
      type: "limit",
      time_in_force: "day",
      qty: "2",
      limit_price: "-1.23",
      client_order_id: "sd-open-r1",
      legs: [
        { symbol: "SPY270219P00580000", side: "sell", position_intent: "sell_to_open", ratio_qty: "1" },
        { symbol: "SPY270219P00575000", side: "buy", position_intent: "buy_to_open", ratio_qty: "1" },
      ],
    });
  });

  it.each([
    [0.29, "-0.29"],
    [1.2, "-1.20"],
    [1.999, "-1.99"],
    [0.01, "-0.01"],
  ])("credit %s → limit %s", (credit, limit) => {
    expect(openSpreadOrder({ ...open, limitCredit: credit }).limit_price).toBe(limit);
  });

  it.each([
    ["a credit that rounds to zero", { limitCredit: 0.009 }],
    ["a negative credit", { limitCredit: -1 }],
    ["zero contracts", { contracts: 0 }],
    ["fractional contracts", { contracts: 1.5 }],
    ["an unsafe client order id", { clientOrderId: "has space" }],
  ])("refuses %s", (_name, overrides) => {
    expect(() => openSpreadOrder({ ...open, ...overrides })).toThrow(RangeError);
  });

  it("same input, same body", () => {
    expect(openSpreadOrder(open)).toEqual(openSpreadOrder({ ...open }));
  });
});

describe("closeSpreadOrder", () => {
  const close = {
    shortSymbol: open.shortSymbol,
    longSymbol: open.longSymbol,
    contracts: 2,
    limitDebit: 0.571,
    clientOrderId: "sd-close-r1",
  };

  it("buys back the short leg and sells the long for a positive (debit) limit, rounded up", () => {
    const order = closeSpreadOrder(close);
    expect(order.limit_price).toBe("0.58");
    expect(order.legs).toEqual([
      { symbol: "SPY270219P00580000", side: "buy", position_intent: "buy_to_close", ratio_qty: "1" },
      { symbol: "SPY270219P00575000", side: "sell", position_intent: "sell_to_close", ratio_qty: "1" },
    ]);
    expect(order).toMatchObject({ order_class: "mleg", type: "limit", time_in_force: "day", qty: "2" });
  });

  it.each([
    [0.58, "0.58"],
    [0.29, "0.29"],
    [0, "0.01"],
    [0.001, "0.01"],
  ])("debit %s → limit %s", (debit, limit) => {
    expect(closeSpreadOrder({ ...close, limitDebit: debit }).limit_price).toBe(limit);
  });

  it("refuses a negative debit", () => {
    expect(() => closeSpreadOrder({ ...close, limitDebit: -0.1 })).toThrow(RangeError);
  });
});

describe("flattenSharesOrder", () => {
  it("sells long shares and buys back short ones at the market, for the day", () => {
    expect(flattenSharesOrder({ symbol: "SPY", shares: 300, clientOrderId: "sd-flat-r1-1" })).toEqual({
      order_class: "simple",
      symbol: "SPY",
      side: "sell",
      type: "market",
      time_in_force: "day",
      qty: "300",
      client_order_id: "sd-flat-r1-1",
    });
    expect(flattenSharesOrder({ symbol: "SPY", shares: -200, clientOrderId: "sd-flat-r1-2" })).toMatchObject({
      side: "buy",
      qty: "200",
    });
  });

  it("refuses zero or fractional shares and an unsafe client order id", () => {
    expect(() => flattenSharesOrder({ symbol: "SPY", shares: 0, clientOrderId: "x" })).toThrow(RangeError);
    expect(() => flattenSharesOrder({ symbol: "SPY", shares: 1.5, clientOrderId: "x" })).toThrow(RangeError);
    expect(() => flattenSharesOrder({ symbol: "SPY", shares: 100, clientOrderId: "a b" })).toThrow(RangeError);
  });
});
