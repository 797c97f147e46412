// An early assignment: Alpaca assigns a spread's short leg before its expiration, and the account
// holds shares in its place. The monitor names it once, with what the account holds and what to
// do; the position keeps no exit alerts and no Close the bot could not send; reconcile agrees
// with Alpaca; and the expiration books the position with the shares.
import { beforeEach, describe, expect, it } from "vitest";
import { nextSession, utcInstant } from "../../../src/domain/market-time";
import { closeInstant } from "../../../src/sandbox/alpaca/trading-days";
import * as alpaca from "../../support/alpaca-sim";
import {
  advanceClock,
  call,
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
  storedPosition,
  textOf,
} from "../../support/sandbox-driver";

beforeEach(resetWorld);

describe("an early assignment", () => {
  it("is named once with what the account holds, refuses the Close, and is booked with its shares at expiry", async () => {
    const position = await openPosition();
    // An exit alert first, so that a Close button is on the channel when the assignment comes.
    const { alert, close } = await profitTargetAlert(position);

    await alpaca.assignEarly(position.shortSymbol);
    const n = position.contracts;
    const shares = position.strategy === "bull_put" ? 100 * n : -100 * n;
    const kind = position.strategy === "bull_put" ? "put" : "call";
    const before = (await channelTexts()).length;
    expect(await runMonitorNow()).toMatchObject({ assignedEarly: 1, errors: [] });

    const posted = (await channelTexts()).slice(before);
    const notice = posted.find((t) => t.includes("Early assignment:"));
    expect(notice).toContain(`SPY ${position.shortStrike}/${position.longStrike} (position ${position.id})`);
    expect(notice).toContain(`Alpaca assigned ${n} short SPY ${position.shortStrike} ${kind}`);
    expect(notice).toContain(
      position.strategy === "bull_put"
        ? `the account bought ${100 * n} SPY shares at $${position.shortStrike.toFixed(2)}`
        : `the account sold ${100 * n} SPY shares short at $${position.shortStrike.toFixed(2)}`,
    );
    expect(notice).toContain(`The long ${position.longStrike} ${kind} is still held`);
    expect(notice).toContain("Leaving it is safe: the bot books the position at its expiration, with the shares");
    expect(notice).toContain(`and sell the long ${kind} at Alpaca`);
    // Not a stranger's trade: reconcile expects the shares and the missing short leg.
    expect(posted.some((t) => t.includes("Positions disagree"))).toBe(false);
    const after = await storedPosition(position.id);
    expect(after).toMatchObject({ status: "open", attention: expect.stringContaining("Assigned early on") });
    // /portfolio says it on the position, for a trader who missed the notice.
    const portfolio = await command("portfolio");
    expect(JSON.stringify(portfolio.response)).toContain(`❗ ${after?.attention?.slice(0, 60)}`);

    // Told once; no exit alert or expiry warning for a spread with a leg gone.
    await advanceClock(5);
    const quiet = (await channelTexts()).length;
    expect(await runMonitorNow()).toMatchObject({ assignedEarly: 0, exitAlerts: 0, reconciliation: [] });
    expect((await channelTexts()).slice(quiet)).toEqual([]);

    // /close posts no card for it, and says why.
    const asked = await command("close", { position: position.id });
    expect(asked.response.data?.content).toMatch(/^Nothing was posted\. Assigned early on /);
    // The alert's Close sends nothing and says why.
    const tapped = await click(alert.id, close.custom_id);
    expect(JSON.stringify(tapped.response)).toContain("Nothing was sent. Assigned early on");
    expect((await alpaca.listOrders()).filter((o) => String(o.client_order_id).includes("close"))).toEqual([]);
    expect((await storedPosition(position.id))?.status).toBe("open");

    // At expiry the long leg expires worthless (the underlying beyond it): the position is booked
    // as assigned, with the shares the early assignment delivered on the bot's books.
    await moveClockTo(closeInstant(position.expiration) - 60_000);
    const beyondLong =
      position.strategy === "bull_put"
        ? position.longStrike + 2 * (position.shortStrike - position.longStrike)
        : position.longStrike - 2 * (position.longStrike - position.shortStrike);
    await alpaca.moveMarket({ symbol: "SPY", price: beyondLong });
    await moveClockTo(utcInstant(nextSession(position.expiration), "10:00"));
    const settled = await runMonitorNow();
    expect(settled.settledAtExpiry).toEqual([expect.objectContaining({ outcome: "assigned", shares })]);
    expect(await storedPosition(position.id)).toMatchObject({
      status: "closed",
      closeReason: "assigned",
      shares,
    });
    const book = await (await call("/sandbox/api/positions")).json<{ broker: { symbol: string; qty: string }[] }>();
    expect(book.broker).toEqual([expect.objectContaining({ symbol: "SPY", qty: String(shares) })]);
    expect((await channelTexts()).some((t) => t.includes("Positions disagree"))).toBe(false);
  });

  it("on its expiration day too: named, and no expiry warning or Close for the spread", async () => {
    const position = await openPosition();
    // The morning of the expiration: the short leg was assigned overnight, the long is still held.
    await moveClockTo(utcInstant(position.expiration, "10:00"));
    await alpaca.assignEarly(position.shortSymbol);
    expect(await runMonitorNow()).toMatchObject({ assignedEarly: 1, errors: [] });
    // In the expiry-warning window the spread gets no warning (it would offer a Close).
    await moveClockTo(closeInstant(position.expiration) - 30 * 60_000);
    expect(await runMonitorNow()).toMatchObject({ expiryWarnings: 0, exitAlerts: 0 });
    expect((await channelTexts()).filter((t) => t.includes("Early assignment:"))).toHaveLength(1);
  });

  it("a Close tapped before the monitor has seen the assignment sends nothing: Alpaca no longer holds the short leg", async () => {
    const position = await openPosition();
    const { alert, close } = await profitTargetAlert(position);
    await alpaca.assignEarly(position.shortSymbol);
    await click(alert.id, close.custom_id);
    expect((await alpaca.listOrders()).filter((o) => String(o.client_order_id).includes("close"))).toEqual([]);
    expect((await storedPosition(position.id))?.status).toBe("open");
    expect(textOf(await messageById(alert.id))).toContain(
      `Alpaca holds 0 of the ${position.contracts} short ${position.shortSymbol} this close would buy back (closed at Alpaca, or assigned early?): nothing was sent.`,
    );
  });

  it("in parts: each part named once with the total so far, and the expiration books the assigned shares beside the rest expired", async () => {
    const position = await openPosition();
    const n = position.contracts;
    expect(n).toBeGreaterThanOrEqual(3);
    const kind = position.strategy === "bull_put" ? "put" : "call";
    await alpaca.assignEarly(position.shortSymbol, 1);
    expect(await runMonitorNow()).toMatchObject({ assignedEarly: 1, reconciliation: [] });
    await advanceClock(5);
    await alpaca.assignEarly(position.shortSymbol, 1);
    expect(await runMonitorNow()).toMatchObject({ assignedEarly: 1, reconciliation: [] });
    const notices = (await channelTexts()).filter((t) => t.includes("Early assignment:"));
    expect(notices).toHaveLength(2);
    expect(notices[0]).toContain(`Alpaca assigned 1 of ${n} short SPY ${position.shortStrike} ${kind}s`);
    expect(notices[1]).toContain(`Alpaca assigned 2 of ${n} short SPY ${position.shortStrike} ${kind}s`);

    // The rest expires out of the money, the long too: 2 contracts' shares stay, nothing else.
    await moveClockTo(closeInstant(position.expiration) - 60_000);
    const away = position.strategy === "bull_put" ? position.shortStrike + 10 : position.shortStrike - 10;
    await alpaca.moveMarket({ symbol: "SPY", price: away });
    await moveClockTo(utcInstant(nextSession(position.expiration), "10:00"));
    const shares = (position.strategy === "bull_put" ? 100 : -100) * 2;
    const settled = await runMonitorNow();
    expect(settled.settledAtExpiry).toEqual([expect.objectContaining({ outcome: "assigned", shares })]);
    const closed = await storedPosition(position.id);
    expect(closed).toMatchObject({ status: "closed", shares });
    // The assigned part's P/L with its shares at their mark (a put's shares bought at the strike
    // gain what the price rose past it), beside the rest's whole credit, less the entry's fees.
    const mark = closed?.sharesMark ?? Number.NaN;
    const perShare = position.strategy === "bull_put" ? position.shortStrike - mark : mark - position.shortStrike;
    const assignedPart = (position.entryCredit - perShare) * 100 * 2;
    const expiredPart = position.entryCredit * 100 * (n - 2);
    expect(closed?.realizedPl).toBeCloseTo(assignedPart + expiredPart - 0.06 * 2 * n, 0);
    const book = await (await call("/sandbox/api/positions")).json<{ broker: { symbol: string; qty: string }[] }>();
    expect(book.broker).toEqual([expect.objectContaining({ symbol: "SPY", qty: String(shares) })]);
  });

  it("is refused by the sandbox for a contract the account is not short, with a reason", async () => {
    const notHeld = await postJson("/sandbox/api/market", { assign: "SPY270219P00580000" });
    expect(notHeld.status).toBe(400);
    expect(await notHeld.text()).toContain("the account holds no short SPY270219P00580000 to assign");
    const garbled = await postJson("/sandbox/api/market", { assign: "SPY 580 put" });
    expect(garbled.status).toBe(400);
    expect(await garbled.text()).toContain("must be an OCC option symbol");
    const mixed = await postJson("/sandbox/api/market", { assign: "SPY270219P00580000", open: false });
    expect(mixed.status).toBe(400);
    expect(await mixed.text()).toContain("assign goes alone");
  });
});
