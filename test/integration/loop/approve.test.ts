import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, positions, trades } from "../../../drizzle/schema";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import {
  ALLOWED_USER,
  buttonsOf,
  click,
  command,
  embedOf,
  messageById,
  OTHER_USER,
  openingOrdersFor as ordersFor,
  storedRecommendation as rec,
  resetWorld,
  SECOND_TRADER,
  scanAndPick,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);

beforeEach(resetWorld);

describe("approve", () => {
  it("places exactly one mleg order at a negative limit, records the trade and the position, and edits the message", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const answer = await click(message.id, approve.custom_id);
    expect(answer.status).toBe(200);
    expect(answer.response.type).toBe(7); // the clicked message is updated at once
    expect(answer.response.data?.components).toEqual([]);

    const orders = await ordersFor(recId);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ order_class: "mleg", time_in_force: "day", client_order_id: `sd-open-${recId}` });
    expect(Number(orders[0]?.limit_price)).toBeLessThan(0);

    expect(await rec(recId)).toMatchObject({ status: "filled", decidedBy: "100000000000000003" });
    expect(await db.select().from(trades).where(eq(trades.recommendationId, recId)).all()).toEqual([
      expect.objectContaining({ kind: "open", status: "filled" }),
    ]);
    expect(await db.select().from(positions).where(eq(positions.recommendationId, recId)).get()).toMatchObject({
      status: "open",
      symbol: "SPY",
    });
    const edited = await messageById(message.id);
    expect(textOf(edited)).toMatch(/Filled/);
    expect(buttonsOf(edited)).toEqual([]);
  });

  it("lets ten simultaneous clicks from two people make one order", async () => {
    const { message, approve, recId } = await scanAndPick("QQQ");
    const users = [ALLOWED_USER, SECOND_TRADER];
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => click(message.id, approve.custom_id, users[i % users.length])),
    );
    expect(answers.filter((a) => a.response.type === 7)).toHaveLength(1);
    expect(answers.filter((a) => a.response.data?.flags === 64)).toHaveLength(9);
    expect(await ordersFor(recId)).toHaveLength(1);
    expect(await db.select().from(trades).where(eq(trades.recommendationId, recId)).all()).toHaveLength(1);
  });

  it("refuses when SPY moved 1.5 % since analysis (limit 1 %), says from what to what, and places nothing", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.moveMarket({ symbol: "SPY", move_pct: 1.5 });
    await click(message.id, approve.custom_id);
    expect(await ordersFor(recId)).toHaveLength(0);
    const row = await rec(recId);
    expect(row?.status).toBe("refused");
    expect(row?.statusReason).toMatch(/SPY moved from \$[\d,.]+ to \$[\d,.]+ \(\+1\.50%, limit 1\.00%\)/);
    expect(textOf(await messageById(message.id))).toMatch(/SPY moved from/);
  });

  it("trades after a 0.3 % move at the fresh credit, and the card says what the credit is now", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const analysed = await rec(recId);
    await alpaca.moveMarket({ symbol: "SPY", move_pct: analysed?.strategy === "bull_put" ? -0.3 : 0.3 });
    await click(message.id, approve.custom_id);
    const row = await rec(recId);
    expect(row?.status).toBe("filled");
    const [order] = await ordersFor(recId);
    const limit = Math.abs(Number(order?.limit_price));
    // Toward the short strike the spread is worth more: the order asks the fresh (higher) credit.
    expect(limit).toBeGreaterThan(analysed?.credit ?? Number.POSITIVE_INFINITY);
    // The walk starts at the mid: the card compares it with the mid it showed, and shows the fill.
    const card = textOf(await messageById(message.id));
    expect(card).toMatch(/limit \$[\d.]+ credit \(the mid now; \$[\d.]+ on the card\)/);
    expect(card).toContain(`Filled at $${Math.abs(Number(order?.filled_avg_price)).toFixed(2)} credit`);
  });

  it("refuses while trading is halted, places nothing, and the card stays approvable after /resume", async () => {
    const { message, approve, recId } = await scanAndPick("IWM");
    const halted = await command("halt", { reason: "bad morning" });
    expect(JSON.stringify(halted.response)).toMatch(/halted/i);

    const refused = await click(message.id, approve.custom_id);

    expect(refused.response).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(refused.response.data?.content).toMatch(
      /^Trading is halted: manual: bad morning\. Nothing was done; the idea stays open until it expires\. After \/resume, tap Approve again\.$/,
    );
    expect(await ordersFor(recId)).toHaveLength(0);
    expect((await rec(recId))?.status).toBe("pending");
    expect(buttonsOf(await messageById(message.id)).some((b) => b.custom_id === approve.custom_id)).toBe(true);
    const audits = await env.DB.prepare(
      "SELECT outcome FROM audit_log WHERE action = 'approve' AND recommendation_id = ?",
    )
      .bind(recId)
      .all<{ outcome: string }>();
    expect(audits.results).toEqual([{ outcome: "halted" }]);

    await command("resume");
    await click(message.id, approve.custom_id);
    expect(await ordersFor(recId)).toHaveLength(1);
    expect((await rec(recId))?.status).toBe("filled");
  });

  it("refuses when the market is closed: a day order would wait at a stale price", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setOpen(false);
    await click(message.id, approve.custom_id);
    expect(await ordersFor(recId)).toHaveLength(0);
    expect((await rec(recId))?.statusReason).toMatch(/market is closed/);
  });

  it("refuses an expired recommendation with an answer only the clicker sees", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await env.DB.prepare("UPDATE recommendations SET expires_at = created_at + 1 WHERE id = ?").bind(recId).run();
    const answer = await click(message.id, approve.custom_id);
    expect(answer.response.data?.flags).toBe(64);
    expect(answer.response.data?.content).toMatch(/expired/);
    expect(await ordersFor(recId)).toHaveLength(0);
  });

  it("refuses a person who is not allowed, changes nothing and audits the attempt", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const answer = await click(message.id, approve.custom_id, OTHER_USER);
    expect(answer.response.data?.flags).toBe(64);
    expect((await rec(recId))?.status).toBe("pending");
    expect(await ordersFor(recId)).toHaveLength(0);
    const audit = await db.select().from(auditLog).where(eq(auditLog.actor, OTHER_USER)).all();
    expect(audit.map((a) => a.action)).toEqual(["unauthorized"]);
  });

  it("resolves a lost order response by looking the order up: one order, recorded", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setFaults({ lose_next_order_response: true });
    await click(message.id, approve.custom_id);
    expect(await ordersFor(recId)).toHaveLength(1);
    expect((await rec(recId))?.status).toBe("filled");
  });

  it("shows the broker's refusal on the message and keeps the recommendation from trading", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setFaults({ reject_next_order: "insufficient_buying_power" });
    await click(message.id, approve.custom_id);
    const row = await rec(recId);
    expect(row?.status).toBe("failed");
    expect(row?.statusReason).toMatch(/buying power/i);
    expect(textOf(await messageById(message.id))).toMatch(/buying power/i);
  });
});

describe("reject", () => {
  it("records who rejected, removes the buttons, and a later Approve does nothing", async () => {
    const { message, approve, reject, recId } = await scanAndPick("SPY");
    const answer = await click(message.id, reject.custom_id);
    expect(answer.response.type).toBe(7);
    expect(await rec(recId)).toMatchObject({ status: "rejected", decidedBy: "100000000000000003" });
    const edited = await messageById(message.id);
    expect(buttonsOf(edited)).toEqual([]);
    expect(textOf(edited)).toMatch(/Rejected/i);
    const late = await click(message.id, approve.custom_id);
    expect(late.response.data?.content).toMatch(/Already rejected/);
    expect(await ordersFor(recId)).toHaveLength(0);
  });

  it("lets Approve racing Reject end in one outcome", async () => {
    const { message, approve, reject, recId } = await scanAndPick("SPY");
    await Promise.all([click(message.id, approve.custom_id), click(message.id, reject.custom_id)]);
    const row = await rec(recId);
    const orders = await ordersFor(recId);
    if (row?.status === "rejected") expect(orders).toHaveLength(0);
    else expect(orders).toHaveLength(1);
    expect(embedOf(await messageById(message.id)).title).toBeTruthy();
  });
});
