// A spread closed at Alpaca by a person (its web page or app), outside the bot: the monitor finds
// the legs gone and the order that closed them, books the close at that order's price (in full
// or in part), says so once, and the books agree with Alpaca again; what is left stays the bot's
// to close. Legs gone without such an order (closed leg by leg) are left for reconcile to report
// (test/unit/domain/closed-outside.test.ts).
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { type PositionRow, positions } from "../../../drizzle/schema";
import { parseConfig } from "../../../src/config";
import { signedMoney } from "../../../src/discord/messages/format";
import { closedSpreadPl } from "../../../src/domain/fees";
import { closeSpreadOrder } from "../../../src/domain/orders";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import { discordSim } from "../../support/discord-sim";
import {
  advanceClock,
  click,
  command,
  fire,
  firstCloseAlert,
  messageById,
  openPosition,
  postJson,
  resetWorld,
  runMonitorNow,
  SCAN_SLOT,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);

const stored = async (id: number) => {
  const row = await db.select().from(positions).where(eq(positions.id, id)).get();
  if (!row) throw new Error(`position ${id} is gone`);
  return row;
};

/** A person closes `contracts` spreads at Alpaca, at a debit that fills at once (the natural). */
async function closeAtAlpaca(p: PositionRow, contracts: number, clientOrderId: string): Promise<number> {
  const broker = alpaca.simBroker();
  const quotes = await broker.optionQuotes([p.shortSymbol, p.longSymbol]);
  const debit = Math.ceil(((quotes.get(p.shortSymbol)?.ask ?? 0) - (quotes.get(p.longSymbol)?.bid ?? 0)) * 100) / 100;
  const order = closeSpreadOrder({
    shortSymbol: p.shortSymbol,
    longSymbol: p.longSymbol,
    contracts,
    limitDebit: debit,
    clientOrderId,
  });
  const placed = await broker.submitOrder(order);
  if (placed.kind !== "placed" || placed.order.status !== "filled")
    throw new Error(`the close did not fill: ${JSON.stringify(placed)}`);
  return debit;
}

const texts = async () => (await discordSim.messages()).map(textOf);
/** The channel's notices of closes booked from Alpaca (not the card's "Reason: By hand at Alpaca"). */
const outsideNotices = async () => (await texts()).filter((t) => t.includes("closed at Alpaca, outside the bot"));

beforeEach(resetWorld);

