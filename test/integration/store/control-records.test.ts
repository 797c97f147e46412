import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { archiveStore } from "../../../src/store/archive";
import { auditStore } from "../../../src/store/audit";
import { breakerStore } from "../../../src/store/breakers";
import { database } from "../../../src/store/db";
import { ivHistoryStore } from "../../../src/store/iv-history";
import { jobRunStore } from "../../../src/store/job-runs";
import { KV_KEYS } from "../../../src/store/kv-state";
import { performanceStore } from "../../../src/store/performance";
import { scanBookStore } from "../../../src/store/scan-book";
import { T0 } from "../../support/builders";

const db = database(env.DB);

describe("circuit breaker state", () => {
  it("reads as clear before anyone halted", async () => {
    const breakers = breakerStore(db, env.STATE);
    expect(await breakers.read()).toMatchObject({ halted: false, reasons: [] });
  });

  it("stores a halt in D1 with an event and mirrors it to KV", async () => {
    const breakers = breakerStore(db, env.STATE);
    await breakers.halt(["manual: bad morning"], "manual", "u1", T0);
    expect(await breakers.read()).toMatchObject({ halted: true, reasons: ["manual: bad morning"], changedBy: "u1" });
    expect(JSON.parse((await env.STATE.get(KV_KEYS.breakerMirror)) ?? "null")).toMatchObject({ halted: true });
    const resumed = await breakers.resume("u2", T0 + 1);
    expect(resumed).toMatchObject({ halted: false, version: 2 });
    expect((await breakers.events()).map((e) => e.kind)).toEqual(["reset", "trip"]);
    expect(await breakers.readMirror()).toMatchObject({ halted: false, version: 2 });
  });

  it("treats a mirror that is not a breaker snapshot as unreadable", async () => {
    await env.STATE.put(KV_KEYS.breakerMirror, JSON.stringify({ hello: 1 }));
    await expect(breakerStore(db, env.STATE).readMirror()).rejects.toThrow(/not a breaker snapshot/);
  });
});

describe("job runs", () => {
  it("lets one firing claim a slot and the repeat do nothing", async () => {
    const runs = jobRunStore(db);
    const first = await runs.claim("scan", "scan:2027-01-15T10:00", T0, T0);
    const second = await runs.claim("scan", "scan:2027-01-15T10:00", T0, T0 + 1000);
    expect(first).toBeTypeOf("number");
    expect(second).toBeNull();
  });

  it("lets a failed slot be claimed again so its work is not lost", async () => {
    const runs = jobRunStore(db);
    const id = await runs.claim("eod", "eod:2027-01-15T16:15", T0, T0);
    if (id === null) throw new Error("claim failed");
    await runs.finish(id, "failed", T0 + 10, "boom", null);
    expect(await runs.claim("eod", "eod:2027-01-15T16:15", T0, T0 + 60_000)).toBe(id);
    await runs.finish(id, "ran", T0 + 70_000, null, { posted: 1 });
    expect(await runs.lastOf("eod")).toMatchObject({ outcome: "ran", summary: { posted: 1 } });
  });
});

describe("audit log", () => {
  it("keeps who decided what and the prices seen", async () => {
    const audit = auditStore(db);
    await audit.record({
      at: T0,
      actor: "u1",
      action: "approve",
      recommendationId: "r-audit",
      outcome: "claimed",
      detail: { underlying: 600.1, credit: 1.2 },
    });
    const rows = await audit.forRecommendation("r-audit");
    expect(rows).toEqual([
      expect.objectContaining({ actor: "u1", action: "approve", detail: { underlying: 600.1, credit: 1.2 } }),
    ]);
  });
});

