// The daily D1 backup's format and the SQL that restores it. Pure (no bindings): the Worker
// writes backups with it and `npm run restore` (scripts/restore.ts, in Node) reads them.
//
// A backup is every table of the bot's database as raw SQLite values, columns named once per
// table, gzip-compressed JSON in R2 under `backups/<trading day>.json.gz`. Restoring replaces
// each table's rows with the backup's, in one file that `wrangler d1 execute` runs atomically.

export const BACKUP_FORMAT = "spread-desk-d1-backup";
export const BACKUP_PREFIX = "backups/";

export type SqlValue = string | number | null;

export interface TableDump {
  columns: string[];
  rows: SqlValue[][];
}

export interface Backup {
  format: typeof BACKUP_FORMAT;
  version: 1;
  tradingDay: string;
  createdAt: number;
  /** The last migration applied to the database it was taken from (null when unknown). */
  migration: string | null;
  /** In creation order: a table another references comes before it. */
  tables: Record<string, TableDump>;
}

export const backupKey = (tradingDay: string) => `${BACKUP_PREFIX}${tradingDay}.json.gz`;

/** The trading day of a backup key, or null for any other key. */
export function backupDay(key: string): string | null {
  const m = /^backups\/(\d{4}-\d{2}-\d{2})\.json\.gz$/.exec(key);
  return m?.[1] ?? null;
}

/** Backups older than `keepDays` trading-day keys before `today` (calendar days), oldest first. */
export function expiredBackups(keys: readonly string[], today: string, keepDays: number): string[] {
  const cutoff = new Date(`${today}T00:00:00Z`).getTime() - keepDays * 86_400_000;
  return keys
    .filter((key) => {
      const day = backupDay(key);
      return day !== null && new Date(`${day}T00:00:00Z`).getTime() <= cutoff;
    })
    .sort();
}

/** Tables a backup holds: the bot's, not SQLite's, D1's or the migration log. */
export function isBackedUpTable(name: string): boolean {
  return !/^(sqlite_|_cf_|d1_migrations$)/.test(name);
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

function literal(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`a backup holds a non-finite number: ${value}`);
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

/** Rows per INSERT: a few hundred keeps each statement well under D1's statement size limit. */
const ROWS_PER_INSERT = 200;

/**
 * The statements that make the database hold exactly the backup's rows: foreign keys deferred to
 * the end, every table emptied (children first), then filled (parents first). Columns are named,
 * so a backup restores into a database migrated since (new columns take their defaults).
 */
export function restoreStatements(backup: Backup): string[] {
  if (backup.format !== BACKUP_FORMAT || backup.version !== 1)
    throw new Error(`not a ${BACKUP_FORMAT} v1 file (format ${String(backup.format)}, version ${backup.version})`);
  const names = Object.keys(backup.tables);
  const statements = ["PRAGMA defer_foreign_keys = on"];
  for (const name of [...names].reverse()) statements.push(`DELETE FROM ${ident(name)}`);
  for (const name of names) {
    const { columns, rows } = backup.tables[name] as TableDump;
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const values = rows
        .slice(i, i + ROWS_PER_INSERT)
        .map((row) => `(${row.map(literal).join(", ")})`)
        .join(",\n");
      statements.push(`INSERT INTO ${ident(name)} (${columns.map(ident).join(", ")}) VALUES\n${values}`);
    }
  }
  return statements;
}
