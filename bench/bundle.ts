// The production bundle as wrangler deploys it (dry run, no --env) and its startup profile from
// `wrangler check startup` (median of five runs: the figure moves with the machine's load), beside
// the minimal worker's (bench/minimal-worker.ts) measured in turn with it: the ratio is the figure
// that holds across machines and days.
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
  /** The same for the minimal worker (verifyKey + PONG), runs interleaved with the bot's. */
  minimalStartupMs: number;
  minimalStartupRuns: number[];
}

function startupActive(args: string[]): number {
  const out = wrangler(["check", "startup", ...args]);
  const active = /Active:\s*([\d.]+)\s*ms/.exec(out);
  if (!active?.[1]) throw new Error(`no startup time in wrangler check startup's output:\n${out}`);
  return Number(active[1]);
}

const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? Number.NaN;

export function measureBundle(runs = 5): BundleFigures {
  const outdir = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  try {
    wrangler(["deploy", "--dry-run", "--outdir", outdir]);
    const code = readdirSync(outdir)
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(outdir, f)));
    const raw = Buffer.concat(code);
    const startupRuns: number[] = [];
    const minimalStartupRuns: number[] = [];
    for (let i = 0; i < runs; i++) {
      startupRuns.push(startupActive(["--outfile", join(outdir, `startup-${i}.cpuprofile`)]));
      minimalStartupRuns.push(
        startupActive(["-c", "bench/minimal.wrangler.toml", "--outfile", join(outdir, `minimal-${i}.cpuprofile`)]),
      );
    }
    return {
      rawKiB: raw.length / 1024,
      gzipKiB: gzipSync(raw).length / 1024,
      startupMs: median(startupRuns),
      startupRuns,
      minimalStartupMs: median(minimalStartupRuns),
      minimalStartupRuns,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
