// The end of day backs up the whole database to R2, and a backup restores to the same rows:
// taken by the real job from real local D1, restored with the statements `npm run restore` runs.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { tradingDay } from "../../../src/domain/market-time";
import { backupStore } from "../../../src/store/backup";
import { backupKey, restoreStatements } from "../../../src/store/backup-format";
import { click, fire, resetWorld, sandboxNow, scanAndPick } from "../../support/sandbox-driver";

const EOD_SLOT = Date.UTC(2027, 0, 15, 21, 15); // 16:15 New York, winter time
const DAY = "2027-01-15";

/** Every backed-up table's rows, as D1 returns them. */
async function allRows(tables: string[]): Promise<Record<string, unknown[]>> {
  const results = await env.DB.batch(tables.map((t) => env.DB.prepare(`SELECT * FROM "${t}" ORDER BY rowid`)));
  return Object.fromEntries(tables.map((t, i) => [t, results[i]?.results ?? []]));
}

beforeEach(resetWorld);

describe("database backups", () => {
  it("writes the day's backup at the end of day and restores it to the same rows after the day went on", async () => {
    const { message, approve } = await scanAndPick("SPY");
    await click(message.id, approve.custom_id);
    await fire("eod", EOD_SLOT);

    // The job's trading day is the day it runs (its slot only decides that it runs).
    const day = tradingDay(await sandboxNow());
    const stored = await env.ARCHIVE.get(backupKey(day));
    expect(stored?.size).toBeGreaterThan(0);
    const backup = await backupStore(env.DB, env.ARCHIVE).load(day);
    if (!backup) throw new Error("no backup for the day");
    const tables = Object.keys(backup.tables);
    expect(tables).toEqual(expect.arrayContaining(["recommendations", "trades", "positions", "audit_log", "job_runs"]));
    expect(backup.tables.positions?.rows).toHaveLength(1);
    expect(backup.migration).toMatch(/^\d{4}_/);

    // Then something goes wrong: a position is lost, theses overwritten, a stray row added.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM positions"),
      env.DB.prepare("UPDATE recommendations SET thesis = 'lost'"),
      env.DB.prepare(
        "INSERT INTO playbook (trading_day, kind, author, content, created_at) VALUES ('2027-01-16', 'reflection', 'x', 'stray', 1)",
      ),
    ]);
    const lost = await allRows(["positions", "recommendations"]);
    expect(lost.positions).toHaveLength(0);
    expect(lost.recommendations?.every((r) => (r as { thesis: string }).thesis === "lost")).toBe(true);

    await env.DB.batch(restoreStatements(backup).map((sql) => env.DB.prepare(sql)));
    // Every table holds exactly the backup's rows again, value for value (the end of day's own
    // run row as it was while it ran: the backup is taken inside that run).
    const restored = await allRows(tables);
    for (const table of tables) {
      const { columns, rows } = backup.tables[table] ?? { columns: [], rows: [] };
      const asValues = (restored[table] as Record<string, unknown>[]).map((row) => columns.map((c) => row[c]));
      expect(asValues, table).toEqual(rows);
    }
  });

  it("keeps BACKUP_DAYS (30) of backups and deletes older ones", async () => {
    const backups = backupStore(env.DB, env.ARCHIVE);
    // 30 days before 2027-01-15 is 2026-12-16: that day's backup and older ones go.
    for (const day of ["2026-11-01", "2026-12-16", "2026-12-17", DAY]) await env.ARCHIVE.put(backupKey(day), "x");
    await env.ARCHIVE.put("days/2026-11-01.json", "{}"); // the daily archive is not a backup

    expect(await backups.prune(DAY, 30)).toEqual([backupKey("2026-11-01"), backupKey("2026-12-16")]);
    const left = (await env.ARCHIVE.list({ prefix: "backups/" })).objects.map((o) => o.key).sort();
    expect(left).toEqual([backupKey("2026-12-17"), backupKey(DAY)]);
    expect(await env.ARCHIVE.get("days/2026-11-01.json")).not.toBeNull();
  });
});
