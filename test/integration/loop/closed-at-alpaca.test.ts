// A spread closed at Alpaca by a person (its web page or app), outside the bot: the monitor finds
// the legs gone and the order that closed them, books the close at that order's price (in full
// or in part), says so once, and the books agree with Alpaca again; what is left stays the bot's
// to close. Closed leg by leg, it is booked once both legs are; legs gone without orders that
// explain them are left for reconcile to report (test/unit/domain/closed-outside.test.ts).
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { type PositionRow, positions, recommendations } from "../../../drizzle/schema";
import { parseConfig } from "../../../src/config";
import { price, signedMoney } from "../../../src/discord/messages/format";
import { closedSpreadPl } from "../../../src/domain/fees";
import { nextSession, utcInstant } from "../../../src/domain/market-time";
import { closeInstant } from "../../../src/sandbox/alpaca/trading-days";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import { aPosition, aRecommendation } from "../../support/builders";
import { discordSim } from "../../support/discord-sim";
import {
  advanceClock,
  channelTexts,
  click,
  command,
  messageById,
  moveClockTo,
  openPosition,
  postJson,
  profitTargetAlert,
  resetWorld,
  runMonitorNow,
  statusFields,
  storedPosition,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);

/** The legs and terms of a position, for a twin on the same contracts. */
const pick = (p: PositionRow) => ({
  symbol: p.symbol,
  strategy: p.strategy,
  expiration: p.expiration,
  shortSymbol: p.shortSymbol,
  longSymbol: p.longSymbol,
  shortStrike: p.shortStrike,
  longStrike: p.longStrike,
  entryCredit: p.entryCredit,
  openedAt: p.openedAt,
});

const stored = async (id: number) => {
  const row = await storedPosition(id);
  if (!row) throw new Error(`position ${id} is gone`);
  return row;
};

/** The channel's notices of closes booked from Alpaca (not the card's "Reason: At Alpaca, not by the bot"). */
const outsideNotices = async () => (await channelTexts()).filter((t) => t.includes("closed at Alpaca, not by the bot"));

const { fees } = parseConfig(env, "sandbox");

beforeEach(resetWorld);