describe("a close made at Alpaca, outside the bot", () => {
  it("is booked at its order's price, said once, and the card and /portfolio follow", async () => {
    const position = await openPosition();
    // An exit alert first, so that a Close button is on the channel when the person closes at Alpaca.
    await alpaca.moveMarket({ symbol: "SPY", move_pct: position.strategy === "bull_put" ? 6 : -6 });
    await fire("monitor", SCAN_SLOT + 30 * 60_000);
    const { alert } = await firstCloseAlert();

    // The sandbox's knob: a person closes the spread at Alpaca's page, at the natural.
    const n = position.contracts;
    const answer = await postJson("/sandbox/api/market", { close_by_hand: position.shortSymbol });
    expect(answer.status).toBe(200);
    const order = await answer.json<{
      status: string;
      qty: string;
      client_order_id: string;
      filled_avg_price: string;
    }>();
    expect(order).toMatchObject({ status: "filled", qty: String(n) });
    expect(order.client_order_id).not.toMatch(/^sd-/);
    const debit = Number(order.filled_avg_price);
    const report = await runMonitorNow();
    expect(report).toMatchObject({ closedAtAlpaca: 1, reconciliation: [] });

    const { fees } = parseConfig(env, "sandbox");
    const closed = await stored(position.id);
    expect(closed).toMatchObject({
      status: "closed",
      closeReason: "by hand at Alpaca",
      closePrice: debit,
      realizedPl: closedSpreadPl(position.entryCredit, debit, n, fees),
      attention: null,
      closeClientOrderId: null,
    });
    const notices = await outsideNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`Position ${position.id} (SPY `);
    expect(notices[0]).toContain(
      `${n} of ${n} contracts closed at Alpaca, outside the bot, at $${debit.toFixed(2)} a share`,
    );
    // The alert's Close button is gone: the card says it closed, and why.
    const card = textOf(await messageById(alert.id));
    expect(card).toContain("Closed:");
    expect(card).toContain("Reason: By hand at Alpaca");
    expect(JSON.stringify((await command("portfolio")).response)).not.toContain(`position ${position.id}`);

    // Booked once: the next run finds nothing to book and nothing to report.
    await advanceClock(5);
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 0, reconciliation: [] });
    expect(await outsideNotices()).toHaveLength(1);
    expect((await stored(position.id)).realizedPl).toBe(closed.realizedPl);
  });

  it("closed leg by leg (the short bought back, then the long sold, in two orders): booked once both are done", async () => {
    const position = await openPosition();
    const n = position.contracts;
    const quotes = await alpaca.simBroker().optionQuotes([position.shortSymbol, position.longSymbol]);
    const leg = (symbol: string, side: "buy" | "sell", price: number) =>
      alpaca.alpacaOrder({
        symbol,
        qty: String(n),
        side,
        type: "limit",
        time_in_force: "day",
        limit_price: price.toFixed(2),
      });
    const shortAsk = Math.ceil((quotes.get(position.shortSymbol)?.ask ?? 0) * 100) / 100;
    const longBid = Math.floor((quotes.get(position.longSymbol)?.bid ?? 0) * 100) / 100;

    const bought = await leg(position.shortSymbol, "buy", shortAsk);
    expect(bought).toMatchObject({ status: "filled", order_class: "simple", symbol: position.shortSymbol });
    // Half a spread is not a close: nothing is booked, and reconcile says the books disagree.
    const halfway = await runMonitorNow();
    expect(halfway.closedAtAlpaca).toBe(0);
    expect(halfway.reconciliation).toEqual([expect.stringContaining(`Position ${position.id} `)]);
    expect((await stored(position.id)).status).toBe("open");

    await advanceClock(5);
    const sold = await leg(position.longSymbol, "sell", longBid);
    expect(sold).toMatchObject({ status: "filled", side: "sell" });
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 1, reconciliation: [] });
    const debit = Number(bought.filled_avg_price) - Number(sold.filled_avg_price);
    const { fees } = parseConfig(env, "sandbox");
    const closed = await stored(position.id);
    expect(closed).toMatchObject({ status: "closed", closeReason: "by hand at Alpaca", attention: null });
    expect(closed.closePrice).toBeCloseTo(debit, 4);
    expect(closed.realizedPl).toBeCloseTo(closedSpreadPl(position.entryCredit, debit, n, fees), 2);
    const [notice] = await outsideNotices();
    expect(notice).toContain(`Alpaca orders ${sold.id}, ${bought.id}`);
  });

  it("the sandbox's close_by_hand knob says what it cannot close", async () => {
    const bad = async (body: unknown) => {
      const answer = await postJson("/sandbox/api/market", body);
      expect(answer.status).toBe(400);
      return (await answer.json<{ message: string }>()).message;
    };
    expect(await bad({ close_by_hand: "SPY270115P00580000" })).toContain("the account is not short SPY270115P00580000");
    expect(await bad({ close_by_hand: "SPY" })).toContain("must be an OCC option symbol");
    expect(await bad({ close_by_hand: "SPY270115P00580000", symbol: "SPY", move_pct: 1 })).toContain(
      "close_by_hand goes alone",
    );
  });

  it("in part: books the part, and the bot's own Close then closes the rest at the average of both", async () => {
    const position = await openPosition();
    const n = position.contracts;
    expect(n).toBeGreaterThanOrEqual(2);
    const outsideDebit = await closeAtAlpaca(position, 1, "alpaca-app-1");
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 1, reconciliation: [] });
    const part = await stored(position.id);
    expect(part).toMatchObject({ status: "open", contracts: n - 1, closePrice: outsideDebit, closeBookedQty: 0 });
    const [notice] = await outsideNotices();
    expect(notice).toContain(`1 of ${n} contracts closed at Alpaca, outside the bot`);
    expect(notice).toContain(`${n - 1} still open, watched as before`);
    // The part's realized P/L is the day's, though the position is still open (the daily loss counts it).
    const status = await command("status");
    const today = status.response.data?.embeds?.[0]?.fields?.find((f) => f.name === "Today")?.value;
    expect(part.realizedPl).not.toBe(0);
    expect(today).toContain(`realized ${signedMoney(part.realizedPl ?? Number.NaN)} · open positions `);

    // The rest is the bot's to close: /close posts its card, a tap sends one order for what is left.
    await advanceClock(5);
    await command("close", { position: position.id });
    const card = (await discordSim.messages()).find((m) => textOf(m).includes("Close requested"));
    if (!card) throw new Error("no card posted");
    await click(card.id, `v1:close:${position.id}`);
    await runMonitorNow();
    const closes = (await alpaca.listOrders()).filter((o) => String(o.client_order_id).startsWith("sd-close-"));
    expect(closes.map((o) => o.qty)).toEqual([String(n - 1)]);
    const closed = await stored(position.id);
    const botDebit = Number(closes[0]?.filled_avg_price);
    const { fees } = parseConfig(env, "sandbox");
    expect(closed).toMatchObject({ status: "closed", openedContracts: n, closeReason: "manual" });
    expect(closed.closePrice).toBeCloseTo((outsideDebit + botDebit * (n - 1)) / n, 4);
    expect(closed.realizedPl).toBeCloseTo(
      closedSpreadPl(position.entryCredit, outsideDebit, 1, fees) +
        closedSpreadPl(position.entryCredit, botDebit, n - 1, fees),
      2,
    );
  });
});
