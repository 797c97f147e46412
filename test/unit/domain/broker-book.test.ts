import { describe, expect, it } from "vitest";
import { assignedShares, expectedBook } from "../../../src/domain/broker-book";

const put = {
  id: 1,
  symbol: "SPY",
  strategy: "bull_put" as const,
  shortSymbol: "SPY-P580",
  longSymbol: "SPY-P575",
  contracts: 3,
};
const call = {
  id: 2,
  symbol: "QQQ",
  strategy: "bear_call" as const,
  shortSymbol: "QQQ-C520",
  longSymbol: "QQQ-C525",
  contracts: 2,
};

describe("expectedBook", () => {
  it("expects each open spread's legs, short −n and long +n, summed by contract", () => {
    const twin = { ...put, id: 3, contracts: 1 };
    const { legs, shares } = expectedBook([put, call, twin], []);
    expect(Object.fromEntries(legs)).toEqual({ "SPY-P580": -4, "SPY-P575": 4, "QQQ-C520": -2, "QQQ-C525": 2 });
    expect(shares.size).toBe(0);
  });

  it("takes a short leg assigned early off, and expects the shares it delivered: bought for a put, sold short for a call", () => {
    const { legs, shares } = expectedBook(
      [put, call],
      [
        { positionId: 1, qty: 1 },
        { positionId: 2, qty: 2 },
        { positionId: null, qty: 5 },
      ],
    );
    expect(Object.fromEntries(legs)).toEqual({ "SPY-P580": -2, "SPY-P575": 3, "QQQ-C520": 0, "QQQ-C525": 2 });
    expect(Object.fromEntries(shares)).toEqual({ SPY: 100, QQQ: -200 });
  });

  it("never takes off more contracts than the position holds", () => {
    const { legs, shares } = expectedBook([call], [{ positionId: 2, qty: 7 }]);
    expect(legs.get("QQQ-C520")).toBe(0);
    expect(shares.get("QQQ")).toBe(assignedShares("bear_call", 2));
  });
});
