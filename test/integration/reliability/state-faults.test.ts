// The breaker's two stores disagreeing or broken: D1 holds the truth, KV a mirror that may be
// stale or unreadable. An approval checks both and fails closed, with a reason a trader can read.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { claimApproval, placeApprovedOrder } from "../../../src/actions/approve";
import { createApp } from "../../../src/app";
import { sandboxWorld } from "../../../src/sandbox/outside";
import { breakerStore } from "../../../src/store/breakers";
import { database } from "../../../src/store/db";
import { KV_KEYS } from "../../../src/store/kv-state";
import {
  ALLOWED_USER,
  click,
  command,
  messageById,
  monitorAfter,
  openingOrdersFor as ordersFor,
  storedRecommendation as rec,
  resetWorld,
  sandboxNow,
  scanAndPick,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);

beforeEach(resetWorld);

describe("breaker state faults", () => {
  it("refuses an approval, placing nothing, when the KV breaker mirror is not JSON or not a breaker snapshot", async () => {
    for (const [symbol, garbage] of [
      ["SPY", "<html>502 Bad Gateway</html>"],
      ["QQQ", JSON.stringify({ halted: "no", reasons: 3 })],
    ] as const) {
      const { message, approve, recId } = await scanAndPick(symbol);
      await env.STATE.put(KV_KEYS.breakerMirror, garbage);
      await click(message.id, approve.custom_id);

      expect(await rec(recId)).toMatchObject({
        status: "refused",
        statusReason: expect.stringMatching(/circuit-breaker state could not be read/),
      });
      expect(textOf(await messageById(message.id))).toMatch(/Refused — no order was sent[\s\S]*circuit-breaker/);
      expect(await ordersFor(recId)).toHaveLength(0);
    }
  });

  it("refuses an approval when D1 says halted while the KV mirror still says trading is on", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const now = await sandboxNow();
    await breakerStore(db, env.STATE).halt(["manual: halted in D1 only"], "manual", "100000000000000003", now);
    // The mirror as another location may still see it: not halted.
    await env.STATE.put(
      KV_KEYS.breakerMirror,
      JSON.stringify({ halted: false, reasons: [], source: null, changedBy: null, changedAt: null, version: 0 }),
    );
    expect(await breakerStore(db, env.STATE).readMirror()).toMatchObject({ halted: false });

    const answer = await click(message.id, approve.custom_id);

    // The claim reads D1's breaker: refused at the click, the entry still pending.
    expect(answer.response.data?.content).toMatch(/^Trading is halted: manual: halted in D1 only\./);
    expect((await rec(recId))?.status).toBe("pending");
    expect(await ordersFor(recId)).toHaveLength(0);
  });

  it("refuses at the recheck a halt that lands after the claim: the order is never placed", async () => {
    const { recId } = await scanAndPick("SPY");
    const app = createApp(env, await sandboxWorld(env));
    const rec = await app.recommendations.get(recId);
    if (!rec) throw new Error("no SPY idea");

    const claim = await claimApproval(
      app,
      recId,
      rec.contracts,
      ALLOWED_USER,
      "interaction-before-halt",
      app.clock.now(),
    );
    if (!claim.ok) throw new Error(claim.message);
    // The halt comes between the claim (the click's answer) and the order (after it).
    await breakerStore(db, env.STATE).halt(["manual: right after the click"], "manual", ALLOWED_USER, app.clock.now());
    const after = await placeApprovedOrder(app, claim.rec, ALLOWED_USER, app.clock.now);

    expect(after.status).toBe("refused");
    expect(after.statusReason).toMatch(/halted: manual: right after the click/);
    expect(await ordersFor(recId)).toHaveLength(0);
  });

  it("a /resume whose KV mirror write fails still resumes: answered, audited, and the next approval trades (mirror repaired)", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await command("halt", { reason: "lunch" });
    const resumed = await withFailingKvWrites(() => command("resume"));
    expect(resumed.response.data?.embeds?.[0]?.title).toMatch(/Trading resumed/);
    // No loss past the daily limit: nothing to warn of.
    expect(resumed.response.data?.embeds?.[0]?.description).not.toContain("halts trading again");
    expect((await breakerStore(db, env.STATE).read()).halted).toBe(false);
    expect(await breakerStore(db, env.STATE).readMirror()).toMatchObject({ halted: true }); // the failed write
    const audit = await db.query.auditLog.findMany();
    expect(audit.map((a) => a.action)).toContain("resume");

    await click(message.id, approve.custom_id);
    expect((await rec(recId))?.status).toBe("filled");
    expect(await breakerStore(db, env.STATE).readMirror()).toMatchObject({ halted: false });
  });

  it("a /halt whose KV mirror write fails still halts: answered, audited, entries refused, the monitor repairs the mirror", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const halted = await withFailingKvWrites(() => command("halt", { reason: "news" }));
    expect(halted.response.data?.embeds?.[0]?.title).toMatch(/halted/i);
    expect((await db.query.auditLog.findMany()).map((a) => a.action)).toContain("halt");
    expect(await breakerStore(db, env.STATE).readMirror()).toBeNull();

    const answer = await click(message.id, approve.custom_id);
    expect(answer.response.data?.content).toMatch(/^Trading is halted: manual: news\./);
    expect((await rec(recId))?.status).toBe("pending");
    await monitorAfter(5);
    expect(await breakerStore(db, env.STATE).readMirror()).toMatchObject({ halted: true });
  });
});

/** Runs `work` while every KV write of the sandbox worker fails, as a KV outage would. */
async function withFailingKvWrites<T>(work: () => Promise<T>): Promise<T> {
  const put = env.STATE.put;
  env.STATE.put = async () => {
    throw new Error("KV PUT failed: 503 Service Unavailable");
  };
  try {
    return await work();
  } finally {
    env.STATE.put = put;
  }
}
