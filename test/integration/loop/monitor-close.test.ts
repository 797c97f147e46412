import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { breakerStore } from "../../../src/store/breakers";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import { discordSim } from "../../support/discord-sim";
import {
  buttonsOf,
  click,
  closeAlerts,
  command,
  fire,
  messageById,
  openPosition,
  resetWorld,
  SCAN_SLOT,
  sandboxNow,
  scanAndPick,
  storedPosition,
  storedRecommendation,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);
const MONITOR_AT = SCAN_SLOT + 30 * 60_000; // 10:30 New York

/** Moves SPY in the direction that makes the spread worth `winning` (or losing) money. */
async function moveSpy(strategy: string, pct: number, winning: boolean) {
  const up = strategy === "bull_put" ? winning : !winning;
  await alpaca.moveMarket({ symbol: "SPY", move_pct: up ? pct : -pct });
}

beforeEach(resetWorld);

describe("monitor and close", () => {
  it("alerts at the profit target with a Close button, and Close buys the spread back once with a realized gain net of fees", async () => {
    const position = await openPosition();
    await moveSpy(position.strategy, 6, true);
    await fire("monitor", MONITOR_AT);
    const [alert] = await closeAlerts();
    if (!alert) throw new Error("no exit alert");
    expect(textOf(alert)).toMatch(/Profit target/i);

    const close = buttonsOf(alert)[0];
    if (!close) throw new Error("no Close button");
    const [first, second] = await Promise.all([click(alert.id, close.custom_id), click(alert.id, close.custom_id)]);
    expect([first.response.type, second.response.type].sort()).toEqual([4, 7]);

    const closed = await storedPosition(position.id);
    expect(closed?.status).toBe("closed");
    expect(closed?.realizedPl).toBeGreaterThan(0);
    // Booked net of fees: (credit − debit) × 100 × n, less OPTION_FEE_PER_CONTRACT ($0.06) for
    // each contract of each leg of the entry and of the close ($0.24 a contract).
    const n = position.contracts;
    const gross = ((closed?.entryCredit ?? 0) - (closed?.closePrice ?? 0)) * 100 * n;
    expect(closed?.realizedPl).toBeCloseTo(gross - 0.06 * 2 * 2 * n, 2);
    const closingOrders = (await alpaca.listOrders()).filter((o) => String(o.client_order_id).startsWith("sd-close-"));
    expect(closingOrders).toHaveLength(1);
    expect(Number(closingOrders[0]?.limit_price)).toBeGreaterThan(0);
    expect(textOf(await messageById(alert.id))).toMatch(/Closed/);
  });

  it("alerts once per trigger, not at every run", async () => {
    const position = await openPosition();
    await moveSpy(position.strategy, 6, true);
    await fire("monitor", MONITOR_AT);
    await fire("monitor", MONITOR_AT + 5 * 60_000);
    expect(await closeAlerts()).toHaveLength(1);
  });

  it("alerts at the stop when the spread has lost twice its credit", async () => {
    const position = await openPosition();
    await moveSpy(position.strategy, 7, false);
    await fire("monitor", MONITOR_AT);
    const [alert] = await closeAlerts();
    expect(alert && textOf(alert)).toMatch(/Stop loss/i);
  });

  it("closes while trading is halted: breakers never block an exit", async () => {
    const position = await openPosition();
    await moveSpy(position.strategy, 6, true);
    await fire("monitor", MONITOR_AT);
    await command("halt", { reason: "testing exits" });
    const [alert] = await closeAlerts();
    const close = alert && buttonsOf(alert)[0];
    if (!alert || !close) throw new Error("no exit alert");
    await click(alert.id, close.custom_id);
    expect((await storedPosition(position.id))?.status).toBe("closed");
  });

  it("expires unanswered recommendations and says so on their messages", async () => {
    const { message, recId } = await scanAndPick("SPY");
    await env.DB.prepare("UPDATE recommendations SET expires_at = created_at + 1").run();
    await fire("monitor", MONITOR_AT);
    expect((await storedRecommendation(recId))?.status).toBe("expired");
    const edited = await messageById(message.id);
    expect(textOf(edited)).toMatch(/Expired/i);
    expect(buttonsOf(edited)).toEqual([]);
  });

  it("trips the breaker after three losing trades in a row, stores it in D1 and KV, and announces it", async () => {
    const position = await openPosition();
    const now = await sandboxNow();
    for (let i = 0; i < 3; i++) {
      await env.DB.prepare(
        `INSERT INTO recommendations (id, created_at, updated_at, symbol, strategy, expiration, short_symbol, long_symbol, short_strike, long_strike, width, underlying_price, credit, max_loss, breakeven, score, contracts, max_contracts, analyst, thesis, status, expires_at, client_order_id)
         SELECT 'loss${i}', created_at, updated_at, symbol, strategy, expiration, short_symbol, long_symbol, short_strike, long_strike, width, underlying_price, credit, max_loss, breakeven, score, contracts, max_contracts, analyst, thesis, 'filled', expires_at, 'sd-open-loss${i}' FROM recommendations WHERE id = ?`,
      )
        .bind(position.recommendationId)
        .run();
      await env.DB.prepare(
        `INSERT INTO positions (recommendation_id, symbol, strategy, expiration, short_symbol, long_symbol, short_strike, long_strike, contracts, entry_credit, max_loss, status, opened_at, realized_pl, closed_at, close_price, updated_at)
         VALUES ('loss${i}', 'SPY', 'bull_put', '2027-02-19', 'X${i}', 'Y${i}', 580, 575, 1, 1, 400, 'closed', ?, -150, ?, 2.5, ?)`,
      )
        .bind(now - 3_600_000, now - 1000 * (i + 1), now)
        .run();
    }
    await fire("monitor", MONITOR_AT);
    const state = await breakerStore(db, env.STATE).read();
    expect(state.halted).toBe(true);
    expect(state.reasons.join(" ")).toMatch(/3 losing trades in a row/);
    expect(await breakerStore(db, env.STATE).readMirror()).toMatchObject({ halted: true });
    expect((await discordSim.messages()).some((m) => textOf(m).includes("Circuit breaker tripped"))).toBe(true);
  });
});
