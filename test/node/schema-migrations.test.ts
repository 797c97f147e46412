// The Drizzle schema is the one source of truth; migrations/ is generated from it. This fails
// when someone edits drizzle/schema.ts without running `npm run db:generate` (or edits the SQL
// by hand): drizzle-kit, run against a copy of migrations/, must find nothing to generate.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
mkdirSync(join(root, ".wrangler"), { recursive: true });
// Inside the repo (git-ignored) because drizzle-kit wants paths relative to its working directory.
const work = mkdtempSync(join(root, ".wrangler", "schema-check-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs drizzle-kit generate on a copy of migrations/ and returns the files it holds after. */
function generate(schemaPath: string, name: string): { before: string[]; after: string[]; output: string } {
  const out = join(work, name);
  cpSync(join(root, "migrations"), out, { recursive: true });
  const config = join(work, `${name}.config.json`);
  writeFileSync(
    config,
    JSON.stringify({ dialect: "sqlite", schema: `./${relative(root, schemaPath)}`, out: `./${relative(root, out)}` }),
  );
  const before = readdirSync(out).sort();
  const output = execFileSync(join(root, "node_modules/.bin/drizzle-kit"), ["generate", `--config=${config}`], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  // drizzle-kit can print an error and still exit 0: an error is a failure here.
  expect(output).not.toMatch(/Error/);
  return { before, after: readdirSync(out).sort(), output };
}

describe("schema and migrations", () => {
  it("agree: generating from drizzle/schema.ts adds no migration", () => {
    const { before, after, output } = generate(join(root, "drizzle/schema.ts"), "current");
    expect(after, output).toEqual(before);
    expect(output).toMatch(/No schema changes/);
  });

  it("would disagree after a schema change: one more column generates a migration", () => {
    const changed = join(work, "schema-changed.ts");
    const source = readFileSync(join(root, "drizzle/schema.ts"), "utf8")
      .replaceAll('from "../src/', 'from "../../src/')
      .replace('symbol: text("symbol").notNull(),', 'symbol: text("symbol").notNull(),\n    extra: text("extra"),');
    writeFileSync(changed, source);
    const { before, after } = generate(changed, "changed");
    expect(after.length).toBe(before.length + 1);
  });

  it("pass drizzle-kit check", () => {
    const output = execFileSync(join(root, "node_modules/.bin/drizzle-kit"), ["check"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(output).toMatch(/Everything's fine/);
  });
});
