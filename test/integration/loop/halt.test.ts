// /halt stops new risk at once: the breaker first, then the entry orders already working at
// Alpaca are canceled (never a close). /resume starts the losing streak again from zero.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { positions, recommendations } from "../../../drizzle/schema";
import { breakerStore } from "../../../src/store/breakers";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import { aPosition, aRecommendation } from "../../support/builders";
import { discordSim } from "../../support/discord-sim";
import {
  ALLOWED_USER,
  buttonsOf,
  click,
  command,
  fire,
  messageById,
  openingOrdersFor,
  openPosition,
  profitTargetAlert,
  resetWorld,
  SCAN_SLOT,
  sandboxNow,
  scanAndPick,
  storedRecommendation,
  textOf,
} from "../../support/sandbox-driver";

const MINUTE = 60_000;
const MONITOR_AT = SCAN_SLOT + 30 * MINUTE; // 10:30 New York
const db = database(env.DB);
const breakers = () => breakerStore(db, env.STATE);

/** Channel messages whose text matches, oldest first. */
async function messagesMatching(pattern: RegExp) {
  return (await discordSim.messages()).filter((m) => pattern.test(textOf(m)));
}

/** The text of the one channel message that matches. */
async function theMessage(pattern: RegExp): Promise<string> {
  const [only, ...more] = await messagesMatching(pattern);
  if (!only || more.length > 0)
    throw new Error(`${only ? more.length + 1 : 0} messages match ${pattern}, expected one`);
  return textOf(only);
}

/** An open SPY position whose Close order rests at Alpaca (status closing), and that order. */
async function positionWithRestingClose() {
  const { alert, close } = await profitTargetAlert(await openPosition("SPY"));
  await alpaca.setFaults({ no_fill_next_order: true });
  await click(alert.id, close.custom_id);
  const [position] = await db.select().from(positions).all();
  const closeOrder = (await alpaca.listOrders()).find((o) => String(o.client_order_id).startsWith("sd-close-"));
  if (position?.status !== "closing" || !closeOrder) throw new Error("the close is not resting at Alpaca");
  return { position, closeOrder };
}

/** Approves a symbol's recommendation with the entry order left resting at Alpaca. */
async function restingEntry(symbol: string) {
  const picked = await scanAndPick(symbol);
  await alpaca.setFaults({ no_fill_next_order: true });
  await click(picked.message.id, picked.approve.custom_id);
  expect((await storedRecommendation(picked.recId))?.status).toBe("submitted");
  return picked;
}

/** A closed position with this P/L, closed at `closedAt` (its recommendation filled). */
async function closedTrade(realizedPl: number, closedAt: number) {
  const rec = aRecommendation({ status: "filled", createdAt: closedAt - 3_600_000, updatedAt: closedAt });
  await db.insert(recommendations).values(rec).run();
  await db
    .insert(positions)
    .values(
      aPosition(rec.id, {
        status: "closed",
        openedAt: closedAt - 3_600_000,
        closedAt,
        updatedAt: closedAt,
        realizedPl,
        closePrice: 1.7,
      }),
    )
    .run();
}

beforeEach(resetWorld);

