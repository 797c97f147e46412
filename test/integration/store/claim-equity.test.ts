// The equity an Approve claim's total-risk limit is a share of, read inside the claim's own D1
// batch: the one the monitor recorded that trading day, else the last end-of-day equity.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { dailyPerformance, intradayEquity, recommendations } from "../../../drizzle/schema";
import { tradingDay } from "../../../src/domain/market-time";
import { database } from "../../../src/store/db";
import { performanceStore } from "../../../src/store/performance";
import { recommendationStore } from "../../../src/store/recommendations";
import { aDailyPerformance, aRecommendation, T0 } from "../../support/builders";

const db = database(env.DB);
const store = recommendationStore(db);
const performance = performanceStore(db);
const DAY = 86_400_000;
const TWENTY_PCT = { maxOpenPositions: 100, maxTotalRiskPct: 0.2 };

beforeEach(async () => {
  await db.batch([db.delete(recommendations), db.delete(dailyPerformance), db.delete(intradayEquity)]);
});

describe("the claim's equity", () => {
  it("is the equity the monitor last recorded that trading day, before the last end of day's", async () => {
    const rec = aRecommendation(); // $380 at risk a contract
    await store.insert([rec]);
    await performance.recordDay(aDailyPerformance(tradingDay(T0 - DAY), 1_000_000));
    await performance.recordIntradayEquity(tradingDay(T0), 900, T0 - 60_000);
    await performance.recordIntradayEquity(tradingDay(T0), 3_000, T0); // the day's later reading

    const claim = await store.claimForApprovalAudited(rec.id, "u1", 2, T0 + 1000, TWENTY_PCT, null);

    // $760 for two contracts is over 20 % of $3,000 ($600), far under 20 % of $1,000,000.
    expect(claim).toMatchObject({ outcome: "over_limit", claimed: false, load: { equity: 3_000 } });
    expect((await store.get(rec.id))?.status).toBe("pending");
  });

  it("is the last end-of-day equity when the monitor recorded none that trading day", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    await performance.recordDay(aDailyPerformance(tradingDay(T0 - DAY), 10_000));
    await performance.recordIntradayEquity(tradingDay(T0 - DAY), 1_000, T0 - DAY); // yesterday's reading

    const claim = await store.claimForApprovalAudited(rec.id, "u1", 2, T0 + 1000, TWENTY_PCT, null);

    expect(claim).toMatchObject({ outcome: "claimed", claimed: true, load: { equity: 10_000 } });
  });

  it("leaves the risk limit to the recheck when neither was recorded, and still counts positions", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);

    const claim = await store.claimForApprovalAudited(rec.id, "u1", 2, T0 + 1000, TWENTY_PCT, null);

    expect(claim).toMatchObject({ outcome: "claimed", claimed: true, load: { equity: null, openPositions: 0 } });
  });
});
