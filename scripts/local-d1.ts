// The sandbox's local D1 (`--env sandbox`), migrated, for `npm run dev`, the console-page test and
// the bench. `wrangler d1 migrations apply --local` starts a runtime for each migration: 9.5 s for
// the ten here. A database that does not exist yet gets them all from one `wrangler d1 execute`
// instead (2.9 s): each migration followed by its row in wrangler's d1_migrations table, the
// statements `migrations apply` itself runs one by one, so that it finds nothing to do afterwards.
// An existing database goes through `migrations apply`, which knows what it lacks.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const ROOT = resolve(import.meta.dirname, "..");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const MIGRATIONS = join(ROOT, "migrations");
/** wrangler's local state when no --persist-to is given. */
const DEFAULT_PERSIST = join(ROOT, ".wrangler", "state");

/** Every migration, in order, each followed by its d1_migrations row (as wrangler's own query writes it). */
function allMigrations(): { names: string[]; script: string } {
  const names = readdirSync(MIGRATIONS)
    .filter((name) => name.endsWith(".sql"))
    .sort();
  const script = [
    `CREATE TABLE IF NOT EXISTS "d1_migrations"(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);`,
    ...names.map(
      (name) =>
        `${readFileSync(join(MIGRATIONS, name), "utf8")}\nINSERT INTO "d1_migrations" (name) values ('${name.replace(/'/g, "''")}');`,
    ),
  ].join("\n");
  return { names, script };
}

async function wrangler(args: string[]): Promise<string> {
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" }; // CI: no confirmation prompt
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`wrangler ${args.slice(0, 3).join(" ")} failed:\n${stdout}${stderr}`);
  }
}

/**
 * Migrates the sandbox's local D1 under `persistTo` (wrangler's --persist-to; its default when
 * undefined). Returns what to tell the user; throws with wrangler's output when it fails.
 */
export async function migrateLocalD1(persistTo?: string): Promise<string> {
  const persist = persistTo === undefined ? [] : ["--persist-to", persistTo];
  const base = ["--local", "--env", "sandbox", ...persist];
  if (existsSync(join(persistTo ?? DEFAULT_PERSIST, "v3", "d1"))) {
    return wrangler(["d1", "migrations", "apply", "DB", ...base]);
  }
  const { names, script } = allMigrations();
  const dir = mkdtempSync(join(tmpdir(), "spread-desk-d1-"));
  try {
    const file = join(dir, "migrations.sql");
    writeFileSync(file, script);
    await wrangler(["d1", "execute", "DB", ...base, "--file", file, "--yes"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return `A new local D1 with its ${names.length} migrations (${names[0]} to ${names.at(-1)}).`;
}
