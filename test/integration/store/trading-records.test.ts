import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NewPosition } from "../../../drizzle/schema";
import { database } from "../../../src/store/db";
import { positionStore } from "../../../src/store/positions";
import { recommendationStore } from "../../../src/store/recommendations";
import { tradeStore } from "../../../src/store/trades";
import { aPosition, aRecommendation, T0 } from "../../support/builders";
import { errorText } from "../../support/errors";

const db = database(env.DB);
const recs = recommendationStore(db);
const trades = tradeStore(db);
const positions = positionStore(db);
const FEES = { optionFeePerContract: 0.06 };

async function aStoredRecommendation(overrides: Parameters<typeof aRecommendation>[0] = {}) {
  const rec = aRecommendation(overrides);
  await recs.insert([rec]);
  return rec;
}

/** A stored recommendation and the position opened on it (openOrGrow), as stored. */
async function aStoredPosition(
  overrides: Partial<NewPosition> = {},
  recOverrides: Parameters<typeof aRecommendation>[0] = {},
) {
  const rec = await aStoredRecommendation(recOverrides);
  await positions.openOrGrow(aPosition(rec.id, overrides));
  const position = await positions.byRecommendation(rec.id);
  if (!position) throw new Error("position not stored");
  return { rec, position };
}

/** The position as stored now. */
async function storedNow(id: number) {
  const position = await positions.get(id);
  if (!position) throw new Error("position vanished");
  return position;
}

describe("trades in D1", () => {
  it("records an order once even when recorded twice with the same client order id", async () => {
    const rec = await aStoredRecommendation();
    const trade = {
      recommendationId: rec.id,
      kind: "open" as const,
      clientOrderId: rec.clientOrderId,
      brokerOrderId: "o-1",
      symbol: "SPY",
      contracts: 2,
      limitPrice: -1.2,
      status: "submitted" as const,
      submittedBy: "u1",
      submittedAt: T0,
      updatedAt: T0,
    };
    await trades.record(trade);
    await trades.record({ ...trade, brokerOrderId: "o-2" });
    const rows = await trades.forRecommendation(rec.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ brokerOrderId: "o-1", limitPrice: -1.2 });
  });

  it("marks a trade filled with its price", async () => {
    const rec = await aStoredRecommendation();
    await trades.record({
      recommendationId: rec.id,
      kind: "open",
      clientOrderId: rec.clientOrderId,
      symbol: "SPY",
      contracts: 1,
      limitPrice: -1.1,
      status: "submitted",
      submittedBy: "u1",
      submittedAt: T0,
      updatedAt: T0,
    });
    await trades.update(rec.clientOrderId, { status: "filled", fillPrice: -1.15, filledAt: T0 + 5 }, T0 + 5);
    expect(await trades.byClientOrderId(rec.clientOrderId)).toMatchObject({ status: "filled", fillPrice: -1.15 });
  });
});

