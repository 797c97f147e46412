import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditStore } from "../../../src/store/audit";
import { breakerStore } from "../../../src/store/breakers";
import { database } from "../../../src/store/db";
import { recommendationStore } from "../../../src/store/recommendations";
import { aRecommendation, T0 } from "../../support/builders";

const db = database(env.DB);
const store = recommendationStore(db);
/** Limits no test here comes near: these tests are about the claim itself. */
const ROOM = { maxOpenPositions: 100, maxTotalRiskPct: 1 };

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

  it("refuses every claim while the breaker is halted: 'halted' on an open entry, even over a limit; 'not_claimed' once expired", async () => {
    const open = aRecommendation();
    const expired = aRecommendation();
    await store.insert([open, expired]);
    const breakers = breakerStore(db, env.STATE);
    await breakers.halt(["manual: test"], "manual", "u", T0);
    const audited = (id: string) => ({ at: T0 + 1000, actor: "u", action: "approve" as const, recommendationId: id });
    try {
      const roomy = await store.claimForApprovalAudited(open.id, "u", 2, T0 + 1000, ROOM, audited(open.id));
      const full = { maxOpenPositions: 0, maxTotalRiskPct: 1 };
      const tight = await store.claimForApprovalAudited(open.id, "u", 2, T0 + 1000, full, audited(open.id));
      const late = await store.claimForApprovalAudited(
        expired.id,
        "u",
        2,
        expired.expiresAt,
        ROOM,
        audited(expired.id),
      );

      expect(roomy).toMatchObject({ outcome: "halted", claimed: false, haltReasons: ["manual: test"] });
      expect(tight.outcome).toBe("halted");
      expect(late).toMatchObject({ outcome: "not_claimed", claimed: false });
      expect((await auditStore(db).forRecommendation(open.id)).map((a) => a.outcome)).toEqual(["halted", "halted"]);
      expect((await auditStore(db).forRecommendation(expired.id)).map((a) => a.outcome)).toEqual(["not_claimed"]);
      expect((await store.get(open.id))?.status).toBe("pending");
    } finally {
      await breakers.resume("u", T0 + 2000); // the breaker is the file's, not this test's
    }
    expect((await store.claimForApprovalAudited(open.id, "u", 2, T0 + 3000, ROOM, audited(open.id))).outcome).toBe(
      "claimed",
    );
  });

  it("refuses to claim a recommendation that has expired", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    expect(await store.claimForApproval(rec.id, "u", 2, rec.expiresAt, ROOM)).toBe(false);
    expect((await store.get(rec.id))?.status).toBe("pending");
  });

  it("changes no row for a move the state machine does not list, and one row for a move it does", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    const before = await store.get(rec.id);
    // pending → submitted and pending → filled skip the claim: the table has no such move.
    expect(await store.transition(rec.id, "submitted", T0 + 5, { brokerOrderId: "o-1" })).toBe(false);
    expect(await store.transition(rec.id, "filled", T0 + 5, { statusReason: "nope" })).toBe(false);
    expect(await store.get(rec.id)).toEqual(before);
    expect(await store.transition(rec.id, "rejected", T0 + 6, { decidedBy: "u1" })).toBe(true);
    expect(await store.get(rec.id)).toMatchObject({ status: "rejected", decidedBy: "u1", updatedAt: T0 + 6 });
    // Terminal: nothing leaves rejected, not even to a status a live row could reach.
    const rejected = await store.get(rec.id);
    for (const to of ["submitted", "filled", "failed", "refused", "expired"] as const)
      expect(await store.transition(rec.id, to, T0 + 7)).toBe(false);
    expect(await store.get(rec.id)).toEqual(rejected);
  });

  it("moves a claimed recommendation only where the table leads, and a narrowed move only from the statuses named", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    expect(await store.claimForApproval(rec.id, "u1", 2, T0 + 1000, ROOM)).toBe(true);
    expect(await store.transition(rec.id, "rejected", T0 + 1001)).toBe(false); // a decided idea
    // expired is legal from submitted, but this caller narrowed to it: an approving row stays.
    expect(await store.transition(rec.id, "expired", T0 + 1001, {}, ["submitted"])).toBe(false);
    expect((await store.get(rec.id))?.status).toBe("approving");
    expect(await store.transition(rec.id, "submitted", T0 + 1002, { brokerOrderId: "o-1" })).toBe(true);
    expect(await store.transition(rec.id, "expired", T0 + 1003, {}, ["submitted"])).toBe(true);
    expect(await store.get(rec.id)).toMatchObject({ status: "expired", brokerOrderId: "o-1" });
  });

  it("notes a reason on a row only while it is in the status named, and never moves it", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    expect(await store.noteStatus(rec.id, "approving", T0 + 1, { statusReason: "checking" })).toBe(false);
    expect(await store.get(rec.id)).toMatchObject({ status: "pending", statusReason: null });
    await store.claimForApproval(rec.id, "u1", 2, T0 + 1000, ROOM);
    expect(await store.noteStatus(rec.id, "approving", T0 + 1001, { statusReason: "checking" })).toBe(true);
    expect(await store.get(rec.id)).toMatchObject({
      status: "approving",
      statusReason: "checking",
      updatedAt: T0 + 1001,
    });
  });

  it("types out a move to approving (the claim's alone), to pending, or a narrowing the table lacks", () => {
    // Compiled, never run: each line is a type error the typecheck insists on.
    const illegal = (id: string) => [
      // @ts-expect-error approving is entered only by claimForApproval
      store.transition(id, "approving", T0),
      // @ts-expect-error no move leads to pending
      store.transition(id, "pending", T0),
      // @ts-expect-error expired is never entered from approving: narrowing cannot widen
      store.transition(id, "expired", T0, {}, ["approving"]),
      // @ts-expect-error a filled row has nothing left to note
      store.noteStatus(id, "filled", T0, { statusReason: "x" }),
    ];
    expect(illegal).toBeTypeOf("function");
  });

  it("refuses a status the state machine does not have (the CHECK constraint is built from it)", async () => {
    const rec = aRecommendation();
    await store.insert([rec]);
    await expect(
      env.DB.prepare("update recommendations set status = 'blocked' where id = ?").bind(rec.id).run(),
    ).rejects.toThrow(/CHECK constraint failed/);
    expect((await store.get(rec.id))?.status).toBe("pending");
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

  it("stores a scan's ideas in one round trip, skipping a symbol that already has a live idea", async () => {
    const live = aRecommendation();
    await store.insert([live]);
    const again = aRecommendation({ symbol: live.symbol });
    const other = aRecommendation();
    const stored = await store.insert([again, other]);
    expect(stored.map((r) => r.id)).toEqual([other.id]);
    expect(await store.get(again.id)).toBeUndefined();
    // Once the live idea is decided, its symbol may have a new one.
    await store.transition(live.id, "rejected", T0 + 1000);
    expect((await store.insert([again])).map((r) => r.id)).toEqual([again.id]);
  });

  it("refuses a batch of ideas whole when one reuses a client order id: a bug, not a race", async () => {
    const first = aRecommendation();
    await store.insert([first]);
    const fine = aRecommendation();
    const clash = aRecommendation({ clientOrderId: first.clientOrderId });
    await expect(store.insert([fine, clash])).rejects.toThrow(
      /UNIQUE constraint failed: recommendations\.client_order_id/,
    );
    expect(await store.get(fine.id)).toBeUndefined();
  });
});
