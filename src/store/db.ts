// Drizzle over D1. D1 has no interactive transactions: multi-statement writes go through
// db.batch() (atomic), and claims are single conditional UPDATEs whose changed-row count says
// who won.
import { drizzle } from "drizzle-orm/d1";
import * as schema from "../../drizzle/schema";

export type Db = ReturnType<typeof database>;

export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}

/** Rows changed by a D1 write run through Drizzle (`.run()` returns the D1 result). */
export function changes(result: { meta: { changes?: number } }): number {
  return result.meta.changes ?? 0;
}
