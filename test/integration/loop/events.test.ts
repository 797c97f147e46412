// Events a credit-spread seller avoids, through the whole scan on workerd: the ex-dividend dates
// come from the simulated Alpaca's /v1/corporate-actions through the real SDK, the blackout dates
// from BLACKOUT_DATES, and the card lists what was checked before expiry.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { claimApproval, placeApprovedOrder } from "../../../src/actions/approve";
import { createApp } from "../../../src/app";
import { addDays } from "../../../src/domain/dates";
import { tradingDay } from "../../../src/domain/market-time";
import { runJobNow } from "../../../src/jobs/run-job";
import { sandboxWorld } from "../../../src/sandbox/outside";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import {
  ALLOWED_USER,
  embedOf,
  recommendationMessages,
  resetWorld,
  sandboxNow,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);

beforeEach(resetWorld);

async function scan(vars: Record<string, string> = {}) {
  const app = createApp({ ...env, ...vars } as Env, await sandboxWorld(env));
  const run = await runJobNow(app, "scan", `manual:${crypto.randomUUID()}`, app.clock.now());
  if (run.outcome !== "ran") throw new Error(`scan did not run: ${JSON.stringify(run)}`);
  return run.summary as { skipped: { symbol: string; reason: string }[] };
}

async function cardOf(symbol: string) {
  const message = (await recommendationMessages()).find((m) => embedOf(m).title?.startsWith(symbol));
  if (!message) throw new Error(`no card for ${symbol}`);
  return textOf(message);
}

const noDividends = async () => {
  for (const symbol of ["SPY", "QQQ", "IWM"]) await alpaca.setDividends(symbol, []);
};

const monthDay = (date: string) => `${date.slice(5, 7)}/${date.slice(8, 10)}`;

describe("events before expiry", () => {
  it("offers no SPY bear call across an ex-dividend date 10 days out: the bull put is offered and its card lists the ex-date", async () => {
    await noDividends();
    await scan();
    const before = await db.query.recommendations.findFirst({ where: (r, { eq }) => eq(r.symbol, "SPY") });
    // Without a dividend, the put skew makes SPY's best idea a bear call on the default market.
    expect(before?.strategy).toBe("bear_call");

    await resetWorld();
    await noDividends();
    const exDate = addDays(tradingDay(await sandboxNow()), 10);
    await alpaca.setDividends("SPY", [exDate], 1.8);
    await scan();

    const rows = await db.query.recommendations.findMany();
    const spy = rows.find((r) => r.symbol === "SPY");
    expect(spy?.strategy).toBe("bull_put");
    expect(spy?.events?.found).toEqual([{ kind: "ex_dividend", date: exDate, label: "SPY ex-div", amount: 1.8 }]);
    expect(await cardOf("SPY")).toContain(
      `Events: SPY ex-div ${monthDay(exDate)} $1.80 (bull put: no short call) (checked ex-dividend, 0 blackout dates)`,
    );
    // The other symbols, with no ex-date in their window, keep the side their smile gives.
    expect(rows.find((r) => r.symbol === "QQQ")?.strategy).toBe("bear_call");
    expect(await cardOf("QQQ")).toContain("Events: none before expiry (checked ex-dividend, 0 blackout dates)");
  });

  it("offers nothing across a blackout date (FOMC in 5 days), and says which date in the scan's report", async () => {
    await noDividends();
    const fomc = addDays(tradingDay(await sandboxNow()), 5);
    const summary = await scan({ BLACKOUT_DATES: `${fomc}:FOMC` });

    expect(await db.query.recommendations.findMany()).toEqual([]);
    expect(await recommendationMessages()).toEqual([]);
    for (const symbol of ["SPY", "QQQ", "IWM", "GLD"])
      expect(summary.skipped.find((s) => s.symbol === symbol)?.reason).toContain(`FOMC ${fomc} (BLACKOUT_DATES)`);
  });

  it("a blackout date past every expiry blocks nothing, and each card says what it checked", async () => {
    await noDividends();
    const later = addDays(tradingDay(await sandboxNow()), 120);
    await scan({ BLACKOUT_DATES: `${later}:CPI,${addDays(later, 1)}` });

    const messages = await recommendationMessages();
    expect(messages).toHaveLength(4);
    for (const message of messages)
      expect(textOf(message)).toContain("Events: none before expiry (checked ex-dividend, 2 blackout dates)");
  });

  it("refuses an Approve when BLACKOUT_DATES now puts CPI 3 days out inside the trade's life (set after the card was posted)", async () => {
    await scan();
    const rec = await db.query.recommendations.findFirst({ where: (r, { eq }) => eq(r.symbol, "SPY") });
    if (!rec) throw new Error("no SPY idea");
    const world = await sandboxWorld(env);
    const cpi = addDays(tradingDay(world.clock.now()), 3);
    const app = createApp({ ...env, BLACKOUT_DATES: `${cpi}:CPI` } as Env, world);

    const claim = await claimApproval(
      app,
      rec.id,
      rec.contracts,
      ALLOWED_USER,
      "interaction-blackout",
      app.clock.now(),
    );
    if (!claim.ok) throw new Error(claim.message);
    const after = await placeApprovedOrder(app, claim.rec, ALLOWED_USER, app.clock.now);

    expect(after.status).toBe("refused");
    expect(after.statusReason).toContain(`the trade would now span CPI ${cpi} before its ${rec.expiration} expiry`);
    expect(await alpaca.listOrders()).toEqual([]);
  });

  it("when Alpaca's corporate actions fail, offers no bear call but still the bull puts, saying the ex-dates were not checked", async () => {
    await noDividends();
    // The SDK retries a GET twice: three failures in a row make the call fail.
    await alpaca.setFaults({ fail_next: { count: 3, status: 503, path_prefix: "/v1/corporate-actions" } });
    const summary = await scan();

    const rows = await db.query.recommendations.findMany();
    expect(rows.filter((r) => r.strategy === "bear_call")).toEqual([]);
    const gld = rows.find((r) => r.symbol === "GLD");
    expect(gld?.strategy).toBe("bull_put");
    expect(await cardOf("GLD")).toContain("(checked ex-dividend dates unavailable, 0 blackout dates)");
    for (const { reason } of summary.skipped.filter((s) => !rows.some((r) => r.symbol === s.symbol)))
      expect(reason).toMatch(/ex-dividend dates could not be read/);
  });
});
