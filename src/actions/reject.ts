// Reject: a person says no. Only a pending recommendation can be rejected; the audit log keeps
// who, when and the prices they were shown.
import type { RecommendationRow } from "../../drizzle/schema";
import type { App } from "../app";
import { alreadyHandled, clickedOnItsMessage, NOT_ITS_MESSAGE } from "./approve";

export type RejectResult = { ok: true; rec: RecommendationRow } | { ok: false; message: string };

export async function rejectRecommendation(
  app: App,
  recId: string,
  userId: string,
  interactionId: string,
  now: number,
  messageId: string | null = null,
): Promise<RejectResult> {
  const rec = await app.recommendations.get(recId);
  if (!rec) return { ok: false, message: "This recommendation does not exist (any more). Nothing was done." };
  if (!clickedOnItsMessage(rec, messageId)) return { ok: false, message: NOT_ITS_MESSAGE };
  const changed = await app.recommendations.transition(rec.id, "rejected", now, {
    decidedBy: userId,
    decidedAt: now,
    statusReason: null,
  });
  const after = (await app.recommendations.get(rec.id)) ?? rec;
  await app.audit.record({
    at: now,
    actor: userId,
    action: "reject",
    recommendationId: rec.id,
    interactionId,
    outcome: changed ? "rejected" : "not_pending",
    detail: { status: after.status, seenUnderlying: rec.underlyingPrice, seenCredit: rec.credit },
  });
  return changed ? { ok: true, rec: after } : { ok: false, message: alreadyHandled(after, now) };
}
