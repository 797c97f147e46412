// The sandbox migrates its local D1 itself, on an isolate's first request: the same files, split
// into the same statements as wrangler splits them, and wrangler's d1_migrations rows, so an empty
// database ends as the one `wrangler d1 migrations apply` makes and a partly migrated one gets the
// rest. A migration that cannot apply answers 503 with its reason, never a half-migrated sandbox
// that serves.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetLocalMigrations, SANDBOX_MIGRATIONS, statementsOf } from "../../../src/sandbox/local-migrations";
import { dropAll, readSchema, type SchemaRow } from "../../support/d1-schema";
import { call } from "../../support/sandbox-driver";

/** The migrated schema but wrangler's own table. */
const schema = async () => (await readSchema()).filter((r) => r.name !== "d1_migrations");

const appliedNames = async () =>
  (await env.DB.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>()).results.map(
    (r) => r.name,
  );

/** An empty database, as a new `--persist-to` directory has. */
const emptyDatabase = async () => dropAll(await readSchema());

/** A statement without its comments, its closing semicolon or runs of white space. */
const normalized = (statement: string) =>
  statement
    .replace(/--[^\n]*/g, "")
    .replace(/;\s*$/, "")
    .replace(/\s+/g, " ")
    .trim();

/** A request to the sandbox as the first of a new isolate (the migration check forgotten). */
function firstRequest(path = "/health"): Promise<Response> {
  forgetLocalMigrations();
  return call(path);
}

let migratedSchema: SchemaRow[] = [];

describe("the sandbox's local D1 migrates itself", () => {
  // As the test setup's applyD1Migrations left it; the next file's setup migrates again whatever
  // schema this one leaves (test/support/apply-migrations.ts).
  beforeAll(async () => {
    migratedSchema = await schema();
  });
  beforeEach(emptyDatabase);

  it("lists every file of migrations/, split into the statements wrangler applies", () => {
    const listed = SANDBOX_MIGRATIONS.map((m) => m.name);
    expect(listed, "each file of migrations/ needs its line in src/sandbox/local-migrations.ts").toEqual(
      env.TEST_MIGRATIONS.map((m) => m.name),
    );
    for (const [i, migration] of SANDBOX_MIGRATIONS.entries())
      expect(statementsOf(migration.sql).map(normalized), migration.name).toEqual(
        env.TEST_MIGRATIONS[i]?.queries.map(normalized),
      );
  });

  it("an empty database gets every migration and wrangler's rows for them on the first request", async () => {
    const response = await firstRequest();
    expect(response.status).toBe(200);
    expect(await schema()).toEqual(migratedSchema);
    expect(await appliedNames()).toEqual(SANDBOX_MIGRATIONS.map((m) => m.name));

    // The next isolate finds nothing to do.
    expect((await firstRequest()).status).toBe(200);
    expect(await appliedNames()).toHaveLength(SANDBOX_MIGRATIONS.length);
  });

  it("a database migrated by wrangler up to a point gets the rest", async () => {
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS.slice(0, 5));
    expect(await appliedNames()).toHaveLength(5);

    expect((await firstRequest()).status).toBe(200);
    expect(await schema()).toEqual(migratedSchema);
    expect(await appliedNames()).toEqual(SANDBOX_MIGRATIONS.map((m) => m.name));
  });

  it("a migration that cannot apply answers 503 with the database's reason, and the next request tries again", async () => {
    // A stray table the first migration creates near its end: its batch fails part-way through.
    await env.DB.prepare("CREATE TABLE trades (x INTEGER)").run();

    const refused = await firstRequest("/sandbox/api/market");
    expect(refused.status).toBe(503);
    const body = await refused.json<{ error: string; message: string }>();
    expect(body.error).toBe("sandbox_d1");
    expect(body.message).toMatch(/local D1 could not be migrated: .*already exists/);
    // Nothing half-applied: the tables the batch created before the failure are gone with it.
    expect(await appliedNames()).toEqual([]);
    const tables = (await schema())
      .filter((r) => r.type === "table" && !r.name.startsWith("sqlite_"))
      .map((r) => r.name);
    expect(tables).toEqual(["trades"]);

    // Put right (the stray table dropped), the next request migrates everything without a restart.
    await env.DB.prepare("DROP TABLE trades").run();
    const retried = await call("/health");
    expect(retried.status).toBe(200);
    expect(await schema()).toEqual(migratedSchema);
  });
});
