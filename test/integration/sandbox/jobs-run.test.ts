// POST /sandbox/api/jobs/run: the console's "Run monitor now" / "Run end of day now". The job
// runs as its cron would, for the slot that is due "now", with the usual once-per-slot rule.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SCAN_TIMES } from "../../../src/domain/job-slots";
import { newYorkParts, nyseSession, utcInstant } from "../../../src/domain/market-time";
import { slotNow } from "../../../src/sandbox/jobs-run-route";
import { database } from "../../../src/store/db";
import { jobRunStore } from "../../../src/store/job-runs";
import { discordSim } from "../../support/discord-sim";
import { call, embedOf, resetWorld } from "../../support/sandbox-driver";

interface RunAnswer {
  job: string;
  scheduled_time: string;
  outcome: "ran" | "skipped" | "failed";
  reason?: string;
  summary?: Record<string, unknown>;
}

const run = async (body: unknown) =>
  call("/sandbox/api/jobs/run", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

beforeEach(resetWorld);

describe("POST /sandbox/api/jobs/run", () => {
  it("runs the monitor now and answers its report", async () => {
    const response = await run({ job: "monitor" });
    expect(response.status).toBe(200);
    const answer = await response.json<RunAnswer>();
    expect(answer).toMatchObject({ job: "monitor", outcome: "ran" });
    expect(answer.summary).toMatchObject({ marked: 0, exitAlerts: 0, closed: 0 });
  });

  it("runs the monitor again in the same minute when asked again (the market may have moved since)", async () => {
    await run({ job: "monitor" });
    const again = await (await run({ job: "monitor" })).json<RunAnswer>();
    expect(again).toMatchObject({ job: "monitor", outcome: "ran" });
  });

  it("does not start a second monitor while one is still working", async () => {
    const first = await (await run({ job: "monitor" })).json<RunAnswer>();
    // A run that started after it and has not ended (its own slot), as a click mid-run sees it:
    // at the next minute, later than any instant of the first run's (the tests' clock is frozen).
    const later = Date.parse(first.scheduled_time) + 60_000;
    await jobRunStore(database(env.DB)).claim("monitor", "manual:working", later, later);

    const again = await (await run({ job: "monitor" })).json<RunAnswer>();

    expect(again).toMatchObject({
      outcome: "skipped",
      reason: "a monitor run is still working; ask again when it ends",
    });
  });

  it("runs the end of day for the latest trading day's 16:15 slot, once", async () => {
    const first = await (await run({ job: "eod" })).json<RunAnswer>();
    expect(first.outcome).toBe("ran");
    const slot = Date.parse(first.scheduled_time);
    expect(newYorkParts(slot).time).toBe("16:15");
    expect(nyseSession(newYorkParts(slot).date)).not.toBeNull();
    const posted = await discordSim.messages();
    expect(posted.map((m) => embedOf(m).title)).toEqual([expect.stringMatching(/^End of day/)]);

    const again = await (await run({ job: "eod" })).json<RunAnswer>();
    expect(again.outcome).toBe("skipped");
    expect(again.reason).toMatch(/already ran for eod:.*T16:15/);
    expect(await discordSim.messages()).toHaveLength(1);
  });

  it("answers 400 for an unknown job and 405 for a GET", async () => {
    const bad = await run({ job: "lunch" });
    expect(bad.status).toBe(400);
    expect((await bad.json<{ message: string }>()).message).toContain('"scan" | "monitor" | "eod"');
    expect((await call("/sandbox/api/jobs/run")).status).toBe(405);
  });
});

describe("the slot a job run now gets", () => {
  const times = DEFAULT_SCAN_TIMES;

  it("is the job's New York slot on the latest trading day: Friday's last scan (15:30) for a holiday Monday", () => {
    const holidayMonday = utcInstant("2027-07-05", "11:00");
    expect(slotNow("scan", holidayMonday, times)).toBe(utcInstant("2027-07-02", "15:30"));
    expect(slotNow("eod", holidayMonday, times)).toBe(utcInstant("2027-07-02", "16:15"));
    expect(slotNow("eod", utcInstant("2027-07-06", "09:00"), times)).toBe(utcInstant("2027-07-06", "16:15"));
  });

  it("is the latest scan slot already come today (12:00 at 13:10), the first one before it (09:35 at 09:00)", () => {
    expect(slotNow("scan", utcInstant("2027-07-06", "13:10"), times)).toBe(utcInstant("2027-07-06", "12:00"));
    expect(slotNow("scan", utcInstant("2027-07-06", "09:00"), times)).toBe(utcInstant("2027-07-06", "09:35"));
  });

  it("is the slot asked for: any scan slot runs now (the midday one at 10:00)", () => {
    expect(slotNow("scan", utcInstant("2027-01-12", "10:00"), times, "12:00")).toBe(utcInstant("2027-01-12", "12:00"));
  });

  it("is the current minute for the monitor", () => {
    const now = utcInstant("2027-07-06", "11:07") + 42_000;
    expect(slotNow("monitor", now, times)).toBe(utcInstant("2027-07-06", "11:07"));
  });
});

describe("GET /sandbox/api/market", () => {
  it("answers the market now: open, a price and an ATM IV per watchlist symbol", async () => {
    const response = await call("/sandbox/api/market");
    expect(response.status).toBe(200);
    const market = await response.json<{ open: boolean; prices: Record<string, number>; iv: Record<string, number> }>();
    expect(market.open).toBe(true);
    for (const symbol of ["SPY", "QQQ", "IWM"]) {
      expect(market.prices[symbol]).toBeGreaterThan(0);
      expect(market.iv[symbol]).toBeGreaterThan(0.1);
      expect(market.iv[symbol]).toBeLessThan(0.4);
    }
  });
});