describe("a close made at Alpaca, outside the bot", () => {
  it("is booked at its order's price, said once, and the card and /portfolio follow", async () => {
    const position = await openPosition();
    // An exit alert first, so that a Close button is on the channel when the person closes at Alpaca.
    const { alert } = await profitTargetAlert(position);

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

    const closed = await stored(position.id);
    expect(closed).toMatchObject({
      status: "closed",
      closeReason: "at Alpaca, not by the bot",
      closePrice: debit,
      realizedPl: closedSpreadPl(position.entryCredit, debit, n, fees),
      attention: null,
      closeClientOrderId: null,
    });
    const notices = await outsideNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`Position ${position.id} (SPY `);
    expect(notices[0]).toContain(
      `${n} of ${n} contracts closed at Alpaca, not by the bot, at $${debit.toFixed(2)} a share`,
    );
    // The alert's Close button is gone: the card says it closed, and why.
    const card = textOf(await messageById(alert.id));
    expect(card).toContain("Closed:");
    expect(card).toContain("Reason: At Alpaca, not by the bot");
    expect(JSON.stringify((await command("portfolio")).response)).not.toContain(`position ${position.id}`);

    // Booked once: the next run finds nothing to book and nothing to report.
    await advanceClock(5);
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 0, reconciliation: [] });
    expect(await outsideNotices()).toHaveLength(1);
    expect((await stored(position.id)).realizedPl).toBe(closed.realizedPl);
  });

  it("a Close tapped after the spread was closed at Alpaca sends nothing, and the monitor books the close made there", async () => {
    const position = await openPosition();
    const { alert, close } = await profitTargetAlert(position);
    // The person closes at Alpaca's page, then taps the Close still on the channel.
    await alpaca.closeByHand(position.shortSymbol);
    await click(alert.id, close.custom_id);
    expect(textOf(await messageById(alert.id))).toContain(
      `Alpaca holds 0 of the ${position.contracts} short ${position.shortSymbol} this close would buy back (closed at Alpaca, or assigned early?): nothing was sent.`,
    );
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 1, reconciliation: [] });
    expect((await alpaca.listOrders()).some((o) => String(o.client_order_id).startsWith("sd-close-"))).toBe(false);
    expect(await stored(position.id)).toMatchObject({ status: "closed", closeReason: "at Alpaca, not by the bot" });
  });

  it("closed leg by leg (the short bought back, then the long sold, in two orders): booked once both are done", async () => {
    const position = await openPosition();
    const n = position.contracts;
    // The sandbox's knob: one leg closed alone at Alpaca's page, in a simple order at the market's side.
    const leg = async (symbol: string) => {
      const answer = await postJson("/sandbox/api/market", { close_leg_by_hand: symbol });
      expect(answer.status).toBe(200);
      return answer.json<Record<string, string>>();
    };

    const bought = await leg(position.shortSymbol);
    expect(bought).toMatchObject({
      status: "filled",
      order_class: "simple",
      symbol: position.shortSymbol,
      side: "buy",
      qty: String(n),
    });
    // Half a spread is not a close: nothing is booked, and reconcile says the books disagree.
    const halfway = await runMonitorNow();
    expect(halfway.closedAtAlpaca).toBe(0);
    expect(halfway.reconciliation).toEqual([expect.stringContaining(`Position ${position.id} `)]);
    expect((await stored(position.id)).status).toBe("open");

    await advanceClock(5);
    const sold = await leg(position.longSymbol);
    expect(sold).toMatchObject({ status: "filled", side: "sell", symbol: position.longSymbol });
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 1, reconciliation: [] });
    const debit = Number(bought.filled_avg_price) - Number(sold.filled_avg_price);
    const closed = await stored(position.id);
    expect(closed).toMatchObject({ status: "closed", closeReason: "at Alpaca, not by the bot", attention: null });
    expect(closed.closePrice).toBeCloseTo(debit, 4);
    expect(closed.realizedPl).toBeCloseTo(closedSpreadPl(position.entryCredit, debit, n, fees), 2);
    const [notice] = await outsideNotices();
    expect(notice).toContain(`Alpaca orders ${sold.id}, ${bought.id}`);
  });

  it("books each order once: a second close at Alpaca, filled in part and still working, is not the first booked again", async () => {
    const position = await openPosition();
    const n = position.contracts;
    expect(n).toBeGreaterThanOrEqual(3);
    const first = await alpaca.closeByHand(position.shortSymbol, 1);
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 1 });
    // The market moves; a second close of 2 fills 1 and works on for the other.
    await alpaca.moveMarket({ symbol: "SPY", move_pct: position.strategy === "bull_put" ? -2 : 2 });
    await advanceClock(5);
    await alpaca.setFaults({ partial_fill_next_order: 0.5 });
    const second = await alpaca.closeByHand(position.shortSymbol, 2);
    // One more spread is gone, and the only finished order is the first, already booked: nothing.
    expect((await runMonitorNow()).closedAtAlpaca).toBe(0);
    expect((await stored(position.id)).contracts).toBe(n - 1);
    // The person cancels the rest: the second order is done, and booked at its own price.
    await alpaca.simBroker().cancelOrder(second.id);
    await advanceClock(5);
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 1, reconciliation: [] });
    const secondPrice = Number((await alpaca.listOrders()).find((o) => o.id === second.id)?.filled_avg_price);
    expect(secondPrice).not.toBe(Number(first.filled_avg_price));
    const after = await stored(position.id);
    expect(after).toMatchObject({ contracts: n - 2, outsideOrderIds: [first.id, second.id] });
    expect(after.closePrice).toBeCloseTo((Number(first.filled_avg_price) + secondPrice) / 2, 4);
    const notices = await outsideNotices();
    expect(notices).toHaveLength(2);
    expect(notices[1]).toContain(`1 of ${n - 1} contracts closed at Alpaca, not by the bot`);
    expect(notices[1]).toContain(`(Alpaca order ${second.id})`);
  });

  it("a close at Alpaca in the last minutes of the expiration day is booked by the next session's first run", async () => {
    const position = await openPosition();
    const close = closeInstant(position.expiration);
    await moveClockTo(close - 3 * 60_000);
    const order = await alpaca.closeByHand(position.shortSymbol);
    // No run between the close and the expiration; the next is the next session's.
    const next = utcInstant(nextSession(position.expiration), "09:35");
    await moveClockTo(next);
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 1, reconciliation: [], settledAtExpiry: [] });
    const closed = await stored(position.id);
    expect(closed).toMatchObject({ status: "closed", closeReason: "at Alpaca, not by the bot" });
    expect(closed.closePrice).toBeCloseTo(Number(order.filled_avg_price), 4);
    // Found after its day's end of day, it is the day's it was found on: that day's summary counts it.
    expect(closed.closedAt).toBeGreaterThanOrEqual(utcInstant(nextSession(position.expiration), "00:00"));
  });

  it("books nothing for two positions on the same legs (which one an order closed cannot be told)", async () => {
    const position = await openPosition();
    // A state the scan never makes (one idea a symbol): a second position on the same contracts.
    const twin = aRecommendation({
      symbol: "SPY",
      status: "filled",
      shortSymbol: position.shortSymbol,
      longSymbol: position.longSymbol,
    });
    await db.insert(recommendations).values(twin).run();
    await db
      .insert(positions)
      .values(aPosition(twin.id, { ...pick(position), contracts: 1, openedContracts: 1, status: "open" }))
      .run();
    await alpaca.closeByHand(position.shortSymbol, 1);
    const report = await runMonitorNow();
    expect(report.closedAtAlpaca).toBe(0);
    expect(report.reconciliation).not.toEqual([]);
    expect((await stored(position.id)).contracts).toBe(position.contracts);
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
    expect(await bad({ close_leg_by_hand: "SPY270115P00580000" })).toContain("the account holds no SPY270115P00580000");
    expect(await bad({ contracts: 1 })).toContain("contracts goes with assign, close_by_hand, close_leg_by_hand");
  });

  it("in part: books the part, and the bot's own Close then closes the rest at the average of both", async () => {
    const position = await openPosition();
    const n = position.contracts;
    expect(n).toBeGreaterThanOrEqual(2);
    const outsideDebit = Number((await alpaca.closeByHand(position.shortSymbol, 1)).filled_avg_price);
    expect(await runMonitorNow()).toMatchObject({ closedAtAlpaca: 1, reconciliation: [] });
    const part = await stored(position.id);
    expect(part).toMatchObject({ status: "open", contracts: n - 1, closePrice: outsideDebit, closeBookedQty: 0 });
    const [notice] = await outsideNotices();
    expect(notice).toContain(`1 of ${n} contracts closed at Alpaca, not by the bot`);
    expect(notice).toContain(`${n - 1} still open, watched as before`);
    // The part's realized P/L is the day's, though the position is still open (the daily loss counts it).
    const today = (await statusFields()).Today;
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
    expect(closed).toMatchObject({ status: "closed", openedContracts: n, closeReason: "manual" });
    expect(closed.closePrice).toBeCloseTo((outsideDebit + botDebit * (n - 1)) / n, 4);
    expect(textOf(await messageById(card.id))).toContain(`Average close: ${price(closed.closePrice ?? Number.NaN)}/sh`);
    expect(closed.realizedPl).toBeCloseTo(
      closedSpreadPl(position.entryCredit, outsideDebit, 1, fees) +
        closedSpreadPl(position.entryCredit, botDebit, n - 1, fees),
      2,
    );
  });
});
