// Drizzle over D1. D1 has no interactive transactions: multi-statement writes go through
// db.batch() (atomic), and claims are single conditional UPDATEs whose changed-row count says
// who won.
import { drizzle } from "drizzle-orm/d1";
import * as schema from "../../drizzle/schema";

const connect = (d1: D1Database) => drizzle(d1, { schema });
export type Db = ReturnType<typeof connect>;

/**
 * One Drizzle instance per D1 binding for the isolate's life: building one reads the whole
 * schema's relations again, a measurable share of an Approve click's CPU when each request
 * built its own. Drizzle keeps no per-request state in it.
 */
const instances = new WeakMap<D1Database, Db>();

export function database(d1: D1Database): Db {
  const found = instances.get(d1) ?? connect(d1);
  instances.set(d1, found);
  return found;
}

/** Rows changed by a D1 write run through Drizzle (`.run()` returns the D1 result). */
export function changes(result: { meta: { changes?: number } }): number {
  return result.meta.changes ?? 0;
}
