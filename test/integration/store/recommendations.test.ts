import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditStore } from "../../../src/store/audit";
import { database } from "../../../src/store/db";
import { recommendationStore } from "../../../src/store/recommendations";
import { aRecommendation, T0 } from "../../support/builders";

const db = database(env.DB);
const store = recommendationStore(db);
/** Limits no test here comes near: these tests are about the claim itself. */
const ROOM = { maxOpenPositions: 100, maxTotalRiskPct: 1, equity: null };

describe("recommendations in D1", () => {
  it("stores a recommendation and reads it back with its prices, risks and status", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    const row = await store.get(rec.id);
    expect(row).toMatchObject({ id: rec.id, status: "pending", credit: 1.2, underlyingPrice: 600, risks: rec.risks });
  });

  it("lets exactly one of ten simultaneous approvals claim a pending recommendation", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.claimForApproval(rec.id, `user${i}`, 2, T0 + 1000, ROOM)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await store.get(rec.id))?.status).toBe("approving");
  });

  it("audits every claim attempt in the same atomic batch: one claimed, the rest not", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    const attempts = await Promise.all(
      ["u1", "u2", "u3", "u4", "u5"].map((user) =>
        store.claimForApprovalAudited(rec.id, user, 2, T0 + 1000, ROOM, {
          at: T0 + 1000,
          actor: user,
          action: "approve",
          recommendationId: rec.id,
          detail: { seenCredit: rec.credit },
        }),
      ),
    );
    expect(attempts.filter((a) => a.claimed)).toHaveLength(1);
    expect(attempts.every((a) => a.row?.status === "approving")).toBe(true);
    const audit = await auditStore(db).forRecommendation(rec.id);
    expect(audit.map((a) => a.outcome).sort()).toEqual([
      "claimed",
      "not_claimed",
      "not_claimed",
      "not_claimed",
      "not_claimed",
    ]);
    const winner = attempts.find((a) => a.claimed)?.row?.decidedBy;
    expect(audit.find((a) => a.outcome === "claimed")?.actor).toBe(winner);
  });

  it("refuses to claim a recommendation that has expired", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    expect(await store.claimForApproval(rec.id, "u", 2, rec.expiresAt, ROOM)).toBe(false);
    expect((await store.get(rec.id))?.status).toBe("pending");
  });

  it("only moves a recommendation out of the statuses named", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    expect(await store.transition(rec.id, ["approving"], "submitted", T0)).toBe(false);
    expect(await store.transition(rec.id, ["pending"], "rejected", T0, { decidedBy: "u1" })).toBe(true);
    expect(await store.get(rec.id)).toMatchObject({ status: "rejected", decidedBy: "u1" });
  });

  it("expires the pending recommendations whose time is up and reports them", async () => {
    const due = aRecommendation({ expiresAt: T0 + 60_000 });
    const later = aRecommendation({ expiresAt: T0 + 3_600_000 });
    await store.insert([due, later]);
    const expired = await store.expireDue(T0 + 120_000);
    expect(expired.map((r) => r.id)).toContain(due.id);
    expect(expired.map((r) => r.id)).not.toContain(later.id);
    expect((await store.get(later.id))?.status).toBe("pending");
  });

  it("keeps the Discord message id of the posted embed", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    await store.setMessages([{ id: rec.id, messageId: "msg-1" }], "chan", T0);
    expect(await store.get(rec.id)).toMatchObject({ discordChannelId: "chan", discordMessageId: "msg-1" });
  });

  it.each([
    ["a credit wider than the spread", { credit: 6 }],
    ["zero contracts", { contracts: 0 }],
    ["more contracts than the maximum", { contracts: 9, maxContracts: 5 }],
    ["an expiry before creation", { expiresAt: T0 - 1 }],
  ])("the database refuses %s", async (_case, overrides) => {
    await expect(store.insert([aRecommendation(overrides)])).rejects.toThrow(/CHECK constraint failed/);
  });

  it("the database refuses an unknown status", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    await expect(
      env.DB.prepare("UPDATE recommendations SET status = 'yolo' WHERE id = ?").bind(rec.id).run(),
    ).rejects.toThrow(/CHECK constraint failed/);
  });

  it("the database refuses a second recommendation with the same client order id", async () => {
    const first = aRecommendation();
    await store.insert([first]);
    await expect(store.insert([aRecommendation({ clientOrderId: first.clientOrderId })])).rejects.toThrow(/UNIQUE/);
  });
});
