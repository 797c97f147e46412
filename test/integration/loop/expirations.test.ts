// Expirations and assignments, booked from what Alpaca reports (account activities), on the one
// simulated clock: the position closes with its P/L, the channel says what happened, and the
// broker's book and the bot's agree again.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { shareTradeFees } from "../../../src/domain/fees";
import { nextSession, utcInstant } from "../../../src/domain/market-time";
import { closeInstant } from "../../../src/sandbox/alpaca/trading-days";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import { discordSim } from "../../support/discord-sim";
import {
  advanceClock,
  buttonsOf,
  call,
  channelTexts,
  click,
  messageById,
  moveClockTo,
  postJson,
  resetWorld,
  runMonitorNow,
  scanAndPick,
  storedRecommendation,
  textOf,
} from "../../support/sandbox-driver";

async function books() {
  return (await call("/sandbox/api/positions")).json<{
    broker: { symbol: string; qty: string; asset_class: string }[];
    bot: { contracts: number }[];
  }>();
}

/** An open position, the clock one minute before its expiry close, the underlying at `price`. */
async function toExpiryClose(price: (short: number, long: number) => number) {
  const { message, approve, recId } = await scanAndPick("SPY");
  await click(message.id, approve.custom_id);
  const rec = await storedRecommendation(recId);
  if (rec?.status !== "filled") throw new Error(`entry did not fill: ${rec?.status}`);
  const closeAt = closeInstant(rec.expiration);
  await moveClockTo(closeAt - 60_000);
  await alpaca.moveMarket({ symbol: "SPY", price: price(rec.shortStrike, rec.longStrike) });
  return { rec, closeAt };
}

/** The same, then the next session's morning: Alpaca has booked the expiration. */
async function holdToExpiry(price: (short: number, long: number) => number) {
  const { rec } = await toExpiryClose(price);
  await moveClockTo(utcInstant(nextSession(rec.expiration), "10:00"));
  return rec;
}

beforeEach(resetWorld);

