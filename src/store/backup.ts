// Daily D1 backups in R2 (format and restore SQL in backup-format.ts). Taking one costs two D1
// round trips (the table list, then one batch reading every table) and one R2 write; pruning,
// one list and one delete: a handful of the end of day's subrequests, whatever the row count.
import {
  BACKUP_FORMAT,
  BACKUP_PREFIX,
  type Backup,
  backupKey,
  expiredBackups,
  isBackedUpTable,
  type SqlValue,
  type TableDump,
} from "./backup-format";

async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

async function gunzip(body: ReadableStream): Promise<string> {
  return new Response(body.pipeThrough(new DecompressionStream("gzip"))).text();
}

export function backupStore(d1: D1Database, bucket: R2Bucket) {
  return {
    /** Every table's rows now, as raw SQLite values, in the order the tables were created. */
    async take(tradingDay: string, now: number): Promise<Backup> {
      const [tables, migrations] = await d1.batch<{ name: string }>([
        d1.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"),
        d1.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'"),
      ]);
      const names = (tables?.results ?? []).map((t) => t.name).filter(isBackedUpTable);
      const hasMigrationLog = (migrations?.results.length ?? 0) > 0;
      const reads = names.map((name) => d1.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`));
      if (hasMigrationLog) reads.push(d1.prepare("SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1"));
      const results = reads.length > 0 ? await d1.batch<Record<string, SqlValue>>(reads) : [];
      const dumps: Record<string, TableDump> = {};
      names.forEach((name, i) => {
        const rows = results[i]?.results ?? [];
        const columns = rows[0] ? Object.keys(rows[0]) : [];
        dumps[name] = { columns, rows: rows.map((row) => columns.map((c) => row[c] ?? null)) };
      });
      const last = hasMigrationLog ? results.at(-1)?.results[0]?.name : null;
      return {
        format: BACKUP_FORMAT,
        version: 1,
        tradingDay,
        createdAt: now,
        migration: typeof last === "string" ? last : null,
        tables: dumps,
      };
    },

    /** Writes the backup, gzip-compressed; returns its key and size. */
    async save(backup: Backup): Promise<{ key: string; bytes: number }> {
      const key = backupKey(backup.tradingDay);
      const body = await gzip(JSON.stringify(backup));
      await bucket.put(key, body, {
        // Not marked Content-Encoding gzip: an HTTP client would then unzip it on the way down.
        httpMetadata: { contentType: "application/gzip" },
        customMetadata: { tradingDay: backup.tradingDay, migration: backup.migration ?? "" },
      });
      return { key, bytes: body.byteLength };
    },

    async load(tradingDay: string): Promise<Backup | null> {
      const object = await bucket.get(backupKey(tradingDay));
      return object ? (JSON.parse(await gunzip(object.body)) as Backup) : null;
    },

    /** Deletes the backups more than `keepDays` days before `today`; returns their keys. */
    async prune(today: string, keepDays: number): Promise<string[]> {
      const listed = await bucket.list({ prefix: BACKUP_PREFIX, limit: 1000 });
      const old = expiredBackups(
        listed.objects.map((o) => o.key),
        today,
        keepDays,
      );
      if (old.length > 0) await bucket.delete(old);
      return old;
    },
  };
}

export type BackupStore = ReturnType<typeof backupStore>;
