// Risk counted in flight: the open-position and total-risk limits count the positions held, the
// entries claimed or working at the broker, and the trade being approved. Simultaneous Approves
// go through the real endpoint to the real local D1 and the simulated broker; whatever the
// interleaving, together they never pass a limit, and the clicks left out are told why.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, dailyPerformance, positions, recommendations } from "../../../drizzle/schema";
import { tradingDay } from "../../../src/domain/market-time";
import { SCHEDULE } from "../../../src/jobs/schedule";
import worker from "../../../src/sandbox/index";
import { database } from "../../../src/store/db";
import { performanceStore } from "../../../src/store/performance";
import * as alpaca from "../../support/alpaca-sim";
import { aDailyPerformance, aPosition, aRecommendation } from "../../support/builders";
import {
  ALLOWED_USER,
  buttonsOf,
  type InteractionResult,
  recommendationMessages,
  resetWorld,
  runMonitorNow,
  SCAN_SLOT,
  sandboxNow,
  storedRecommendation,
} from "../../support/sandbox-driver";

const db = database(env.DB);
const UPDATE_MESSAGE = 7;
const EPHEMERAL = 64;
/**
 * Enough tickers for a scan to find ten ideas among them, whatever the day: the simulated market
 * lists weeklies for the first ten and monthlies for the other two, and a 14-50 day window always
 * holds a monthly expiration (third Fridays are at most 35 days apart).
 */
const MANY_SYMBOLS = {
  WATCHLIST: "SPY,QQQ,IWM,DIA,XLF,XLE,XLK,TLT,GLD,EEM,XLV,XLI",
  DTE_MIN: "14",
  DTE_MAX: "50",
  EXIT_DTE: "10",
};
/** A scan of twelve chains takes a while on a shared machine: a budget, not a timed assertion. */
const TWELVE_CHAIN_BUDGET = { timeout: 90_000 };

beforeEach(resetWorld);

/** The sandbox worker's env with settings changed, as `wrangler.toml` [vars] would set them. */
const configured = (vars: Record<string, string>): Env => ({ ...env, ...vars }) as Env;

async function scan(world: Env): Promise<void> {
  const entry = SCHEDULE.find((s) => s.job === "scan");
  if (!entry) throw new Error("no cron for scan");
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: entry.cron, scheduledTime: SCAN_SLOT }), world, ctx);
  await waitOnExecutionContext(ctx);
}

/** A click signed by the sandbox and handled by the worker configured as `world` (waits for its work). */
async function click(world: Env, messageId: string, customId: string): Promise<InteractionResult> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request("http://127.0.0.1/sandbox/api/interactions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "component", message_id: messageId, custom_id: customId, user_id: ALLOWED_USER }),
    }),
    world,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response.json<InteractionResult>();
}

interface Offer {
  messageId: string;
  recId: string;
  /** The Approve buttons: custom id and contracts, smallest size first. */
  sizes: { customId: string; contracts: number }[];
}

/** Every posted recommendation and its Approve buttons. */
async function offers(): Promise<Offer[]> {
  return (await recommendationMessages()).map((message) => {
    const sizes = buttonsOf(message)
      .filter((b) => b.custom_id.startsWith("v1:approve:"))
      .map((b) => ({ customId: b.custom_id, contracts: Number(b.custom_id.split(":")[3]) }))
      .sort((a, b) => a.contracts - b.contracts);
    const recId = sizes[0]?.customId.split(":")[2] ?? "";
    return { messageId: message.id, recId, sizes };
  });
}

/** The 1× button of an offer. */
const oneX = (offer: Offer) => offer.sizes[0]?.customId ?? "";

/** Positions held before the test, on a ticker no scan offers: each with its dollars at risk. */
async function holdPositions(risks: number[], symbol = "AAPL"): Promise<void> {
  for (const maxLoss of risks) {
    const rec = aRecommendation({ symbol, status: "filled" });
    await db.insert(recommendations).values(rec).run();
    await db.insert(positions).values(aPosition(rec.id, { symbol, maxLoss })).run();
  }
}

/** What the bot has committed now: positions held and entries claimed or working without one. */
async function committed(): Promise<{ positions: number; risk: number }> {
  const held = await db
    .select()
    .from(positions)
    .where(inArray(positions.status, ["open", "closing"]))
    .all();
  const flying = await db
    .select()
    .from(recommendations)
    .where(inArray(recommendations.status, ["approving", "submitted"]))
    .all();
  const withPosition = new Set(held.map((p) => p.recommendationId));
  const inFlight = flying.filter((r) => !withPosition.has(r.id));
  return {
    positions: held.length + inFlight.length,
    risk: held.reduce((s, p) => s + p.maxLoss, 0) + inFlight.reduce((s, r) => s + r.maxLoss * r.contracts, 0),
  };
}