describe("positions in D1", () => {
  it("opens one position per recommendation and grows it to what the entry has filled, never back", async () => {
    const rec = await aStoredRecommendation();
    await positions.openOrGrow(aPosition(rec.id, { contracts: 2, openedContracts: 2, maxLoss: 760 }));
    await positions.openOrGrow(aPosition(rec.id, { contracts: 2, openedContracts: 2, maxLoss: 760 }));
    expect(await positions.byRecommendation(rec.id)).toMatchObject({ contracts: 2, openedContracts: 2, maxLoss: 760 });
    await positions.openOrGrow(aPosition(rec.id, { contracts: 5, openedContracts: 5, maxLoss: 1900 }));
    expect(await positions.byRecommendation(rec.id)).toMatchObject({ contracts: 5, openedContracts: 5, maxLoss: 1900 });
    await positions.openOrGrow(aPosition(rec.id, { contracts: 3, openedContracts: 3, maxLoss: 1140 }));
    expect(await positions.byRecommendation(rec.id)).toMatchObject({ contracts: 5, openedContracts: 5 });
    expect(await database(env.DB).query.positions.findMany()).toHaveLength(1);
  });

  it("lets exactly one of several Close clicks claim the close", async () => {
    const { rec, position } = await aStoredPosition({ openedContracts: 2 });
    const claims = await Promise.all(
      [1, 2, 3, 4, 5].map(() => positions.claimForClose(position.id, `sd-close-${rec.id}`, "profit target", T0)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await positions.get(position.id)).toMatchObject({
      status: "closing",
      closeClientOrderId: `sd-close-${rec.id}`,
    });
  });

  it("records the mark, then books a close that fills 1 of 2 and then the rest, each part once, net of $0.06 fees: +$59.76 then +$119.52", async () => {
    const { rec, position: opened } = await aStoredPosition({
      contracts: 2,
      openedContracts: 2,
      entryCredit: 1.2,
      maxLoss: 760,
    });
    await positions.mark(opened.id, 0.6, 120, T0 + 60_000);
    expect(await positions.get(opened.id)).toMatchObject({ mark: 0.6, unrealizedPl: 120 });
    await positions.claimForClose(opened.id, `sd-close-${rec.id}`, "profit target", T0 + 60_000);
    const closing = await storedNow(opened.id);

    // One contract bought back at 0.60: $60, less $0.24 of fees (2 legs × 2 fills × $0.06).
    const fill1 = { filledQty: 1, debit: 0.6, at: T0 + 90_000 };
    expect(await positions.bookCloseFill(closing, fill1, FEES, T0 + 90_000)).toBe(true);
    expect(await positions.bookCloseFill(closing, fill1, FEES, T0 + 90_000)).toBe(false);
    const half = await storedNow(opened.id);
    // What is left keeps its share of the last mark ($120 for two: $60 for one).
    expect(half).toMatchObject({
      status: "closing",
      contracts: 1,
      realizedPl: 59.76,
      maxLoss: 380,
      closeBookedQty: 1,
      unrealizedPl: 60,
    });

    // The second at 0.60 too: closed, $120 less $0.48 of fees in all; the record keeps the whole
    // trade's max loss and no open P/L.
    const fill2 = { filledQty: 2, debit: 0.6, at: T0 + 120_000 };
    expect(await positions.bookCloseFill(half, fill2, FEES, T0 + 120_000)).toBe(true);
    expect(await positions.get(opened.id)).toMatchObject({
      status: "closed",
      realizedPl: 119.52,
      closedAt: T0 + 120_000,
      closePrice: 0.6,
      maxLoss: 760,
      unrealizedPl: null,
    });
    expect((await positions.active()).map((p) => p.id)).not.toContain(opened.id);
  });

  it("closes 5 contracts in one fill and in two orders: the record's max loss is the trade's, its close price the average", async () => {
    const { position: opened } = await aStoredPosition({
      contracts: 5,
      openedContracts: 5,
      entryCredit: 1.2,
      maxLoss: 1900,
    });
    await positions.claimForClose(opened.id, "sd-close-a", "stop", T0);
    const first = await storedNow(opened.id);
    // 3 bought back at $3.05 by the first order, which then ends; a second order closes 2 at $3.07.
    await positions.bookCloseFill(first, { filledQty: 3, debit: 3.05, at: T0 + 1 }, FEES, T0 + 1);
    await positions.reopen(opened.id, T0 + 2);
    await positions.claimForClose(opened.id, "sd-close-b", "stop", T0 + 3);
    const second = await storedNow(opened.id);
    expect(second).toMatchObject({ contracts: 2, maxLoss: 760, closePrice: 3.05 });
    await positions.bookCloseFill(second, { filledQty: 2, debit: 3.07, at: T0 + 4 }, FEES, T0 + 4);
    expect(await positions.get(opened.id)).toMatchObject({ status: "closed", maxLoss: 1900, closePrice: 3.058 });
  });

  it("prices each booking of one close order by what it adds: 1 at $1.00, then the order's average $1.20 over 3", async () => {
    const { position: opened } = await aStoredPosition({
      contracts: 3,
      openedContracts: 3,
      entryCredit: 2,
      maxLoss: 900,
    });
    await positions.claimForClose(opened.id, "sd-close-c", "stop", T0);
    const first = await storedNow(opened.id);
    await positions.bookCloseFill(first, { filledQty: 1, debit: 1, at: T0 + 1 }, FEES, T0 + 1);
    const second = await storedNow(opened.id);
    // The order's average is now $1.20 over 3: the 2 added cost (3 × 1.20 − 1 × 1.00) ÷ 2 = $1.30.
    await positions.bookCloseFill(second, { filledQty: 3, debit: 1.2, at: T0 + 2 }, FEES, T0 + 2);
    const closed = await positions.get(opened.id);
    // (2.00 − 1.00) × 100 − $0.24 fees, then (2.00 − 1.30) × 100 × 2 − $0.48: $99.76 + $139.52.
    expect(closed).toMatchObject({ status: "closed", closePrice: 1.2, realizedPl: 239.28 });
  });

  it("records each open position's P/L at the end of day, with its day: where tomorrow's daily loss starts", async () => {
    const { position: opened } = await aStoredPosition({ contracts: 1, openedContracts: 1 });
    await positions.mark(opened.id, 0.9, -42.5, T0);
    await positions.recordCloseMarks("2027-01-15");
    expect(await positions.get(opened.id)).toMatchObject({ plAtLastClose: -42.5, plAtLastCloseDay: "2027-01-15" });

    // Partly closed: the rest at the mark, and what the closed part realized, each recorded.
    const { position: three } = await aStoredPosition({ contracts: 3, openedContracts: 3 });
    await positions.bookOutsideClose(three, { contracts: 1, debit: 1.5, at: T0, orderIds: ["web-1"] }, FEES, T0);
    const two = await positions.get(three.id);
    await positions.mark(three.id, 1.1, -30, T0);
    await positions.recordCloseMarks("2027-01-15");
    expect(two?.realizedPl).toBeLessThan(0);
    expect(await positions.get(three.id)).toMatchObject({ plAtLastClose: -30, realizedAtLastClose: two?.realizedPl });
  });

  it("marks several positions in one statement: each its own mark and time, a missing quote as none, the rest untouched", async () => {
    const ids: number[] = [];
    for (const symbol of ["IWM", "DIA", "XLF"]) ids.push((await aStoredPosition({ symbol }, { symbol })).position.id);
    const [first = 0, second = 0, untouched = 0] = ids;
    await positions.markMany(
      [
        { id: first, mark: 0.45, unrealizedPl: 149.76 },
        { id: second, mark: null, unrealizedPl: null },
      ],
      T0 + 300_000,
    );

    expect(await positions.get(first)).toMatchObject({ mark: 0.45, unrealizedPl: 149.76, markedAt: T0 + 300_000 });
    expect(await positions.get(second)).toMatchObject({ mark: null, unrealizedPl: null, markedAt: T0 + 300_000 });
    expect(await positions.get(untouched)).toMatchObject({ mark: null, markedAt: null, updatedAt: T0 });
  });

  it("the database refuses a closed position without a close time", async () => {
    const rec = await aStoredRecommendation();
    expect(await errorText(positions.openOrGrow(aPosition(rec.id, { status: "closed", openedContracts: 2 })))).toMatch(
      /CHECK constraint failed/,
    );
  });

  it("counts the positions opened since a time, whatever became of them since (the end of day's trades opened)", async () => {
    const LATER = T0 + 30 * 86_400_000; // after every other test's positions
    for (const [openedAt, status] of [
      [LATER - 1, "open"],
      [LATER, "closed"],
      [LATER + 60_000, "open"],
    ] as const) {
      const rec = await aStoredRecommendation();
      await positions.openOrGrow(
        aPosition(rec.id, { openedAt, status, ...(status === "closed" ? { closedAt: LATER + 1 } : {}) }),
      );
    }
    expect(await positions.countOpenedSince(LATER)).toBe(2);
    expect(await positions.countOpenedSince(LATER + 120_000)).toBe(0);
  });
});
