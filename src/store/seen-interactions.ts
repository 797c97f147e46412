// Replay refusal: each interaction id is acted on once. The insert is the claim (a second insert
// of the same id changes no row); the same batch prunes ids older than a day, far past the
// endpoint's 5-minute timestamp window, so the table stays small without a separate job.
// The statements are also exported for a claim that records the id in its own batch (the Approve
// claim, store/recommendations.ts): the id and the claim then commit together, in one round trip.
import { lt, sql } from "drizzle-orm";
import { seenInteractions } from "../../drizzle/schema";
import { changes, type Db, type SqlValues, sqlValues } from "./db";

export const SEEN_RETENTION_MS = 24 * 60 * 60 * 1000;

/** An interaction to record as seen, at `seenAt` (epoch ms, the wall clock the request came at). */
export interface Seen {
  interactionId: string;
  seenAt: number;
}

/**
 * The two statements, for a batch: `record` changes one row the first time the id is seen and
 * none for a replay (so SQLite's changes() right after it says which), `prune` forgets old ids.
 */
export function seenStatements(db: Db, seen: SqlValues<Seen>) {
  return {
    record: db.insert(seenInteractions).values({ id: seen.interactionId, seenAt: seen.seenAt }).onConflictDoNothing(),
    prune: db.delete(seenInteractions).where(lt(seenInteractions.seenAt, sql`${seen.seenAt} - ${SEEN_RETENTION_MS}`)),
  };
}

export function seenInteractionStore(db: Db) {
  return {
    /** "first" when this call recorded the id; "replay" when it was already there. `now` is epoch ms. */
    async record(id: string, now: number): Promise<"first" | "replay"> {
      const { record, prune } = seenStatements(db, sqlValues({ interactionId: id, seenAt: now }));
      const [inserted] = await db.batch([record, prune]);
      return changes(inserted) === 1 ? "first" : "replay";
    },
  };
}
