// The production bundle (`wrangler deploy --dry-run`, no --env) must not contain the sandbox:
// no simulators, no console page, no test key pair; and it stays within its size budget. Checked on
// the real bundle wrangler builds. The console is static assets of [env.sandbox] only: production
// declares none, so wrangler reads no assets directory and binds no ASSETS. The dry-run is the
// README's first deploy by hand: the secrets come in a file made from .dev.vars.example.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUDGET_GZIP_KIB } from "../support/bundle-budget";
import { SANDBOX_MARKERS } from "../support/sandbox-markers";

const root = resolve(import.meta.dirname, "../..");
const outdir = mkdtempSync(join(tmpdir(), "bundle-"));
let code = "";
let report = ""; // what wrangler printed: the bindings, and the assets it read, if any

/** The secrets .dev.vars.example names (commented ones are optional), each given a placeholder. */
const exampleSecrets = readFileSync(join(root, ".dev.vars.example"), "utf8")
  .split("\n")
  .flatMap((line) => /^([A-Z_]+)=$/.exec(line)?.slice(1) ?? []);

beforeAll(() => {
  const secrets = join(outdir, ".secrets");
  writeFileSync(secrets, exampleSecrets.map((name) => `${name}=placeholder`).join("\n"));
  const args = ["deploy", "--dry-run", "--outdir", outdir, "--secrets-file", secrets];
  report = execFileSync(join(root, "node_modules/.bin/wrangler"), args, {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  code = readdirSync(outdir)
    .filter((f) => f.endsWith(".js"))
    .map((f) => readFileSync(join(outdir, f), "utf8"))
    .join("\n");
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("production bundle", () => {
  it("is built from src/index.ts", () => {
    expect(code.length).toBeGreaterThan(1000);
    expect(code).toContain("/discord/interactions");
  });

  it("takes the required secrets from a file, as the README's first deploy gives them", () => {
    expect(exampleSecrets).toEqual(["DISCORD_BOT_TOKEN", "ALPACA_KEY_ID", "ALPACA_SECRET_KEY"]);
    for (const name of exampleSecrets) expect(report).toMatch(new RegExp(`env\\.${name} \\("\\(hidden\\)"\\)`));
  });

  it("uploads no static assets and binds no ASSETS (the console is the sandbox's)", () => {
    expect(report).toContain("following bindings"); // the report is the one wrangler prints
    expect(report).not.toMatch(/assets directory|env\.ASSETS/);
  });

  it.each(SANDBOX_MARKERS)("contains no sandbox code (%s)", (marker) => {
    expect(code.includes(marker)).toBe(false);
  });

  // Issue 8's budget. Over it, look at `wrangler deploy --dry-run --outdir dist --metafile meta.json`
  // before raising it: SDK index entries, classic zod and runtime enums of discord-api-types are
  // what grew it before (see BENCHMARKS.md for the breakdown).
  it(`stays within the size budget (gzip <= ${BUDGET_GZIP_KIB} KiB)`, () => {
    const gzipKiB = gzipSync(Buffer.from(code)).length / 1024;
    expect(gzipKiB).toBeLessThanOrEqual(BUDGET_GZIP_KIB);
  });
});