describe("/halt", () => {
  it("cancels an entry resting at Alpaca and says so on its card, but leaves an open position and its working close alone", async () => {
    const { position, closeOrder } = await positionWithRestingClose();
    const entry = await restingEntry("QQQ");
    const before = new Map((await alpaca.listOrders()).map((o) => [o.id, o.status]));

    const halted = await command("halt", { reason: "bad morning" });

    expect(halted.status).toBe(200);
    expect(halted.response.type).toBe(4);
    expect(halted.response.data?.embeds?.[0]?.title).toMatch(/Trading halted/);
    expect((await breakers().read()).halted).toBe(true);

    // The entry: canceled at Alpaca, the recommendation failed with the reason, its card says so.
    expect((await openingOrdersFor(entry.recId)).map((o) => o.status)).toEqual(["canceled"]);
    const rec = await storedRecommendation(entry.recId);
    expect(rec?.status).toBe("failed");
    expect(rec?.statusReason).toMatch(new RegExp(`Canceled by /halt \\(by <@${ALLOWED_USER}>\\): bad morning`));
    expect(rec?.statusReason).toMatch(/Nothing was opened/);
    const card = await messageById(entry.message.id);
    expect(textOf(card)).toMatch(/Canceled by \/halt/);
    expect(buttonsOf(card)).toEqual([]);

    // Only that order changed at Alpaca: the close still works, the position is still closing.
    const after = await alpaca.listOrders();
    const changed = after.filter((o) => before.get(o.id) !== o.status).map((o) => o.client_order_id);
    expect(changed).toEqual([`sd-open-${entry.recId}`]);
    expect(after.find((o) => o.id === closeOrder.id)?.status).toBe(closeOrder.status);
    const held = await db.select().from(positions).all();
    expect(held.map((p) => [p.id, p.status, p.closeClientOrderId])).toEqual([
      [position.id, "closing", position.closeClientOrderId],
    ]);

    // The follow-up lists what was canceled.
    const report = await theMessage(/Halt: entry orders canceled/);
    expect(report).toMatch(/QQQ .*canceled at Alpaca; nothing was opened/);
    expect(report).toMatch(/Closes were not touched/);
  });

  it("says there were no working entry orders when there were none", async () => {
    const { message, approve } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id); // filled at once: nothing left to cancel

    await command("halt", { reason: "news" });

    expect((await alpaca.listOrders()).map((o) => o.status)).toEqual(["filled"]);
    expect(await theMessage(/no working entry orders/i)).toMatch(/nothing to cancel/);
    expect(await db.select().from(positions).all()).toHaveLength(1);
  });

  it("halts at once even when Alpaca refuses the cancel, and reports the entry as still working", async () => {
    const entry = await restingEntry("SPY");
    await alpaca.setFaults({ fail_next: { count: 10, status: 503, method: "DELETE", path_prefix: "/v2/orders" } });

    const halted = await command("halt", { reason: "broker trouble" });

    expect(halted.response.type).toBe(4);
    expect((await breakers().read()).halted).toBe(true);
    expect((await openingOrdersFor(entry.recId)).map((o) => o.status)).not.toContain("canceled");
    expect((await storedRecommendation(entry.recId))?.status).toBe("submitted");
    expect(await theMessage(/Halt: entry orders need a look/)).toMatch(
      /SPY .*still working at Alpaca after the cancel/,
    );
  });
});

describe("/resume and the losing streak", () => {
  it("counts only losses closed after the last /resume: the old streak does not trip it again, three new losses do", async () => {
    const start = await sandboxNow();
    for (const minutesAgo of [30, 20, 10]) await closedTrade(-50, start - minutesAgo * MINUTE);
    await fire("monitor", MONITOR_AT);
    expect((await breakers().read()).reasons.join(" ")).toMatch(/3 losing trades in a row/);

    await command("resume");
    expect((await breakers().read()).halted).toBe(false);
    await fire("monitor", MONITOR_AT + 5 * MINUTE);
    expect((await breakers().read()).halted).toBe(false);

    // One more loss after the resume is a streak of one, not four.
    const [resumed] = await breakers().events(1);
    const resumedAt = resumed?.at ?? Number.NaN;
    expect(resumed?.kind).toBe("reset");
    await closedTrade(-50, resumedAt + 1_000);
    await fire("monitor", MONITOR_AT + 10 * MINUTE);
    expect((await breakers().read()).halted).toBe(false);
    expect(await messagesMatching(/Circuit breaker tripped/)).toHaveLength(1);

    // The streak still counts from the resume: two more losses make three and trip it.
    await closedTrade(-50, resumedAt + 2_000);
    await closedTrade(-50, resumedAt + 3_000);
    await fire("monitor", MONITOR_AT + 15 * MINUTE);
    const state = await breakers().read();
    expect(state.halted).toBe(true);
    expect(state.reasons.join(" ")).toMatch(/3 losing trades in a row/);
    expect(await messagesMatching(/Circuit breaker tripped/)).toHaveLength(2);
  });
});
