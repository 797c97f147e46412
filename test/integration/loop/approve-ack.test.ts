// The Approve click's first response under load: one D1 round trip and nothing else before it (the
// replay refusal, the claim with the equity its limits need, and its audit row in one atomic
// batch), and a replay inside that batch acts on nothing.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { seenInteractions } from "../../../drizzle/schema";
import { ALREADY_HANDLED, createInteractionHandler } from "../../../src/discord/endpoint";
import { tradingHandlers } from "../../../src/discord/handlers";
import { auditStore } from "../../../src/store/audit";
import { database } from "../../../src/store/db";
import { recommendationStore } from "../../../src/store/recommendations";
import { seenInteractionStore } from "../../../src/store/seen-interactions";
import { interactionRoot } from "../../../src/worker";
import { aRecommendation, T0 } from "../../support/builders";
import { countingWorld } from "../../support/counting-env";
import { click as clickBody } from "../../support/discord-interactions";
import {
  ALLOWED_USER,
  openingOrdersFor as ordersFor,
  storedRecommendation as rec,
  resetWorld,
  scanAndPick,
} from "../../support/sandbox-driver";
import { signedRequest } from "../../support/sign";
import { deliver, signedClick } from "../reliability/edge";

const db = database(env.DB);
const store = recommendationStore(db);
const audit = auditStore(db);
const ROOM = { maxOpenPositions: 100, maxTotalRiskPct: 1 };
const approveAudit = (recommendationId: string, interactionId: string) => ({
  at: T0 + 1000,
  actor: "u1",
  action: "approve" as const,
  recommendationId,
  interactionId,
});

beforeEach(resetWorld);

describe("Approve ACK", () => {
  it("answers a click after one D1 round trip and nothing else; the order is placed after the answer", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const world = await countingWorld();
    const built = clickBody(approve.custom_id, { userId: ALLOWED_USER });
    const request = await signedRequest({ ...built, message: { ...built.message, id: message.id } });
    const ctx = createExecutionContext();

    const response = await createInteractionHandler(tradingHandlers())(
      request,
      ctx,
      interactionRoot(world.env, "sandbox", () => world.outside),
    );
    const beforeAnswer = { ...world.counts };
    await waitOnExecutionContext(ctx);

    expect((await response.json<{ type: number }>()).type).toBe(7);
    expect(beforeAnswer).toEqual({ d1: 1, kv: 0, fetch: 0, r2: 0, refused: 0 });
    expect(await ordersFor(recId)).toHaveLength(1);
    expect((await rec(recId))?.status).toBe("filled");
    const rows = await db.select().from(seenInteractions).where(eq(seenInteractions.id, built.id));
    expect(rows).toHaveLength(1);
  });

  it("acts once when the same signed Approve arrives twice at the same moment", async () => {
    const { message, approve, recId } = await scanAndPick("QQQ");
    const captured = await signedClick(message, approve.custom_id, ALLOWED_USER);

    const answers = await Promise.all([deliver(captured), deliver(captured)]);

    expect(answers.map((a) => a.answer?.type).sort()).toEqual([4, 7]);
    expect(answers.find((a) => a.answer?.type === 4)?.answer?.data?.content).toBe(ALREADY_HANDLED);
    expect(await ordersFor(recId)).toHaveLength(1);
    const approvals = (await audit.forRecommendation(recId)).filter((a) => a.action === "approve");
    expect(approvals.map((a) => a.outcome)).toEqual(["claimed"]);
  });
});

describe("the claim's batch", () => {
  /** An Approve click's claim, as the button makes it: user u1, the click's audit row and its interaction id. */
  const clickClaim = (recId: string, interactionId: string, click: { contracts?: number; messageId?: string } = {}) =>
    store.claimForApprovalAudited(
      recId,
      "u1",
      click.contracts ?? 2,
      T0 + 1000,
      ROOM,
      approveAudit(recId, interactionId),
      { seen: { interactionId, seenAt: Date.now() }, ...(click.messageId ? { messageId: click.messageId } : {}) },
    );

  it("claims nothing and audits nothing for a replayed interaction, though the recommendation is pending", async () => {
    const pending = aRecommendation();
    await store.insert([pending]);
    // The first delivery was seen (and, say, refused while no room was left): its replay must not act now.
    await seenInteractionStore(db).record("interaction-1", Date.now());

    const replay = await clickClaim(pending.id, "interaction-1");

    expect(replay).toMatchObject({ outcome: "replay", claimed: false });
    expect((await store.get(pending.id))?.status).toBe("pending");
    expect(await audit.forRecommendation(pending.id)).toEqual([]);

    const fresh = await clickClaim(pending.id, "interaction-2");
    expect(fresh).toMatchObject({ outcome: "claimed", claimed: true, row: { status: "approving", decidedBy: "u1" } });
    const rows = await audit.forRecommendation(pending.id);
    expect(rows.map((a) => a.outcome)).toEqual(["claimed"]);
    expect(rows[0]?.detail).toMatchObject({
      contracts: 2,
      seenCredit: pending.credit,
      seenUnderlying: pending.underlyingPrice,
      expiresAt: pending.expiresAt,
      limits: { maxOpenPositions: 100, openPositions: 0, inFlightEntries: 0 },
    });
  });

  it("claims and audits nothing for a button on another message or a size the row does not offer, and records the click", async () => {
    const posted = { ...aRecommendation(), discordMessageId: "message-1" };
    await store.insert([posted]);

    const elsewhere = await clickClaim(posted.id, "interaction-3", { messageId: "message-2" });
    const tooMany = await clickClaim(posted.id, "interaction-4", {
      contracts: posted.maxContracts + 1,
      messageId: "message-1",
    });

    expect([elsewhere.claimed, tooMany.claimed]).toEqual([false, false]);
    expect((await store.get(posted.id))?.status).toBe("pending");
    expect(await audit.forRecommendation(posted.id)).toEqual([]);
    expect(await seenInteractionStore(db).record("interaction-3", Date.now())).toBe("replay");
    expect(await seenInteractionStore(db).record("interaction-4", Date.now())).toBe("replay");
  });
});
