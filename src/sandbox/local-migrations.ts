// Sandbox only: the local D1 migrates itself on the first request of an isolate, from the same
// files `wrangler d1 migrations apply` applies to the real database (migrations/, bundled as text).
// It keeps wrangler's own d1_migrations table, so wrangler agrees on what is applied. `npm run dev`
// used to start a second wrangler for this before the sandbox: about 4 s of every start.
// A new migration needs a line below (a test compares the list with migrations/).

import m0000 from "../../migrations/0000_init.sql";
import m0001 from "../../migrations/0001_books_match_broker.sql";
import m0002 from "../../migrations/0002_shares_left_by_expiry.sql";
import m0003 from "../../migrations/0003_one_live_idea_per_symbol.sql";
import m0004 from "../../migrations/0004_honest_numbers.sql";
import m0005 from "../../migrations/0005_limit_walk.sql";
import m0006 from "../../migrations/0006_events.sql";
import m0007 from "../../migrations/0007_no_blocked_status.sql";
import m0008 from "../../migrations/0008_playbook.sql";
import m0009 from "../../migrations/0009_intraday_equity.sql";
import m0010 from "../../migrations/0010_fill_credit.sql";
import m0011 from "../../migrations/0011_close_baselines.sql";
import m0012 from "../../migrations/0012_outside_closes.sql";
import { errorFields, log } from "../log";

export const SANDBOX_MIGRATIONS: readonly { name: string; sql: string }[] = [
  { name: "0000_init.sql", sql: m0000 },
  { name: "0001_books_match_broker.sql", sql: m0001 },
  { name: "0002_shares_left_by_expiry.sql", sql: m0002 },
  { name: "0003_one_live_idea_per_symbol.sql", sql: m0003 },
  { name: "0004_honest_numbers.sql", sql: m0004 },
  { name: "0005_limit_walk.sql", sql: m0005 },
  { name: "0006_events.sql", sql: m0006 },
  { name: "0007_no_blocked_status.sql", sql: m0007 },
  { name: "0008_playbook.sql", sql: m0008 },
  { name: "0009_intraday_equity.sql", sql: m0009 },
  { name: "0010_fill_credit.sql", sql: m0010 },
  { name: "0011_close_baselines.sql", sql: m0011 },
  { name: "0012_outside_closes.sql", sql: m0012 },
];

/** wrangler's table, as `wrangler d1 migrations apply` creates it. */
const MIGRATIONS_TABLE =
  "CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)";

/** A migration's statements, as drizzle-kit separates them (a file without a marker is one). */
export function statementsOf(sql: string): string[] {
  return sql
    .split("--> statement-breakpoint")
    .map((s) => s.trim())
    .filter((s) => s.replace(/--[^\n]*/g, "").trim() !== "");
}

/** The migrations not yet applied, each applied with its d1_migrations row in one atomic batch. */
async function migrate(db: D1Database): Promise<string[]> {
  const [, applied] = await db.batch<{ name: string }>([
    db.prepare(MIGRATIONS_TABLE),
    db.prepare("SELECT name FROM d1_migrations"),
  ]);
  const done = new Set((applied?.results ?? []).map((r) => r.name));
  const missing = SANDBOX_MIGRATIONS.filter((m) => !done.has(m.name));
  for (const { name, sql } of missing)
    await db.batch([
      ...statementsOf(sql).map((s) => db.prepare(s)),
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(name),
    ]);
  return missing.map((m) => m.name);
}

/** Once per isolate; a failure is tried again by the next request. */
let migrated: Promise<void> | null = null;

/** The next request checks the database again (tests that empty D1 between files, as ensureIvHistory). */
export function forgetLocalMigrations(): void {
  migrated = null;
}

export function ensureMigrated(env: Env): Promise<void> {
  migrated ??= migrate(env.DB).then(
    (applied) => {
      if (applied.length > 0) log.info("sandbox D1 migrated", { applied });
    },
    (error: unknown) => {
      migrated = null;
      log.error("sandbox D1 could not be migrated", errorFields(error));
      throw error;
    },
  );
  return migrated;
}
