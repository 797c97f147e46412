// Runs before every test file of the "workers" project. The project shares one runtime per
// vitest worker across its files (isolate: false in vitest.config.ts: starting workerd and
// loading the module graph again for each of ninety files was half the suite's time), so each
// file first gets what a fresh runtime would have given it:
// - D1: the same SQL files wrangler applies in dev and deploy, applied to an empty database once
//   per runtime; later files find every row and autoincrement counter deleted (or, if a test
//   changed the schema, every table dropped and the migrations applied again);
// - KV and R2 emptied;
// - the simulated Alpaca ("market") and Discord ("channel") back to their first state;
// - background work an earlier file left running finished first;
// - the module state our code keeps, the sandbox's once-per-isolate IV backfill and migration
//   check, forgotten. (vi.resetModules would re-evaluate every module for every file: it doubled the
//   time of the files that use the simulators.) A new module-level `let` in src/ needs a line here.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { errorFields, log } from "../../src/log";
import { channelSimulator } from "../../src/sandbox/discord/channel";
import { forgetIvBackfill } from "../../src/sandbox/iv-backfill";
import { forgetLocalMigrations } from "../../src/sandbox/local-migrations";
import { dropAll, readSchema } from "./d1-schema";

/** The schema as the migrations leave it, kept on the runtime for its later files (this file runs again for each). */
const MIGRATED_SCHEMA = Symbol.for("spread-desk.test.migrated-schema");
const runtime = globalThis as unknown as Record<symbol, string | undefined>;

async function freshDatabase(): Promise<void> {
  const schema = await readSchema();
  const userTables = schema.filter((r) => r.type === "table" && !r.name.startsWith("sqlite_"));
  if (JSON.stringify(schema) === runtime[MIGRATED_SCHEMA]) {
    // The schema the migrations made: with every row and autoincrement counter gone, the
    // database is what applying them to an empty one gives, in one round trip instead of a dozen.
    // Foreign keys are checked at the end of the batch, when every row is gone.
    await env.DB.batch([
      env.DB.prepare("PRAGMA defer_foreign_keys = on"),
      ...userTables.filter((t) => t.name !== "d1_migrations").map((t) => env.DB.prepare(`DELETE FROM "${t.name}"`)),
      ...(schema.some((r) => r.name === "sqlite_sequence") ? [env.DB.prepare("DELETE FROM sqlite_sequence")] : []),
    ]);
    return;
  }
  // First file of this runtime, or a schema a test changed: drop everything, migrate again.
  await dropAll(schema);
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  runtime[MIGRATED_SCHEMA] = JSON.stringify(await readSchema());
}

async function emptyKv(): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.STATE.list(cursor ? { cursor } : {});
    await Promise.all(page.keys.map((k) => env.STATE.delete(k.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

async function emptyR2(): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.ARCHIVE.list(cursor ? { cursor } : {});
    if (page.objects.length > 0) await env.ARCHIVE.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/**
 * In watch mode a changed src/ file re-evaluates the main module, and the plugin then fails the
 * first call to a Durable Object an earlier run used ("... changed, invalidating this Durable
 * Object. Please retry"); the object restarts from its storage, so a retry on a new stub works.
 */
async function retryInvalidated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!String(error).includes("invalidating this Durable Object")) throw error;
    return call();
  }
}

async function freshSimulators(): Promise<void> {
  const alpaca = env.SIM_ALPACA;
  if (!alpaca) throw new Error("sandbox binding SIM_ALPACA is missing");
  const reset = await retryInvalidated(() =>
    alpaca.get(alpaca.idFromName("market")).fetch("https://sim.control/control/reset", { method: "POST", body: "{}" }),
  );
  if (!reset.ok) throw new Error(`simulated Alpaca reset: ${reset.status} ${await reset.text()}`);
  await retryInvalidated(() => channelSimulator(env).reset());
}

/**
 * Work an earlier file left running after its last test (the waitUntil of a request sent through
 * exports.default, a timer) must not write into this file's fresh database. The plugin drains it
 * only when the runtime stops; its internal drain (cloudflare:test-internal, looked up defensively)
 * is called here. A failure there belongs to the earlier file: it is logged, not thrown.
 */
async function earlierWorkFinished(): Promise<void> {
  const specifier = "cloudflare:test-internal";
  const internal: { waitForGlobalWaitUntil?: () => Promise<void> } = await import(/* @vite-ignore */ specifier).catch(
    () => ({}),
  );
  await internal.waitForGlobalWaitUntil?.().catch((error: unknown) => {
    log.warn("background work left by an earlier test file failed", errorFields(error));
  });
}

await earlierWorkFinished();
forgetIvBackfill();
forgetLocalMigrations();
await Promise.all([freshDatabase(), emptyKv(), emptyR2(), freshSimulators()]);
