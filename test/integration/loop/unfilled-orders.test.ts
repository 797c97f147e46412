// Limit orders that nobody fills are not left working at an old price: they walk from the mid
// (LIMIT_WALK_STEPS, 2) and after UNFILLED_ORDER_MINUTES (15) the monitor cancels them and says
// so on the message.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import {
  buttonsOf,
  click,
  messageById,
  monitorAfter,
  openingOrdersFor,
  openPosition,
  profitTargetAlert,
  resetWorld,
  scanAndPick,
  storedRecommendation,
  textOf,
} from "../../support/sandbox-driver";

beforeEach(resetWorld);

describe("unfilled orders", () => {
  it("walks a resting entry from the mid in two steps, 5 minutes each, cancels it at 15 minutes and says nothing was opened", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setFaults({ fills_only_beyond_mid: 100 }); // nobody takes any price
    await click(message.id, approve.custom_id);
    expect((await storedRecommendation(recId))?.status).toBe("submitted");

    await monitorAfter(4);
    expect((await storedRecommendation(recId))?.limitWalk).toHaveLength(1);
    await monitorAfter(6);
    await monitorAfter(11);
    const walking = await storedRecommendation(recId);
    expect(walking?.status).toBe("submitted");
    expect(walking?.limitWalk?.map((s) => s.step)).toEqual([0, 1, 2]);

    await monitorAfter(16);
    const row = await storedRecommendation(recId);
    expect(row?.status).toBe("failed");
    expect(row?.statusReason).toMatch(
      /Did not fill within 15 minutes \(limit walked \$[\d.]+ → \$[\d.]+ → \$[\d.]+ credit\); the bot canceled it/,
    );
    // One order at a time, each under its own client order id, every one canceled.
    const orders = await openingOrdersFor(recId);
    expect(orders.map((o) => o.status)).toEqual(["canceled", "canceled", "canceled"]);
    expect(new Set(orders.map((o) => o.client_order_id)).size).toBe(3);
    expect(textOf(await messageById(message.id))).toMatch(/Did not fill within 15 minutes \(limit walked/);
    expect(await database(env.DB).query.positions.findMany()).toEqual([]);
  });

  it("waits out a cancel Alpaca has not confirmed (pending_cancel) and then says what it became", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setFaults({ no_fill_next_order: true });
    await click(message.id, approve.custom_id);
    await alpaca.setFaults({ pending_cancel_next_cancel: { requests: 1, ends: "canceled" } });
    await monitorAfter(16);
    // The cancel is on its way: the order may still fill, so the entry is still working.
    expect((await storedRecommendation(recId))?.status).toBe("submitted");
    expect((await openingOrdersFor(recId)).map((o) => o.status)).toEqual(["canceled"]);

    await monitorAfter(21);
    const row = await storedRecommendation(recId);
    expect(row?.status).toBe("failed");
    expect(row?.statusReason).toMatch(/Did not fill within 15 minutes/);
    expect(await database(env.DB).query.positions.findMany()).toEqual([]);
  });

  it("books the position when the order filled while its cancel was pending (the cancel lost the race)", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setFaults({ no_fill_next_order: true });
    await click(message.id, approve.custom_id);
    await alpaca.setFaults({ pending_cancel_next_cancel: { requests: 1, ends: "filled" } });
    await monitorAfter(16);
    expect((await storedRecommendation(recId))?.status).toBe("submitted");

    await monitorAfter(21);
    const row = await storedRecommendation(recId);
    expect(row?.status).toBe("filled");
    const [position] = await database(env.DB).query.positions.findMany();
    expect(position).toMatchObject({ status: "open", contracts: row?.contracts });
    expect((await openingOrdersFor(recId)).map((o) => o.status)).toEqual(["filled"]);
  });

  it("cancels a close that did not fill and offers Close again", async () => {
    const { alert, close } = await profitTargetAlert(await openPosition("SPY"));

    await alpaca.setFaults({ fills_only_beyond_mid: 100 });
    await click(alert.id, close.custom_id);
    expect(textOf(await messageById(alert.id))).toMatch(/Closing/);

    // The close walks from the mid toward the natural (two steps, 5 minutes each), then ends.
    for (const minutes of [6, 11, 16]) await monitorAfter(minutes);
    const after = await messageById(alert.id);
    expect(textOf(after)).toMatch(
      /did not fill within 15 minutes \(limit walked \$[\d.]+ → \$[\d.]+ → \$[\d.]+ debit\)/,
    );
    expect(buttonsOf(after).map((b) => b.custom_id)).toEqual([close.custom_id]);
    const positions = await database(env.DB).query.positions.findMany();
    expect(positions.map((p) => p.status)).toEqual(["open"]);
    const closes = (await alpaca.listOrders()).filter((o) => String(o.client_order_id).startsWith("sd-close-"));
    expect(closes.map((o) => o.status)).toEqual(["canceled", "canceled", "canceled"]);

    await alpaca.setFaults({ fills_only_beyond_mid: 0 });
    // And the second Close goes through, with a new client order id.
    await click(alert.id, close.custom_id);
    expect((await database(env.DB).query.positions.findMany()).map((p) => p.status)).toEqual(["closed"]);
  });
});
