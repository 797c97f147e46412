// `npm run restore` (scripts/restore.ts) as the real child process under plain node, on a backup
// file: the SQL it would run (--sql-out changes nothing), and its refusals. The round trip through
// real D1 is test/integration/store/backup.test.ts.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BACKUP_FORMAT, type Backup } from "../../src/store/backup-format";

const root = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "restore-test-"));

const backup: Backup = {
  format: BACKUP_FORMAT,
  version: 1,
  tradingDay: "2027-01-15",
  createdAt: 1,
  migration: "0006_events",
  tables: {
    recommendations: { columns: ["id", "thesis"], rows: [["SPY-1", "O'Brien's call"]] },
    trades: { columns: ["id", "recommendation_id", "fill_price"], rows: [[1, "SPY-1", null]] },
  },
};

const restore = (args: string[]) => run(process.execPath, ["scripts/restore.ts", ...args], { cwd: root });

describe("npm run restore", () => {
  it("writes the SQL that empties every table (children first) and refills it, quotes escaped", async () => {
    const file = join(dir, "backup.json.gz");
    writeFileSync(file, gzipSync(JSON.stringify(backup)));
    const out = join(dir, "restore.sql");
    const { stdout } = await restore(["2027-01-15", "--file", file, "--sql-out", out]);
    expect(stdout).toContain("2027-01-15: 2 tables, 2 rows (schema at 0006_events)");
    expect(readFileSync(out, "utf8")).toBe(
      [
        "PRAGMA defer_foreign_keys = on;",
        'DELETE FROM "trades";',
        'DELETE FROM "recommendations";',
        `INSERT INTO "recommendations" ("id", "thesis") VALUES\n('SPY-1', 'O''Brien''s call');`,
        `INSERT INTO "trades" ("id", "recommendation_id", "fill_price") VALUES\n(1, 'SPY-1', NULL);`,
        "",
      ].join("\n"),
    );
  });

  it("refuses a day that is not a date, and the sandbox with --remote, naming what is wrong", async () => {
    await expect(restore(["yesterday"])).rejects.toMatchObject({
      stderr: expect.stringContaining("usage: npm run restore"),
    });
    await expect(restore(["2027-01-15", "--remote", "--env", "sandbox"])).rejects.toMatchObject({
      stderr: expect.stringContaining("the sandbox is local only"),
    });
  });

  it("refuses a file that is not a backup", async () => {
    const file = join(dir, "not-a-backup.json");
    writeFileSync(file, JSON.stringify({ hello: "world" }));
    await expect(restore(["2027-01-15", "--file", file, "--sql-out", join(dir, "x.sql")])).rejects.toMatchObject({
      stderr: expect.stringContaining("not a spread-desk-d1-backup v1 file"),
    });
  });
});