describe("performance and playbook", () => {
  it("writes a trading day once and keeps the playbook", async () => {
    const perf = performanceStore(db);
    const day = {
      tradingDay: "2027-01-15",
      realizedPl: 120,
      unrealizedPl: -30,
      totalRealizedPl: 120,
      tradesOpened: 1,
      tradesClosed: 1,
      wins: 1,
      losses: 0,
      openPositions: 1,
      openRisk: 760,
      equity: 100_000,
      recommendationsPosted: 3,
      recommendationsApproved: 1,
      recommendationsRejected: 1,
      recommendationsExpired: 1,
      breakerHalted: false,
      summaryMessageId: null,
      createdAt: T0,
    };
    expect(await perf.recordDay(day)).toBe(true);
    expect(await perf.recordDay({ ...day, realizedPl: 999 })).toBe(false);
    expect(await perf.day("2027-01-15")).toMatchObject({ realizedPl: 120 });
    await perf.addPlaybook({
      tradingDay: "2027-01-15",
      kind: "reflection",
      author: "rules",
      content: "Calm day.",
      createdAt: T0,
    });
    expect((await perf.recentPlaybook()).map((p) => p.content)).toEqual(["Calm day."]);
  });
});

describe("IV history and archive", () => {
  it("keeps the first IV of a day and returns newest first", async () => {
    const iv = ivHistoryStore(db);
    await iv.record("QQQ", "2027-01-14", 0.2);
    await iv.record("QQQ", "2027-01-15", 0.22);
    await iv.record("QQQ", "2027-01-15", 0.5);
    expect(await iv.history("QQQ")).toEqual([0.22, 0.2]);
  });

  it("reads the newest days of several symbols at once, newest first, and no more than asked", async () => {
    const iv = ivHistoryStore(db);
    await iv.recordMany("2027-02-01", [
      { symbol: "IWM", iv: 0.3 },
      { symbol: "DIA", iv: 0.1 },
    ]);
    await iv.recordMany("2027-02-02", [
      { symbol: "IWM", iv: 0.31 },
      { symbol: "DIA", iv: 0.11 },
    ]);
    await iv.recordMany("2027-02-03", [{ symbol: "IWM", iv: 0.32 }]);
    // A day recorded late (a backfill) still takes its place by date, not by when it was written.
    await iv.recordMany("2027-01-29", [{ symbol: "DIA", iv: 0.09 }]);
    const book = scanBookStore(db);
    const many = (await book.open(["IWM", "DIA", "XLE"], 2, T0)).ivHistories;
    expect(Object.fromEntries(many)).toEqual({ IWM: [0.32, 0.31], DIA: [0.11, 0.1] });
    expect(Object.fromEntries((await book.open(["DIA"], 5, T0)).ivHistories)).toEqual({
      DIA: [0.11, 0.1, 0.09],
    });
  });

  it("records a day's IVs in statements D1 accepts, keeping a day's first IV", async () => {
    const iv = ivHistoryStore(db);
    // More rows than one statement may bind (D1: 100 parameters, 3 a row), though a watchlist has 25 at most.
    const symbols = Array.from({ length: 40 }, (_, i) => `S${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`);
    await iv.recordMany("2027-03-01", [{ symbol: "SA0", iv: 0.9 }]);
    await iv.recordMany(
      "2027-03-01",
      symbols.map((symbol, i) => ({ symbol, iv: (10 + i) / 100 })),
    );
    const histories = (await scanBookStore(db).open(symbols, 5, T0)).ivHistories;
    expect(histories.size).toBe(40);
    expect(histories.get("SA0")).toEqual([0.9]);
    expect(histories.get("SN1")).toEqual([0.49]);
  });

  it("archives JSON to R2 and reads it back", async () => {
    const archive = archiveStore(env.ARCHIVE);
    await archive.put("scans/2027-01-15/scan-1.json", { posted: 2 });
    expect(await archive.get("scans/2027-01-15/scan-1.json")).toEqual({ posted: 2 });
    expect(await archive.list("scans/2027-01-15/")).toEqual(["scans/2027-01-15/scan-1.json"]);
  });
});
