// `npm run restore -- <YYYY-MM-DD> [--remote] [--env sandbox] [--file <backup.json.gz>] [--sql-out <file>]`
// Replaces every table of the bot's D1 with the rows of that day's backup (the end of day writes
// one to R2: src/store/backup.ts). Local by default (the sandbox: add --env sandbox); --remote
// for the deployed database, after a confirmation. The backup is read from the R2 bucket named
// in wrangler.toml, or from --file. --sql-out writes the restore SQL and changes nothing.
// The statements run in one `wrangler d1 execute --file`, which D1 applies atomically.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { type Backup, backupKey, restoreStatements } from "../src/store/backup-format.ts";

function fail(message: string): never {
  console.error(`restore: ${message}`);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    remote: { type: "boolean", default: false },
    env: { type: "string" },
    file: { type: "string" },
    "sql-out": { type: "string" },
    yes: { type: "boolean", default: false },
  },
});
const day = positionals[0];
if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day))
  fail("usage: npm run restore -- <YYYY-MM-DD> [--remote] [--env sandbox] [--file backup.json.gz] [--sql-out file]");
if (values.remote && values.env === "sandbox") fail("the sandbox is local only: drop --remote or --env sandbox");

const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: "false" };
const where = values.remote ? "--remote" : "--local";
const envArgs = values.env ? ["--env", values.env] : [];
const work = mkdtempSync(join(tmpdir(), "restore-"));

/** The ARCHIVE bucket's name for the chosen environment, as wrangler.toml declares it. */
function archiveBucket(): string {
  const toml = readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8");
  const header = values.env ? `[[env.${values.env}.r2_buckets]]` : "[[r2_buckets]]";
  const block = toml.split(header)[1]?.split(/\n\[/)[0] ?? "";
  const name = /bucket_name\s*=\s*"([^"]+)"/.exec(block)?.[1];
  if (!name) fail(`wrangler.toml has no ${header} with a bucket_name`);
  return name;
}

function readBackup(): Backup {
  let path = values.file;
  if (!path) {
    path = join(work, "backup.json.gz");
    const object = `${archiveBucket()}/${backupKey(day ?? "")}`;
    const got = spawnSync("wrangler", ["r2", "object", "get", object, "--file", path, where, ...envArgs], {
      stdio: "inherit",
      env: wranglerEnv,
    });
    if (got.status !== 0) fail(`could not read ${object} (${where.slice(2)}): is there a backup for ${day}?`);
  }
  const bytes = readFileSync(path);
  // gzip starts 1f 8b; a backup someone unzipped by hand is plain JSON.
  const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString("utf8") : bytes.toString("utf8");
  try {
    return JSON.parse(text) as Backup;
  } catch {
    fail(`${path} is not a backup (not JSON)`);
  }
}

const backup = readBackup();
let statements: string[];
try {
  statements = restoreStatements(backup);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const sql = `${statements.join(";\n")};\n`;
const rows = Object.values(backup.tables).reduce((n, t) => n + t.rows.length, 0);
const summary = `${backup.tradingDay}: ${Object.keys(backup.tables).length} tables, ${rows} rows (schema at ${backup.migration ?? "unknown"})`;

if (values["sql-out"]) {
  writeFileSync(values["sql-out"], sql);
  console.log(`restore: wrote the SQL for ${summary} to ${values["sql-out"]}; nothing was changed`);
  process.exit(0);
}
if (values.remote && !values.yes) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(
    `Replace every row of the DEPLOYED database with the backup of ${summary}? Type "restore": `,
  );
  rl.close();
  if (answer.trim() !== "restore") fail("not confirmed; nothing was changed");
}
const file = join(work, "restore.sql");
writeFileSync(file, sql);
const executed = spawnSync("wrangler", ["d1", "execute", "DB", "--file", file, where, "--yes", ...envArgs], {
  stdio: "inherit",
  env: { ...wranglerEnv, CI: "true" },
});
if (executed.status !== 0) fail("wrangler d1 execute failed; D1 applies the file atomically, so nothing was changed");
console.log(`restore: the ${where.slice(2)} database now holds the backup of ${summary}`);
