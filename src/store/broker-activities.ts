// Option events the broker booked (expiry, assignment, exercise), each applied to our books once.
import { inArray } from "drizzle-orm";
import { type BrokerActivityRow, brokerActivities } from "../../drizzle/schema";
import type { Db } from "./db";

export function brokerActivityStore(db: Db) {
  return {
    /** The ids among `ids` already booked. */
    async known(ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await db
        .select({ id: brokerActivities.id })
        .from(brokerActivities)
        .where(inArray(brokerActivities.id, ids))
        .all();
      return new Set(rows.map((r) => r.id));
    },

    /** Records events as booked; one already recorded is left as it was. */
    async record(rows: BrokerActivityRow[]): Promise<void> {
      const [first, ...rest] = rows.map((row) => db.insert(brokerActivities).values(row).onConflictDoNothing());
      if (first) await db.batch([first, ...rest]);
    },
  };
}