describe("expirations", () => {
  it("books a spread that expired worthless: the whole credit less the entry's fees realized, both books empty, the channel told", async () => {
    const rec = await holdToExpiry((short) => (short < 600 ? short * 1.2 : short * 0.8));
    const summary = await runMonitorNow();
    expect(summary.settledAtExpiry).toEqual([expect.objectContaining({ outcome: "expired", shares: 0 })]);
    const [position] = await database(env.DB).query.positions.findMany();
    // The credit less the entry's fees ($0.06 a contract a leg); expiring costs nothing.
    const n = position?.contracts ?? 0;
    const credit = Math.round(((position?.entryCredit ?? 0) * 100 * n - 0.06 * 2 * n) * 100) / 100;
    expect(position).toMatchObject({ status: "closed", closeReason: "expired worthless", realizedPl: credit });
    expect(await books()).toEqual({ broker: [], bot: [] });
    const notice = (await discordSim.messages()).find((m) => textOf(m).includes("Expiration:"));
    expect(notice && textOf(notice)).toContain("expired worthless");
    expect(notice && textOf(notice)).toContain(`net of fees ($${(0.06 * 2 * n).toFixed(2)} on the entry`);
    expect(notice && textOf(notice)).toContain(`${rec.shortStrike}/${rec.longStrike}`);

    // Booked once: the next run finds nothing new.
    await advanceClock(5);
    expect((await runMonitorNow()).settledAtExpiry).toEqual([]);
  });

  it("books an assignment of the short leg: closed with its P/L, the shares Alpaca now holds named and on the bot's books", async () => {
    const rec = await holdToExpiry((short, long) => (short + long) / 2);
    const summary = await runMonitorNow();
    const n = rec.contracts;
    const shares = rec.strategy === "bull_put" ? 100 * n : -100 * n;
    expect(summary.settledAtExpiry).toEqual([expect.objectContaining({ outcome: "assigned", shares })]);
    const [position] = await database(env.DB).query.positions.findMany();
    expect(position).toMatchObject({ status: "closed", closeReason: "assigned" });
    const { broker, bot } = await books();
    expect(bot).toEqual([]);
    expect(broker).toEqual([expect.objectContaining({ symbol: "SPY", qty: String(shares), asset_class: "us_equity" })]);
    expect(position).toMatchObject({ shares, sharesMark: expect.any(Number) });
    const texts = await channelTexts();
    expect(texts.find((t) => t.includes("Shares held:"))).toContain(
      `Assigned: Alpaca now holds ${Math.abs(shares)} SPY shares`,
    );
    // The shares are on the bot's books: reconcile agrees with Alpaca and says nothing.
    expect(texts.some((t) => t.includes("Positions disagree"))).toBe(false);
  });

  it("on the expiry day's end of day, names a short leg that expired in the money and the shares nothing caps", async () => {
    // Between the strikes: the short leg in the money, the long out of it.
    const { rec, closeAt } = await toExpiryClose((short, long) => (short + long) / 2);
    await moveClockTo(closeAt + 15 * 60_000);
    const run = await (await postJson("/sandbox/api/jobs/run", { job: "eod" })).json<{ outcome: string }>();
    expect(run.outcome).toBe("ran");
    const summary = (await channelTexts()).find((t) => t.includes("Needs attention"));
    const kind = rec.strategy === "bull_put" ? "put" : "call";
    const shares = 100 * rec.contracts;
    // The price is the last one Alpaca gives after the close, a little off the close's.
    expect(summary).toMatch(
      new RegExp(
        `expired today with the short ${kind} ${rec.shortStrike} in the money \\(SPY \\$\\d+\\.\\d\\d\\): Alpaca assigns it overnight`,
      ),
    );
    expect(summary).toContain(
      `${shares} SPY shares ${rec.strategy === "bull_put" ? "bought" : "sold short"} at $${rec.shortStrike}`,
    );
    expect(summary).toContain("nothing offsets the shares, so the loss is no longer capped");
  });

  it("flattens assigned shares with one order from one tap: the P/L the bot booked is the account's equity change", async () => {
    const rec = await holdToExpiry((short, long) => (short + long) / 2);
    await runMonitorNow();
    const notice = (await discordSim.messages()).find((m) => textOf(m).includes("Shares held:"));
    const flatten = notice && buttonsOf(notice)[0];
    if (!notice || !flatten) throw new Error("no Flatten button on the shares notice");
    const n = 100 * rec.contracts;
    expect(flatten.label).toBe(rec.strategy === "bull_put" ? `Sell ${n} SPY` : `Buy back ${n} SPY`);

    // Two taps at once (two traders): one order.
    const [a, b] = await Promise.all([click(notice.id, flatten.custom_id), click(notice.id, flatten.custom_id)]);
    expect([a.response.type, b.response.type].sort()).toEqual([4, 7]);
    const stockOrders = (await alpaca.listOrders()).filter((o) => String(o.client_order_id).startsWith("sd-flat-"));
    expect(stockOrders).toEqual([
      expect.objectContaining({ symbol: "SPY", qty: String(n), type: "market", status: "filled" }),
    ]);
    const [position] = await database(env.DB).query.positions.findMany();
    expect(position).toMatchObject({ shares: 0, flattenClientOrderId: null });
    expect((await books()).broker).toEqual([]);
    expect(textOf(await messageById(notice.id))).toContain("Shares flattened");
    expect(buttonsOf(await messageById(notice.id))).toEqual([]);

    // Nothing held: equity moved by exactly what the bot booked, plus the fees it booked and the
    // simulator does not charge (the entry's $0.06 a contract a leg, the sale's SEC/TAF/CAT).
    const account = await (await alpaca.alpacaGet("https://paper-api.alpaca.markets/v2/account")).json<{
      equity: string;
    }>();
    const [sale] = stockOrders;
    const entryFees = 0.06 * 2 * rec.contracts;
    const saleFees = shareTradeFees({
      side: rec.strategy === "bull_put" ? "sell" : "buy",
      shares: n,
      price: Number(sale?.filled_avg_price),
    });
    expect(Number(account.equity) - 100_000).toBeCloseTo(
      (position?.realizedPl ?? Number.NaN) + entryFees + saleFees,
      2,
    );

    // A later tap finds nothing to flatten.
    const again = await click(notice.id, flatten.custom_id);
    expect(again.response.data?.content).toMatch(/no shares left/);
  });
});