/** The broker's distinct opening orders. */
async function openingOrders(): Promise<string[]> {
  const ids = (await alpaca.listOrders())
    .map((o) => String(o.client_order_id))
    .filter((id) => id.startsWith("sd-open-"));
  return [...new Set(ids)];
}

async function approveOutcomes(recId: string): Promise<string[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.recommendationId, recId), eq(auditLog.action, "approve")))
    .all();
  return rows.map((r) => r.outcome);
}

const won = (a: InteractionResult) => a.response.type === UPDATE_MESSAGE;
const told = (a: InteractionResult) => (a.response.data?.flags === EPHEMERAL ? (a.response.data.content ?? "") : "");

describe("risk counted in flight", () => {
  it("lets one of two simultaneous Approves through when one position is left under MAX_OPEN_POSITIONS", async () => {
    const world = configured({ MAX_OPEN_POSITIONS: "3" });
    await scan(world);
    await holdPositions([500, 500]);
    const [first, second] = await offers();
    if (!first || !second) throw new Error("the scan posted fewer than two recommendations");

    const answers = await Promise.all([first, second].map((o) => click(world, o.messageId, oneX(o))));

    expect(answers.filter(won)).toHaveLength(1);
    const refused = answers.find((a) => !won(a));
    expect(refused && told(refused)).toMatch(
      /^Not approved: 4 positions open( or in flight)? counting this one \(limit 3\)\. Nothing was done; the recommendation stays open/,
    );
    expect(await openingOrders()).toHaveLength(1);
    expect((await committed()).positions).toBe(3);
    const loser = won(answers[0] as InteractionResult) ? second : first;
    expect((await storedRecommendation(loser.recId))?.status).toBe("pending");
    expect(await approveOutcomes(loser.recId)).toEqual(["over_limit"]);
    const [audited] = await db.select().from(auditLog).where(eq(auditLog.recommendationId, loser.recId)).all();
    const limits = audited?.detail?.limits as Record<string, number> | undefined;
    expect(limits?.maxOpenPositions).toBe(3);
    expect((limits?.openPositions ?? 0) + (limits?.inFlightEntries ?? 0)).toBe(3);
  });

  it(
    "lets exactly the three that fit through when ten Approves arrive in the same instant",
    TWELVE_CHAIN_BUDGET,
    async () => {
      const world = configured({
        ...MANY_SYMBOLS,
        MAX_RECOMMENDATIONS_PER_SCAN: "10",
        SUBREQUEST_BUDGET: "1000",
        MAX_OPEN_POSITIONS: "5",
      });
      await scan(world);
      await holdPositions([500, 500]);
      const posted = await offers();
      expect(posted).toHaveLength(10);

      const answers = await Promise.all(posted.map((o) => click(world, o.messageId, oneX(o))));

      expect(answers.filter(won)).toHaveLength(3);
      const refusals = answers.filter((a) => !won(a)).map(told);
      expect(refusals).toHaveLength(7);
      for (const text of refusals)
        expect(text).toMatch(/^Not approved: 6 positions open( or in flight)? counting this one \(limit 5\)/);
      expect((await openingOrders()).length).toBeLessThanOrEqual(3);
      expect((await committed()).positions).toBe(5);
      const audit = await db.select().from(auditLog).where(eq(auditLog.action, "approve")).all();
      expect(audit.map((a) => a.outcome).sort()).toEqual([...Array(3).fill("claimed"), ...Array(7).fill("over_limit")]);
    },
  );

  it("refuses the second of two simultaneous Approves whose risk together passes MAX_TOTAL_RISK_PCT", async () => {
    const world = configured({ MAX_TOTAL_RISK_PCT: "0.2" });
    await scan(world);
    const [first, second] = await offers();
    if (!first || !second) throw new Error("the scan posted fewer than two recommendations");
    const riskOf = async (o: Offer) => {
      const row = await storedRecommendation(o.recId);
      return (row?.maxLoss ?? Number.NaN) * (o.sizes[0]?.contracts ?? Number.NaN);
    };
    const [a, b] = [await riskOf(first), await riskOf(second)];
    // Either trade fits beside what is held; both together pass $20,000 (20% of $100,000).
    await holdPositions([20_000 - Math.max(a, b) - Math.min(a, b) / 2]);
    await recordEndOfDayEquity(100_000);

    const answers = await Promise.all([first, second].map((o) => click(world, o.messageId, oneX(o))));

    expect(answers.filter(won)).toHaveLength(1);
    const refused = answers.find((x) => !won(x));
    expect(refused && told(refused)).toMatch(
      /^Not approved: \$[\d,.]+ at risk (counting orders in flight|in open positions) and this trade, over 20\.0% of equity \$100,000\.00 \(\$20,000\.00\)\./,
    );
    expect(await openingOrders()).toHaveLength(1);
    expect((await committed()).risk).toBeLessThanOrEqual(20_000);
  });

  it("refuses a max size that the risk of an order in flight leaves no room for, and says what fits", async () => {
    const world = configured({ MAX_CONTRACTS: "20" });
    await scan(world);
    const [offer] = await offers();
    const max = offer?.sizes.at(-1);
    if (!offer || !max || offer.sizes.length < 2) throw new Error("the scan offered no size above 1×");
    const row = await storedRecommendation(offer.recId);
    const perContract = row?.maxLoss ?? Number.NaN;
    // An order working at the broker leaves room for the 1× size and one contract more, not for max.
    const room = ((offer.sizes[0]?.contracts ?? 0) + 1) * perContract;
    await db
      .insert(recommendations)
      .values(
        aRecommendation({ symbol: "AAPL", status: "submitted", contracts: 1, maxContracts: 1, maxLoss: 20_000 - room }),
      )
      .run();
    await recordMonitorEquity(100_000);

    const answer = await click(world, offer.messageId, max.customId);

    expect(told(answer)).toContain(`At most ${(offer.sizes[0]?.contracts ?? 0) + 1} contracts fit now.`);
    expect(told(answer)).toMatch(
      /at risk counting orders in flight and this trade, over 20\.0% of equity \$100,000\.00/,
    );
    expect((await storedRecommendation(offer.recId))?.status).toBe("pending");
    expect(await openingOrders()).toEqual([]);
  });

  it("offers no size at the scan that puts more at risk than the total-risk limit has left", async () => {
    const world = configured({ MAX_CONTRACTS: "20" });
    await holdPositions([17_500]);
    await scan(world);
    const posted = await offers();
    expect(posted.length).toBeGreaterThan(0);

    for (const offer of posted) {
      const perContract = (await storedRecommendation(offer.recId))?.maxLoss ?? Number.NaN;
      for (const size of offer.sizes) expect(size.contracts * perContract).toBeLessThanOrEqual(2_500);
    }
  });

  it("refuses at the recheck when the account's equity leaves less room than the equity recorded", async () => {
    const world = configured({});
    await scan(world);
    const [offer] = await offers();
    if (!offer) throw new Error("the scan posted no recommendation");
    await holdPositions([19_000]);
    // The last equity the bot recorded is far above the broker's $100,000: the claim lets it in.
    await recordEndOfDayEquity(1_000_000);

    const answer = await click(world, offer.messageId, oneX(offer));

    expect(won(answer)).toBe(true);
    const row = await storedRecommendation(offer.recId);
    expect(row?.status).toBe("refused");
    expect(row?.statusReason).toMatch(/at risk in open positions and this trade, over 20\.0% of equity \$100,000\.00/);
    expect(await openingOrders()).toEqual([]);
  });

  it("refuses at the claim on the equity the monitor recorded today, not the last end of day's", async () => {
    const world = configured({});
    // The monitor reads the broker's $100,000 and records it for today, before the click.
    await runMonitorNow();
    await scan(world);
    const [offer] = await offers();
    if (!offer) throw new Error("the scan posted no recommendation");
    await holdPositions([19_000]);
    await recordEndOfDayEquity(1_000_000);

    const answer = await click(world, offer.messageId, oneX(offer));

    expect(told(answer)).toMatch(/at risk in open positions and this trade, over 20\.0% of equity \$100,000\.00/);
    expect((await storedRecommendation(offer.recId))?.status).toBe("pending");
    expect(await openingOrders()).toEqual([]);
  });
});

/** Today's equity as the monitor records it, read from the account. */
async function recordMonitorEquity(equity: number): Promise<void> {
  const now = await sandboxNow();
  await performanceStore(db).recordIntradayEquity(tradingDay(now), equity, now);
}

/** An end-of-day row with the equity the bot saw: the last equity it recorded. */
async function recordEndOfDayEquity(equity: number): Promise<void> {
  await db
    .insert(dailyPerformance)
    .values(aDailyPerformance(tradingDay(SCAN_SLOT - 86_400_000), equity, SCAN_SLOT))
    .run();
}
