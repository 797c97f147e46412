// Fills as they are: an order can fill in part and then end. Whatever filled is a position the
// bot watches, the card says how much, and the broker's book and the bot's agree on quantities.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import {
  buttonsOf,
  call,
  click,
  fire,
  firstCloseAlert,
  messageById,
  monitorAfter,
  resetWorld,
  SCAN_SLOT,
  scanAndPick,
  storedRecommendation,
  textOf,
} from "../../support/sandbox-driver";

const MINUTE = 60_000;

interface BothBooks {
  broker: { symbol: string; qty: string }[];
  bot: { id: number; short_symbol: string; long_symbol: string; contracts: number; status: string }[];
}

async function books(): Promise<BothBooks> {
  return (await call("/sandbox/api/positions")).json<BothBooks>();
}

/** The Approve button for the most contracts offered, and that number. */
async function approveMost(recId: string) {
  const rec = await storedRecommendation(recId);
  if (!rec?.discordMessageId) throw new Error("no message");
  const message = await messageById(rec.discordMessageId);
  const approves = buttonsOf(message).filter((b) => b.custom_id.startsWith("v1:approve:"));
  const sized = approves.map((b) => ({ button: b, contracts: Number(b.custom_id.split(":")[3]) }));
  const most = sized.sort((a, b) => b.contracts - a.contracts)[0];
  if (!most) throw new Error("no Approve button");
  return { message, ...most };
}

beforeEach(resetWorld);

describe("partial fills", () => {
  it("books an entry that filled 3 of 5 and was then canceled as a 3-contract position, on the card and at both books", async () => {
    const { recId } = await scanAndPick("SPY");
    const { message, button, contracts } = await approveMost(recId);
    expect(contracts).toBeGreaterThanOrEqual(2);
    const filled = Math.max(1, Math.floor(0.6 * contracts));
    await alpaca.setFaults({ partial_fill_next_order: 0.6 });
    await click(message.id, button.custom_id);

    const working = await storedRecommendation(recId);
    expect(working).toMatchObject({ status: "submitted", filledContracts: filled, contracts });
    expect(textOf(await messageById(message.id))).toContain(`Filled ${filled} of ${contracts}`);
    const [position] = (await books()).bot;
    expect(position).toMatchObject({ contracts: filled, status: "open" });

    await monitorAfter(16);
    const ended = await storedRecommendation(recId);
    expect(ended?.status).toBe("filled");
    expect(ended?.statusReason).toMatch(
      new RegExp(
        `Filled ${filled} of ${contracts}; the other ${contracts - filled} ended: Did not fill within 15 minutes`,
      ),
    );
    expect(textOf(await messageById(message.id))).toContain(`Filled ${filled} of ${contracts}`);
    const { broker, bot } = await books();
    expect(bot).toEqual([expect.objectContaining({ contracts: filled, status: "open" })]);
    const qty = Object.fromEntries(broker.map((p) => [p.symbol, Number(p.qty)]));
    expect(qty).toEqual({ [bot[0]?.short_symbol ?? ""]: -filled, [bot[0]?.long_symbol ?? ""]: filled });
    const orders = await alpaca.listOrders();
    expect(orders.map((o) => [o.status, o.filled_qty])).toEqual([["canceled", String(filled)]]);
    const [trade] = await database(env.DB).query.trades.findMany();
    expect(trade).toMatchObject({ status: "canceled", filledQty: filled });
  });

  it("books a close that filled in part: the closed part's P/L is realized and the next Close is for the rest", async () => {
    const { recId } = await scanAndPick("SPY");
    const { message, button, contracts } = await approveMost(recId);
    await click(message.id, button.custom_id);
    const rec = await storedRecommendation(recId);
    await alpaca.moveMarket({ symbol: "SPY", move_pct: rec?.strategy === "bull_put" ? 8 : -8 });
    await fire("monitor", SCAN_SLOT + 30 * MINUTE);
    const { alert, close } = await firstCloseAlert();
    expect(close.label).toBe(`Close ${contracts}`);
    const [marked] = await database(env.DB).query.positions.findMany();

    await alpaca.setFaults({ partial_fill_next_order: 0.5 });
    await click(alert.id, close.custom_id);
    const closedPart = Math.max(1, Math.floor(0.5 * contracts));
    const left = contracts - closedPart;
    const [closing] = await database(env.DB).query.positions.findMany();
    expect(closing).toMatchObject({ status: "closing", contracts: left, openedContracts: contracts });
    const partPl = closing?.realizedPl ?? Number.NaN;
    expect(Number.isFinite(partPl)).toBe(true);
    // What is left carries its share of the last mark, not the whole position's.
    expect(closing?.unrealizedPl).toBeCloseTo(((marked?.unrealizedPl ?? Number.NaN) * left) / contracts, 2);

    await monitorAfter(47);
    const [reopened] = await database(env.DB).query.positions.findMany();
    expect(reopened).toMatchObject({ status: "open", contracts: left, realizedPl: partPl });
    const after = await messageById(alert.id);
    expect(textOf(after)).toContain(`${closedPart} of ${contracts} closed; ${left} still open`);
    expect(buttonsOf(after).map((b) => b.label)).toEqual([`Close ${left}`]);
    const { broker, bot } = await books();
    expect(bot).toEqual([expect.objectContaining({ contracts: left })]);
    expect(broker.map((p) => Math.abs(Number(p.qty)))).toEqual([left, left]);

    // The second Close asks for the rest, and the whole trade's P/L is both parts.
    await click(alert.id, buttonsOf(after)[0]?.custom_id ?? "");
    const [closed] = await database(env.DB).query.positions.findMany();
    expect(closed?.status).toBe("closed");
    const closes = (await alpaca.listOrders()).filter((o) => String(o.client_order_id).startsWith("sd-close-"));
    expect(closes.map((o) => o.qty).sort()).toEqual([String(contracts), String(left)].sort());
    const fillOf = (qty: number) =>
      Math.abs(Number(closes.find((o) => o.qty === String(qty))?.filled_avg_price ?? Number.NaN));
    // Each part net of its fees: $0.06 a contract a leg, on the entry and on the close.
    const secondPart = ((closed?.entryCredit ?? 0) - fillOf(left)) * 100 * left - 0.06 * 2 * 2 * left;
    expect(closed?.realizedPl).toBeCloseTo(partPl + secondPart, 1);
    // The card's close price is the average of both orders' fills; its max loss, the whole trade's.
    const average = (fillOf(contracts) * closedPart + fillOf(left) * left) / contracts;
    expect(closed?.closePrice).toBeCloseTo(average, 3);
    expect(closed?.maxLoss).toBeCloseTo(marked?.maxLoss ?? Number.NaN, 1);
    const card = textOf(await messageById(alert.id));
    expect(card).toContain(`$${average.toFixed(2)}/sh`);
    expect(card).toContain(`× ${contracts}`);
    expect((await books()).broker).toEqual([]);
  });
});
