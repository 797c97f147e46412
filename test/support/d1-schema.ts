// The local D1's schema as sqlite_master lists it, and how to drop all of it: for the shared setup
// of every workers test file (apply-migrations.ts) and for the sandbox's own migration test.
import { env } from "cloudflare:workers";

export interface SchemaRow {
  type: string;
  name: string;
  sql: string | null;
}

/** Every table, index, view and trigger, but the runtime's own (_cf_*). */
export const readSchema = async (): Promise<SchemaRow[]> =>
  (
    await env.DB.prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '_cf_%' ORDER BY type, name",
    ).all<SchemaRow>()
  ).results;

/** Every table and view of `schema` dropped: an empty database, as a new `--persist-to` directory has. */
export async function dropAll(schema: readonly SchemaRow[]): Promise<void> {
  const drops = schema
    .filter((r) => (r.type === "table" || r.type === "view") && !r.name.startsWith("sqlite_"))
    .map((r) => env.DB.prepare(`DROP ${r.type === "view" ? "VIEW" : "TABLE"} IF EXISTS "${r.name}"`));
  // Foreign keys are checked at the end of the batch, when every table is gone.
  if (drops.length > 0) await env.DB.batch([env.DB.prepare("PRAGMA defer_foreign_keys = on"), ...drops]);
}
