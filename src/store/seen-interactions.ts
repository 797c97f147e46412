// Replay refusal: each interaction id is acted on once. The insert is the claim (a second insert
// of the same id changes no row); the same batch prunes ids older than a day, far past the
// endpoint's 5-minute timestamp window, so the table stays small without a separate job.
import { lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { seenInteractions } from "../../drizzle/schema";

export const SEEN_RETENTION_MS = 24 * 60 * 60 * 1000;

/** "first" when this call recorded the id; "replay" when it was already there. `now` is epoch ms. */
export async function recordInteraction(d1: D1Database, id: string, now: number): Promise<"first" | "replay"> {
  const db = drizzle(d1);
  const [inserted] = await db.batch([
    db
      .insert(seenInteractions)
      .values({ id, seenAt: now })
      .onConflictDoNothing()
      .returning({ id: seenInteractions.id }),
    db.delete(seenInteractions).where(lt(seenInteractions.seenAt, now - SEEN_RETENTION_MS)),
  ]);
  return inserted.length === 1 ? "first" : "replay";
}
