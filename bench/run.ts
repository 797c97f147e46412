// `npm run bench`: the figures issue 8 asks for, printed and written to BENCHMARKS.md.
// Starts the sandbox and the minimal worker with wrangler dev (own state directory, free ports),
// measures, stops every child process (also on errors and Ctrl-C), then times the bundle and the
// tests with nothing else running. Flags: --no-tests skips the `npm test` timing.
// Not part of `npm test` or CI: the figures depend on the machine.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { measureBundle } from "./bundle.ts";
import { withCpuProfile } from "./cpu-profile.ts";
import { comparePing, measureApprove } from "./endpoint.ts";
import { ping } from "./interactions.ts";
import { ROOT, startDev, stopAll, wrangler } from "./processes.ts";
import { type Figures, renderReport, type ScanFigures } from "./report.ts";
import { signed } from "./sign.ts";
import { measureTests } from "./test-time.ts";

const WATCHLIST = "SPY,QQQ,IWM,DIA,XLF,XLE,XLK,TLT,GLD,EEM";
const SCAN_CRON = "0 14,15 * * 1-5";
/** 10:00 New York (winter) on successive weekdays: Tue 12, Wed 13, Thu 14 January 2027. */
const SCAN_SLOTS = [12, 13, 14].map((day) => Date.UTC(2027, 0, day, 15, 0));
const BUDGET_KIB = 216;

function step(message: string): void {
  console.log(`· ${message}`);
}

async function fireScan(base: string, time: number): Promise<number> {
  const start = performance.now();
  const response = await fetch(`${base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(SCAN_CRON)}&time=${time}`);
  await response.text();
  if (!response.ok) throw new Error(`the scan slot answered ${response.status}`);
  return performance.now() - start;
}

async function newestScanSummary(base: string): Promise<Record<string, unknown>> {
  const runs = (await (await fetch(`${base}/sandbox/api/jobs`)).json()) as { job: string; summary?: object }[];
  const scan = runs.find((r) => r.job === "scan");
  return (scan?.summary ?? {}) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const withTests = !process.argv.includes("--no-tests");
  const state = mkdtempSync(join(tmpdir(), "spread-desk-bench-"));
  try {
    // First, while nothing else runs: startup time is CPU time and moves with the machine's load.
    step("production bundle and wrangler check startup");
    const bundle = measureBundle();
    step("applying migrations to a fresh local D1");
    wrangler(["d1", "migrations", "apply", "DB", "--local", "--env", "sandbox", "--persist-to", state]);
    step("starting the sandbox and the minimal worker (wrangler dev)");
    const [bot, minimal] = await Promise.all([
      // Unminified like the minimal worker (equal footing), and so the profiler can tell modules apart.
      startDev(
        "sandbox",
        ["--env", "sandbox", "--minify=false", "--persist-to", state, "--var", `WATCHLIST:${WATCHLIST}`],
        "/health",
      ),
      startDev("minimal", ["-c", "bench/minimal.wrangler.toml", "--persist-to", join(state, "minimal")], "/"),
    ]);
    // One PING each, so neither pays its first-request costs inside the scan or the figures.
    for (const base of [bot.base, minimal.base]) {
      const request = await signed(ping());
      await fetch(`${base}/discord/interactions`, { method: "POST", headers: request.headers, body: request.body });
    }

    step("scan of the 10-symbol watchlist under the CPU profiler");
    const firstSlot = SCAN_SLOTS[0] ?? Date.UTC(2027, 0, 12, 15, 0);
    const profiled = await withCpuProfile(bot.inspectorPort, () => fireScan(bot.base, firstSlot));
    const scan: ScanFigures = {
      wallMs: profiled.result,
      cpuMs: profiled.cpuMs,
      simulatorMs: profiled.simulatorMs,
      summary: await newestScanSummary(bot.base),
    };

    step("signed PING: bot vs minimal worker at concurrency 1, 10, 50");
    const pingRows = await comparePing(`${bot.base}/discord/interactions`, `${minimal.base}/discord/interactions`);

    step("Approve clicks: distinct recommendations, then repeated clicks");
    const scans = SCAN_SLOTS.map((time, i) => async () => {
      if (i > 0) await fireScan(bot.base, time); // the first slot was the profiled scan
    });
    const approve = await measureApprove(bot.base, scans);

    bot.stop();
    minimal.stop();
    stopAll();

    let tests = null;
    if (withTests) {
      step("npm test steps (typecheck, lint, vitest), timed");
      tests = measureTests();
    }

    const cpu = cpus();
    const figures: Figures = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown CPU"}), Node ${process.versions.node}, ${wrangler(["--version"]).trim().split("\n")[0]}`,
      ping: pingRows,
      approve: approve.figures,
      scansFired: SCAN_SLOTS.length,
      bundle,
      budgetKiB: BUDGET_KIB,
      scan,
      tests,
    };
    const report = renderReport(figures);
    console.log(`\n${report}`);
    writeFileSync(join(ROOT, "BENCHMARKS.md"), report);
    step("written to BENCHMARKS.md");
  } finally {
    stopAll();
    rmSync(state, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  stopAll();
  process.exit(1);
});
