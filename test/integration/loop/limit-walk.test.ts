// A spread often does not fill at the mid. An approved entry starts there and, while nobody takes
// it, the monitor walks it toward the fillable estimate the card promised (never below the lowest
// credit the approval accepts); a close walks from the mid toward the natural. Each step is a new
// order under its own client order id, one working at a time, and every price is on the card.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import {
  click,
  command,
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

const NOBODY_TAKES_IT = { fills_only_beyond_mid: 100 };

beforeEach(resetWorld);

describe("walking limit orders", () => {
  it("starts an entry at the fresh mid and fills it at the second price once someone takes it", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const card = await storedRecommendation(recId);
    await alpaca.setFaults(NOBODY_TAKES_IT);
    await click(message.id, approve.custom_id);

    const working = await storedRecommendation(recId);
    const [first] = working?.limitWalk ?? [];
    // The quotes are frozen: the fresh mid is the card's mid, floored to the cent.
    expect(first?.price).toBe(Math.floor((card?.midCredit ?? 0) * 100 + 1e-7) / 100);
    expect(working?.limitFloor).toBeGreaterThan(0);
    expect(textOf(await messageById(message.id))).toMatch(/never below \$[\d.]+/);

    await monitorAfter(6);
    const walked = await storedRecommendation(recId);
    const second = walked?.limitWalk?.[1];
    expect(second?.price).toBeLessThan(first?.price ?? 0);
    expect(second?.price).toBeGreaterThanOrEqual(card?.credit ?? Number.POSITIVE_INFINITY);
    expect(walked?.clientOrderId).toBe(`sd-open-${recId}-w1`);

    await alpaca.setFaults({ fills_only_beyond_mid: 0 }); // a counterparty takes the working price
    await monitorAfter(7);
    const filled = await storedRecommendation(recId);
    expect(filled?.status).toBe("filled");
    const [position] = await database(env.DB).query.positions.findMany();
    expect(position).toMatchObject({ status: "open", contracts: filled?.contracts, entryCredit: second?.price });
    expect((await openingOrdersFor(recId)).map((o) => o.status)).toEqual(["canceled", "filled"]);
    expect(textOf(await messageById(message.id))).toMatch(
      new RegExp(`Filled[\\s\\S]*limit walked \\$${first?.price.toFixed(2)} → \\$${second?.price.toFixed(2)} credit`),
    );
  });

  it("sends no new entry order after /halt: the halt cancels the working one and the walk stops", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setFaults(NOBODY_TAKES_IT);
    await click(message.id, approve.custom_id);
    expect((await command("halt", { reason: "walk test" })).status).toBe(200);

    await monitorAfter(6);
    await monitorAfter(11);
    expect((await openingOrdersFor(recId)).map((o) => o.status)).toEqual(["canceled"]);
    const row = await storedRecommendation(recId);
    expect(row?.status).toBe("failed");
    expect(row?.limitWalk).toHaveLength(1);
  });

  it("walks a close from the mid toward the natural and books the fill at the price that filled", async () => {
    const { alert, close } = await profitTargetAlert(await openPosition("SPY"));

    await alpaca.setFaults(NOBODY_TAKES_IT);
    await click(alert.id, close.custom_id);
    expect(textOf(await messageById(alert.id))).toMatch(/Close requested[\s\S]*order working at \$[\d.]+ debit/);
    await monitorAfter(6);
    const [closing] = await database(env.DB).query.positions.findMany();
    const [mid, next] = closing?.closeWalk ?? [];
    expect(next?.price).toBeGreaterThan(mid?.price ?? Number.POSITIVE_INFINITY);
    expect(textOf(await messageById(alert.id))).toMatch(
      `limit walked $${mid?.price.toFixed(2)} → $${next?.price.toFixed(2)} debit`,
    );

    await alpaca.setFaults({ fills_only_beyond_mid: 0 });
    await monitorAfter(7);
    const [closed] = await database(env.DB).query.positions.findMany();
    expect(closed).toMatchObject({ status: "closed", closePrice: next?.price });
    const closes = (await alpaca.listOrders()).filter((o) => String(o.client_order_id).startsWith("sd-close-"));
    expect(closes.map((o) => o.status)).toEqual(["canceled", "filled"]);
  });
});
