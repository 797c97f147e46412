// The production bundle (`wrangler deploy --dry-run`, no --env) must not contain the sandbox:
// no simulators, no console page, no test key pair; and it stays within its size budget. Checked on
// the real bundle wrangler builds. The console is static assets of [env.sandbox] only: production
// declares none, so wrangler reads no assets directory and binds no ASSETS.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_MARKERS } from "../support/sandbox-markers";

/**
 * The production bundle, gzip-compressed, may not exceed this (issue 8: 216 KiB). Issue 13's
 * probabilities, fees and card figures brought it to 216.0; its walking limit, quote ages,
 * events (the SDK's corporate-actions client) and 30-day ATM IV to 221.5; issue 14's schedule
 * table, backups, track record and equity-curve PNG to 227.6; its playbook (a review per closed
 * trade with the rule-based reflection and lesson, rule proposals and retrieval, /playbook, two
 * tables: 6.1 KiB) and issue 16's strike window and raw chain path (1.4 KiB), less issue 15's
 * dead code (0.3 KiB), to 234.4. Issue 16's second pass (measured commit by commit with
 * `wrangler deploy --dry-run` and gzip): open interest looked up for the chosen spreads only
 * (0.6 KiB), the monitor's one opening read and its statements prepared once (1.2 KiB), the
 * Approve click's claim prepared once (0.5 KiB), the recorded equity in D1 (0.1 KiB): 2.4 KiB,
 * to 237.3 here; its later passes to 238.7 (the late answer within Discord's 3 s and the scan's
 * one opening read, less its insert loop), 239.4 with its withdrawal of untried posts, and 240.0
 * with the scan's subrequest guard (0.65 KiB: a free-plan scan that reads what its budget covers
 * and says which symbols it left, instead of failing at Cloudflare's 50th subrequest), so 242.
 * The free plan allows 3 MB; the budget is here to make every growth a decision.
 */
const BUDGET_GZIP_KIB = 242;
const root = resolve(import.meta.dirname, "../..");
const outdir = mkdtempSync(join(tmpdir(), "bundle-"));
let code = "";
let report = ""; // what wrangler printed: the bindings, and the assets it read, if any

beforeAll(() => {
  report = execFileSync(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
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
