import { describe, expect, it } from "vitest";
import { type OrderFills, outsideCloseOf, spreadsGoneAtBroker } from "../../../src/domain/closed-outside";

const SHORT = "SPY270115P00580000";
const LONG = "SPY270115P00575000";
const spread = { shortSymbol: SHORT, longSymbol: LONG, contracts: 3, openedAt: 1_000, outsideOrderIds: null };

/** A filled close of the spread placed at Alpaca: buy the short back, sell the long. */
function closeOrder(
  id: string,
  qty: number,
  debit: number | null,
  at: number,
  over: Partial<OrderFills> = {},
): OrderFills {
  return {
    id,
    clientOrderId: `web-${id}`,
    status: "filled",
    filledQty: qty,
    filledAvgPrice: debit,
    submittedAt: at,
    filledAt: at,
    legs: [
      { symbol: SHORT, side: "buy", filledAvgPrice: 1.2 },
      { symbol: LONG, side: "sell", filledAvgPrice: 0.8 },
    ],
    ...over,
  };
}

describe("spreads gone at the broker", () => {
  it.each([
    ["all of them", 0, 0, 3],
    ["one of three", -2, 2, 1],
    ["none", -3, 3, 0],
    ["the short alone (an assignment)", 0, 3, 0],
    ["the long alone", -3, 0, 0],
    ["more than the position holds", 1, -1, 0],
  ])("%s", (_what, short, long, gone) => {
    expect(
      spreadsGoneAtBroker(
        spread,
        new Map([
          [SHORT, short],
          [LONG, long],
        ]),
      ),
    ).toBe(gone);
  });
});

describe("the outside orders that explain them", () => {
  it("takes the newest orders adding up to exactly what is gone, at their average debit", () => {
    const orders = [closeOrder("b", 2, 0.5, 3_000), closeOrder("a", 1, 0.3, 2_000)];
    expect(outsideCloseOf(spread, orders, 2)).toEqual({ contracts: 2, debit: 0.5, at: 3_000, orderIds: ["b"] });
    expect(outsideCloseOf(spread, orders, 3)).toEqual({
      contracts: 3,
      debit: Math.round(((2 * 0.5 + 0.3) / 3) * 10_000) / 10_000,
      at: 3_000,
      orderIds: ["b", "a"],
    });
  });

  it("books an order once: one booked before is left out, so a later close still filling waits for its own", () => {
    const first = closeOrder("a", 1, 0.3, 2_000);
    const booked = { ...spread, outsideOrderIds: ["a"] };
    // A second close was sent and has filled 1 so far: it is not listed (or still filling).
    expect(outsideCloseOf(booked, [first], 1)).toBeNull();
    expect(
      outsideCloseOf(booked, [closeOrder("b", 1, 0.5, 3_000, { status: "partially_filled" }), first], 1),
    ).toBeNull();
    // Done, it is booked alone, at its own price.
    expect(outsideCloseOf(booked, [closeOrder("b", 2, 0.5, 3_000), first], 2)).toMatchObject({
      contracts: 2,
      debit: 0.5,
      orderIds: ["b"],
    });
  });

  it("reads the debit from the legs when the order has no average", () => {
    expect(outsideCloseOf(spread, [closeOrder("a", 1, null, 2_000)], 1)?.debit).toBeCloseTo(0.4, 10);
  });

  it("leaves out the bot's own orders, orders before the position opened, other legs, what did not fill and what is still filling", () => {
    const ignored = [
      closeOrder("bot", 1, 0.4, 2_000, { clientOrderId: "sd-close-rec-1" }),
      closeOrder("old", 1, 0.4, 500),
      closeOrder("unfilled", 0, null, 2_000, { status: "canceled" }),
      closeOrder("still filling", 1, 0.4, 2_000, { status: "partially_filled" }),
      closeOrder("other", 1, 0.4, 2_000, {
        legs: [
          { symbol: "SPY270115P00570000", side: "buy", filledAvgPrice: 1 },
          { symbol: LONG, side: "sell", filledAvgPrice: 0.8 },
        ],
      }),
      closeOrder("opening", 1, -0.4, 2_000, {
        legs: [
          { symbol: SHORT, side: "sell", filledAvgPrice: 1.2 },
          { symbol: LONG, side: "buy", filledAvgPrice: 0.8 },
        ],
      }),
    ];
    expect(outsideCloseOf(spread, ignored, 1)).toBeNull();
  });

  it("pairs a close made leg by leg: the short bought back and the long sold in separate orders", () => {
    const shortBack = closeOrder("s", 1, 1.2, 2_000, { legs: [{ symbol: SHORT, side: "buy", filledAvgPrice: 1.2 }] });
    const longSold = closeOrder("l", 1, 0.8, 2_100, { legs: [{ symbol: LONG, side: "sell", filledAvgPrice: 0.8 }] });
    const close = outsideCloseOf(spread, [shortBack, longSold], 1);
    expect(close).toMatchObject({ contracts: 1, at: 2_100, orderIds: ["l", "s"] });
    expect(close?.debit).toBeCloseTo(0.4, 10);
    // Beside a multi-leg close of another spread of it, newest first.
    const both = outsideCloseOf(spread, [closeOrder("m", 1, 0.3, 1_500), shortBack, longSold], 2);
    expect(both?.debit).toBeCloseTo((0.3 + 0.4) / 2, 4);
    expect(both?.orderIds).toEqual(["l", "s", "m"]);
  });

  it("books nothing when the orders do not add up to what is gone on both legs", () => {
    const shortBack = closeOrder("s", 1, 1.2, 2_000, { legs: [{ symbol: SHORT, side: "buy", filledAvgPrice: 1.2 }] });
    // The short bought back alone: the long is still held (it is not a closed spread).
    expect(outsideCloseOf(spread, [shortBack], 1)).toBeNull();
    // One order closed more than is gone: which part is new cannot be told.
    expect(outsideCloseOf(spread, [closeOrder("two", 2, 0.5, 2_000)], 1)).toBeNull();
    // A leg's fill without a price cannot be booked.
    const unpriced = closeOrder("l", 1, null, 2_100, { legs: [{ symbol: LONG, side: "sell", filledAvgPrice: null }] });
    expect(outsideCloseOf(spread, [shortBack, unpriced], 1)).toBeNull();
  });
});
