// Drizzle over D1. D1 has no interactive transactions: multi-statement writes go through
// db.batch() (atomic), and claims are single conditional UPDATEs whose changed-row count says
// who won.
import { fillPlaceholders, type Query, type SQL, sql } from "drizzle-orm";
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

/**
 * `build(db)` once per database (so once per isolate): for statements prepared once and sent many
 * times (batchPrepared), whose building is a measurable share of a light job's CPU.
 */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    const found = built.get(db) ?? build(db);
    built.set(db, found);
    return found;
  };
}

/** Each value as SQL: bound as it is for one statement, or a placeholder of a statement prepared once. */
export type SqlValues<T> = { [K in keyof T]-?: SQL };

/** The values bound as parameters (undefined as NULL). */
export function sqlValues<T extends object>(values: T): SqlValues<T> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, sql`${v ?? null}`])) as SqlValues<T>;
}

/** The same names as placeholders, for a statement prepared once and filled at each call (batchPrepared). */
export function sqlPlaceholders<K extends string>(...names: K[]): Record<K, SQL> {
  return Object.fromEntries(names.map((n) => [n, sql`${sql.placeholder(n)}`])) as Record<K, SQL>;
}

/** A query Drizzle has built (`.prepare()`): its SQL and parameters, and how to read its rows. */
interface Prepared {
  getQuery(): Query;
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
  all(): Promise<unknown>;
}

/**
 * Runs prepared queries in one atomic D1 batch, their placeholders filled from `values`, each
 * answer read as its `.all()` would. Unlike db.batch(), nothing is built again: a query prepared
 * once for the isolate (the SQL of a select over a wide table is a measurable share of a light
 * job's CPU) is only sent.
 */
export async function batchPrepared<const Q extends readonly Prepared[]>(
  db: Db,
  queries: Q,
  values: Record<string, unknown> = {},
): Promise<{ -readonly [K in keyof Q]: Awaited<ReturnType<Q[K]["all"]>> }> {
  const d1 = db.$client;
  const answers = await d1.batch(
    queries.map((q) => {
      const { sql, params } = q.getQuery();
      return d1.prepare(sql).bind(...fillPlaceholders(params, values));
    }),
  );
  return answers.map((answer, i) => queries[i]?.mapResult(answer, true)) as {
    -readonly [K in keyof Q]: Awaited<ReturnType<Q[K]["all"]>>;
  };
}

/** Rows changed by a D1 write run through Drizzle (`.run()` returns the D1 result). */
export function changes(result: { meta: { changes?: number } }): number {
  return result.meta.changes ?? 0;
}
