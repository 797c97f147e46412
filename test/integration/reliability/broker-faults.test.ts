// Alpaca failing under the bot, simulated at its HTTP edge behind the real SDK: 5xx and 429 while
// scanning, a 5xx or a lost answer on the order POST, a lookup that fails too, a monitor whose
// quotes are down. Nothing is lost, no order is doubled, and the channel shows where things stand.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { database } from "../../../src/store/db";
import { jobRunStore } from "../../../src/store/job-runs";
import * as alpaca from "../../support/alpaca-sim";
import {
  channelTexts,
  click,
  fire,
  messageById,
  openingOrdersFor as ordersFor,
  storedRecommendation as rec,
  recommendationMessages,
  resetWorld,
  SANDBOX_WATCHLIST,
  SCAN_SLOT,
  scanAndPick,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);
const MONITOR_AT = SCAN_SLOT + 30 * 60_000;
/** Time passing for an approval in flight: the monitor leaves it alone for its first 2 minutes. */
const ageApproval = (recId: string) =>
  env.DB.prepare("UPDATE recommendations SET decided_at = decided_at - 180000 WHERE id = ?").bind(recId).run();
const scanRun = () => jobRunStore(db).lastOf("scan");

interface ScanSummary {
  posted: { symbol: string }[];
  skipped: { symbol: string; reason: string }[];
}

beforeEach(resetWorld);

