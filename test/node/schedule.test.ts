// The cron table in src/jobs/schedule.ts is what scheduled() dispatches on; wrangler.toml is
// what Cloudflare fires. They must list the same crons, in production and in the sandbox.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEDULE } from "../../src/jobs/schedule";

const toml = readFileSync(resolve(import.meta.dirname, "../../wrangler.toml"), "utf8");

function cronLists(): string[][] {
  return [...toml.matchAll(/crons\s*=\s*\[([^\]]*)\]/g)].map((m) =>
    [...(m[1] ?? "").matchAll(/"([^"]+)"/g)].map((c) => c[1] ?? ""),
  );
}

describe("cron schedule", () => {
  it("wrangler.toml declares the crons of the job table, for production and the sandbox", () => {
    const lists = cronLists();
    expect(lists).toHaveLength(2);
    for (const list of lists) expect([...list].sort()).toEqual(SCHEDULE.map((s) => s.cron).sort());
  });

  it("every job of the table has exactly one cron", () => {
    expect(new Set(SCHEDULE.map((s) => s.job)).size).toBe(SCHEDULE.length);
  });
});
