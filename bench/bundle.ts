// The production bundle as wrangler deploys it (dry run, no --env) and its startup profile from
// `wrangler check startup` (median of five runs: the figure moves with the machine's load).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { wrangler } from "./processes.ts";

export interface BundleFigures {
  rawKiB: number;
  gzipKiB: number;
  /** Startup CPU ("Active" in wrangler's local startup profile), median of the runs. */
  startupMs: number;
  startupRuns: number[];
}

export function measureBundle(runs = 5): BundleFigures {
  const outdir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  try {
    wrangler(["deploy", "--dry-run", "--outdir", outdir]);
    const code = readdirSync(outdir)
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(outdir, f)));
    const raw = Buffer.concat(code);
    const startupRuns: number[] = [];
    for (let i = 0; i < runs; i++) {
      const out = wrangler(["check", "startup", "--outfile", join(outdir, `startup-${i}.cpuprofile`)]);
      const active = /Active:\s*([\d.]+)\s*ms/.exec(out);
      if (!active?.[1]) throw new Error(`no startup time in wrangler check startup's output:\n${out}`);
      startupRuns.push(Number(active[1]));
    }
    const sorted = [...startupRuns].sort((a, b) => a - b);
    return {
      rawKiB: raw.length / 1024,
      gzipKiB: gzipSync(raw).length / 1024,
      startupMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      startupRuns,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