describe("broker faults", () => {
  it("skips the symbol whose chain answers 5xx through every retry, posts the others, and records the run", async () => {
    // SPY's chain, whole or by side (a put and a call request), each request through the SDK's two retries.
    await alpaca.setFaults({ fail_next: { count: 6, status: 503, path_prefix: "/v1beta1/options/snapshots/SPY" } });
    await fire("scan", SCAN_SLOT);

    const run = await scanRun();
    expect(run?.outcome).toBe("ran");
    const summary = run?.summary as unknown as ScanSummary;
    expect(summary.posted).toHaveLength(SANDBOX_WATCHLIST.length - 1);
    const failed = summary.skipped.filter((s) => /data unavailable/.test(s.reason));
    expect(failed).toHaveLength(1);
    expect(failed[0]?.symbol).toBe("SPY");
    expect(failed[0]?.reason).toMatch(/Alpaca is having trouble.*HTTP 503/);
    expect(summary.posted.map((p) => p.symbol)).not.toContain(failed[0]?.symbol);
    expect(await recommendationMessages()).toHaveLength(SANDBOX_WATCHLIST.length - 1);
  });

  it("waits out 429s on the chain (Retry-After) and still posts every symbol", async () => {
    await alpaca.setFaults({
      fail_next: { count: 2, status: 429, retry_after: 0, path_prefix: "/v1beta1/options/snapshots/" },
    });
    await fire("scan", SCAN_SLOT);

    const asks = (await alpaca.chainRequests()).map((r) => `${r.symbol}?${r.query}`);
    // Each 429 was waited out and the same page asked again.
    expect(asks.length - new Set(asks).size).toBe(2);
    expect((await scanRun())?.outcome).toBe("ran");
    expect(await recommendationMessages()).toHaveLength(SANDBOX_WATCHLIST.length);
  });

  it("on a 5xx to the order POST shows the order as unknown, never resends, and the monitor settles it as not placed", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setFaults({ fail_next: { count: 1, status: 500, method: "POST", path_prefix: "/v2/orders" } });
    await click(message.id, approve.custom_id);

    expect(await rec(recId)).toMatchObject({ status: "approving", statusReason: expect.stringMatching(/unknown/) });
    expect(textOf(await messageById(message.id))).toMatch(/unknown/i);
    const again = await click(message.id, approve.custom_id);
    expect(again.response.data?.content).toMatch(/Already approved/);
    expect(await ordersFor(recId)).toHaveLength(0);
    const posts = (await alpaca.requests()).filter((r) => r.method === "POST" && r.path === "/v2/orders");
    expect(posts).toHaveLength(1);

    await ageApproval(recId);
    await fire("monitor", MONITOR_AT);
    expect(await rec(recId)).toMatchObject({
      status: "failed",
      statusReason: expect.stringMatching(/No order reached Alpaca/),
    });
    expect(textOf(await messageById(message.id))).toMatch(/No order reached Alpaca/);
    expect(await ordersFor(recId)).toHaveLength(0);
  });

  it("when the order's answer is lost and the lookup fails too, keeps one order, says so, and settles it later", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await alpaca.setFaults({
      lose_next_order_response: true,
      fail_next: { count: 3, status: 503, method: "GET", path_prefix: "/v2/orders:by_client_order_id" },
    });
    await click(message.id, approve.custom_id);

    expect(await rec(recId)).toMatchObject({ status: "approving", statusReason: expect.stringMatching(/unknown/) });
    expect(textOf(await messageById(message.id))).toMatch(/unknown/i);
    await click(message.id, approve.custom_id);
    expect(await ordersFor(recId)).toHaveLength(1);

    await ageApproval(recId);
    await fire("monitor", MONITOR_AT);
    expect((await rec(recId))?.status).toBe("filled");
    expect(textOf(await messageById(message.id))).toMatch(/Filled/);
    expect(await ordersFor(recId)).toHaveLength(1);
  });

  it("keeps monitoring when option quotes answer 5xx: the run is recorded and the other steps still run", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id);
    // The other recommendations are past their expiry: the monitor's first step expires them.
    await env.DB.prepare("UPDATE recommendations SET expires_at = created_at + 1 WHERE id != ?").bind(recId).run();
    await alpaca.setFaults({ fail_next: { count: 3, status: 503, path_prefix: "/v1beta1/options/snapshots" } });

    await fire("monitor", MONITOR_AT);

    const run = await jobRunStore(db).lastOf("monitor");
    expect(run?.outcome).toBe("ran");
    const report = run?.summary as { expired: number; marked: number; errors: string[] };
    expect(report.errors).toEqual([expect.stringMatching(/^mark: .*HTTP 503/)]);
    expect(report.expired).toBe(SANDBOX_WATCHLIST.length - 1);
    expect(report.marked).toBe(0);
  });

  it("keeps monitoring when the account answers 5xx: the marks are written and only the breakers step fails", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id);
    expect((await rec(recId))?.status).toBe("filled");
    await alpaca.setFaults({ fail_next: { count: 3, status: 503, path_prefix: "/v2/account" } });

    await fire("monitor", MONITOR_AT);

    const run = await jobRunStore(db).lastOf("monitor");
    expect(run?.outcome).toBe("ran");
    const report = run?.summary as { marked: number; errors: string[]; breakerTripped: string[] };
    expect(report.errors).toEqual([expect.stringMatching(/^breakers: .*HTTP 503/)]);
    expect(report.marked).toBe(1);
    expect(report.breakerTripped).toEqual([]);
  });

  it("records a scan whose market calendar cannot be read, and does not crash the scheduled handler", async () => {
    await alpaca.setFaults({ fail_next: { count: 3, status: 503, path_prefix: "/v2/calendar" } });
    await fire("scan", SCAN_SLOT);

    const run = await scanRun();
    expect(run).toMatchObject({ outcome: "failed", reason: expect.stringMatching(/calendar.*HTTP 503/) });
    expect(await recommendationMessages()).toHaveLength(0);
    const notices = (await channelTexts()).filter((t) => t.includes("scan job failed"));
    expect(notices).toEqual([expect.stringMatching(/calendar.*HTTP 503/)]);

    // The next firing of the same slot, once Alpaca is back, does the work.
    await fire("scan", SCAN_SLOT);
    expect((await scanRun())?.outcome).toBe("ran");
    expect(await recommendationMessages()).toHaveLength(SANDBOX_WATCHLIST.length);
  });
});
