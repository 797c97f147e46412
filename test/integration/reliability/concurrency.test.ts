// Many hands on one button: simultaneous clicks through the real endpoint, on the real local D1,
// against the simulated broker. Whatever the interleaving, one decision wins and the broker sees
// at most one order for it.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { positions, recommendations, trades } from "../../../drizzle/schema";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import {
  ALLOWED_USER,
  buttonsOf,
  click,
  command,
  embedOf,
  fire,
  type InteractionResult,
  openPosition,
  openingOrdersFor as ordersFor,
  profitTargetAlert,
  storedRecommendation as rec,
  recommendationMessages,
  resetWorld,
  SANDBOX_WATCHLIST,
  SCAN_SLOT,
  SECOND_TRADER,
  scanAndPick,
  storedPosition,
} from "../../support/sandbox-driver";

const db = database(env.DB);
const TRADERS = [ALLOWED_USER, SECOND_TRADER];
const UPDATE_MESSAGE = 7;
const EPHEMERAL = 64;

beforeEach(resetWorld);

describe("concurrency", () => {
  it("posts one idea per symbol when the cron scan and two /scan commands run at once", async () => {
    await Promise.all([fire("scan", SCAN_SLOT), command("scan"), command("scan", {}, SECOND_TRADER)]);
    const live = await db.select().from(recommendations).all();
    const symbols = live.map((r) => r.symbol).sort();
    expect(symbols.length).toBeGreaterThan(0);
    expect(new Set(symbols).size).toBe(symbols.length); // no symbol twice
    expect((await recommendationMessages()).length).toBe(live.length);
  });

  it("makes one order, one trade and one position from 20 simultaneous Approve clicks by two traders", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => click(message.id, approve.custom_id, TRADERS[i % 2])),
    );

    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.response.type === UPDATE_MESSAGE)).toHaveLength(1);
    const refused = answers.filter((a) => a.response.data?.flags === EPHEMERAL);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.response.data?.content).toMatch(/Already approved by <@\d+>: one order only/);

    expect(await ordersFor(recId)).toHaveLength(1);
    expect(await db.select().from(trades).where(eq(trades.recommendationId, recId)).all()).toHaveLength(1);
    expect(await db.select().from(positions).where(eq(positions.recommendationId, recId)).all()).toHaveLength(1);
    expect((await rec(recId))?.status).toBe("filled");
  });

  it("ends every Approve-versus-Reject race in one outcome that matches the broker's orders", async () => {
    const outcomes: string[] = [];
    // Two scans of one recommendation per watchlist symbol: two races per symbol, half of them all
    // with Approve sent first. The races run one recommendation after another (the two clicks of
    // each race at once): the simulated broker loses an order when two different order POSTs
    // interleave (see the suite's note).
    for (let round = 0; round < 2; round++) {
      if (round > 0) await resetWorld();
      await fire("scan", SCAN_SLOT);
      for (const [i, message] of (await recommendationMessages()).entries()) {
        const buttons = buttonsOf(message);
        const approve = buttons.find((b) => b.custom_id.startsWith("v1:approve:"));
        const reject = buttons.find((b) => b.custom_id.startsWith("v1:reject:"));
        if (!approve || !reject) throw new Error("recommendation without Approve/Reject");
        const approveClick = () => click(message.id, approve.custom_id);
        const rejectClick = () => click(message.id, reject.custom_id, SECOND_TRADER);
        const [a, r] =
          (round + i) % 2 === 0
            ? await Promise.all([approveClick(), rejectClick()])
            : await Promise.all([rejectClick(), approveClick()]).then(([x, y]) => [y, x] as const);
        const recId = approve.custom_id.split(":")[2] ?? "";
        const symbol = embedOf(message).title?.split(" ")[0] ?? "?";
        outcomes.push(await judge({ recId, symbol, approve: a, reject: r }));
      }
    }
    expect(outcomes).toHaveLength(2 * SANDBOX_WATCHLIST.length);
    expect(outcomes.filter((o) => o.startsWith("inconsistent"))).toEqual([]);
  });

  it("sends one closing order when two traders click Close on the same alert ten times at once", async () => {
    const position = await openPosition("SPY");
    const recId = position.recommendationId;
    // SPY moved so the spread is worth half its credit or less: the monitor posts a Close alert.
    const { alert, close } = await profitTargetAlert(position);

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => click(alert.id, close.custom_id, TRADERS[i % 2])),
    );
    expect(answers.filter((a) => a.response.type === UPDATE_MESSAGE)).toHaveLength(1);
    expect(answers.filter((a) => a.response.data?.flags === EPHEMERAL)).toHaveLength(9);
    const closing = (await alpaca.listOrders()).filter((o) => String(o.client_order_id).startsWith("sd-close-"));
    expect(closing).toHaveLength(1);
    expect((await storedPosition(position.id))?.status).toBe("closed");
    expect(
      (await db.select().from(trades).where(eq(trades.recommendationId, recId)).all()).filter(
        (t) => t.kind === "close",
      ),
    ).toHaveLength(1);
  });
});

/** One line per race; anything but a consistent outcome starts with "inconsistent". */
async function judge(race: {
  recId: string;
  symbol: string;
  approve: InteractionResult;
  reject: InteractionResult;
}): Promise<string> {
  const row = await rec(race.recId);
  const orders = (await ordersFor(race.recId)).length;
  const approveWon = race.approve.response.type === UPDATE_MESSAGE;
  const rejectWon = race.reject.response.type === UPDATE_MESSAGE;
  const status = row?.status ?? "missing";
  const line = `${race.symbol}: ${approveWon ? "approve" : "reject"} won → ${status}, ${orders} order(s)`;
  if (approveWon === rejectWon) return `inconsistent (both or neither won) ${line}`;
  if (rejectWon) return status === "rejected" && orders === 0 ? line : `inconsistent ${line}`;
  // Approve won: the order went out once (filled or working), or the recheck refused it with none.
  const placed = status === "filled" || status === "submitted";
  const refused = status === "refused" || status === "failed";
  return (placed && orders === 1) || (refused && orders === 0) ? line : `inconsistent ${line}`;
}
