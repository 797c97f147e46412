// `npm run bench`: the figures issue 8 asks for, printed and written to BENCHMARKS.md.
// Times the bundle's startup first, with nothing else running. Starts the sandbox and the minimal
// worker with wrangler dev (own state directory, free ports) and measures the jobs in the sandbox,
// then the interactions endpoint on the production entry (bench/production.wrangler.toml) over the
// sandbox's stored data; stops every child process (also on errors and Ctrl-C), then times the
// tests. Flags: --no-tests skips the `npm test` timing; --json FILE also writes the raw figures;
// --before FILE (an earlier run's --json) puts its figures beside these; --profiles DIR keeps the
// raw .cpuprofile of each profiled firing (open them in DevTools).
// Not part of `npm test` or CI: the figures depend on the machine.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { BUDGET_GZIP_KIB } from "../test/support/bundle-budget.ts";
import { measureBundle } from "./bundle.ts";
import { calibrate } from "./calibrate.ts";
import { approveDistinct, comparePing, measureRepeated } from "./endpoint.ts";
import { ping } from "./interactions.ts";
import {
  fire,
  HELD_MONITOR,
  MONITOR_CRON,
  medianRun,
  medianScan,
  openPositions,
  PAID_PLAN_BUDGET,
  profiled,
  rescanned,
  SCAN_CRON,
  SCAN_SLOTS,
  type ScanRunAgain,
  scanFigures,
  utc,
} from "./jobs.ts";
import { ROOT, runScript, startDev, startMinimal, startProduction, stopAll, wrangler } from "./processes.ts";
import { type Figures, renderReport } from "./report.ts";
import { type BenchKey, benchKeyPair, signed } from "./sign.ts";
import { measureTests } from "./test-time.ts";

const WATCHLIST = "SPY,QQQ,IWM,DIA,XLF,XLE,XLK,TLT,GLD,EEM";
const WATCHLIST_3 = "SPY,QQQ,IWM";

function step(message: string): void {
  console.log(`· ${message}`);
}

/** One signed PING, so a worker pays its first-request costs before anything is measured. */
async function firstPing(base: string, key?: BenchKey): Promise<void> {
  const request = await signed(ping(), key);
  await fetch(`${base}/discord/interactions`, { method: "POST", headers: request.headers, body: request.body });
}

function argument(flag: string): string | null {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? (process.argv[at + 1] ?? null) : null;
}

async function main(): Promise<void> {
  const withTests = !process.argv.includes("--no-tests");
  const jsonOut = argument("--json");
  const beforeFile = argument("--before");
  const before: Figures | null = beforeFile ? JSON.parse(readFileSync(beforeFile, "utf8")) : null;
  const state = mkdtempSync(join(tmpdir(), "spread-desk-bench-"));
  try {
    // First, while nothing else runs: startup time is CPU time and moves with the machine's load.
    step("production bundle and wrangler check startup (bot and minimal worker, interleaved)");
    const bundle = measureBundle();
    step("the profiler's calibration: known work, straight through and cut by waits");
    const calibration = await calibrate();
    const state3 = join(state, "three");
    step("starting the sandboxes (10 and 3 symbols) and the minimal worker (wrangler dev)");
    const key = await benchKeyPair(); // the endpoint's figures are signed with it (the production entry's)
    // Unminified like the minimal worker (equal footing), and so the profiler can tell modules apart.
    const sandbox = (dir: string, watchlist: string) => [
      "--env",
      "sandbox",
      "--minify=false",
      "--persist-to",
      dir,
      "--var",
      `WATCHLIST:${watchlist}`,
      ...PAID_PLAN_BUDGET,
    ];
    const [bot, bot3, minimal] = await Promise.all([
      startDev("sandbox", sandbox(state, WATCHLIST), "/health"),
      startDev("sandbox-3", sandbox(state3, WATCHLIST_3), "/health"),
      startMinimal(join(state, "minimal"), key),
    ]);
    // One PING each, so none pays its first-request costs inside the scan or the figures.
    for (const [base, signer] of [
      [bot.base, undefined],
      [bot3.base, undefined],
      [minimal.base, key],
    ] as const)
      await firstPing(base, signer);

    step("3-symbol watchlist: SDK load, then the scan, under the CPU profiler");
    const firstSlot = SCAN_SLOTS[0] ?? utc(12, 14, 35);
    const profiles = argument("--profiles") ?? undefined;
    const three = await scanFigures(bot3, 3, firstSlot, profiles);
    bot3.stop();
    step("10-symbol watchlist: SDK load, then the scan, under the CPU profiler");
    const ten = await scanFigures(bot, 10, firstSlot, profiles);
    // One firing moved 18.7 to 24.9 ms a symbol between two runs of the same code: the scans are
    // fired again in fresh sandboxes, one at a time, and the median firing gives the figures.
    step("the same scans in two more fresh sandboxes each, under the CPU profiler");
    const again = async (watchlist: string, symbols: number, i: number): Promise<ScanRunAgain> => {
      const dir = join(state, `again-${symbols}-${i}`);
      const server = await startDev(`sandbox-${symbols}-${i}`, sandbox(dir, watchlist), "/health");
      try {
        await firstPing(server.base);
        const run = await scanFigures(server, symbols, firstSlot);
        return { ...run, rescan: await rescanned(server, symbols) };
      } finally {
        server.stop();
      }
    };
    const threes: ScanRunAgain[] = [three];
    const tens: ScanRunAgain[] = [ten];
    for (const i of [1, 2]) {
      threes.push(await again(WATCHLIST_3, 3, i));
      tens.push(await again(WATCHLIST, 10, i));
    }

    step("Approve clicks on distinct recommendations (the sandbox places their orders)");
    const scans = SCAN_SLOTS.map((time, i) => async () => {
      if (i > 0) await fire(bot.base, SCAN_CRON, time); // the first slot was the profiled scan
    });
    const distinct = await approveDistinct(bot.base, scans);

    step("monitor with the approved positions open, under the CPU profiler");
    const [settle = 0, ...measured] = HELD_MONITOR;
    await fire(bot.base, MONITOR_CRON, settle); // settles what the approvals left working
    const positions = await openPositions(bot.base);
    const runs = [];
    for (const [i, time] of measured.entries())
      runs.push(await profiled(bot, "monitor", time, profiles && `${profiles}/held-monitor-${i + 1}.cpuprofile`));
    // Each measured run must be the same steady work: nothing left to expire or settle.
    const unsteady = runs.filter((run) => Number(run.summary.expired ?? 0) + Number(run.summary.settled ?? 0) > 0);
    if (unsteady.length > 0)
      throw new Error(`a measured monitor run expired or settled something: ${JSON.stringify(unsteady[0]?.summary)}`);
    const heldMonitor = { positions, ...medianRun(runs, (run) => run.botCappedMs) };
    bot.stop();

    // The endpoint as deployed: the sandbox reads its simulated clock for every click (a Durable
    // Object round trip production does not make), so PING and ACK are measured on the production
    // entry, over the same stored recommendations, signed with a key pair made for this run.
    step("starting the production entry on the sandbox's data (wrangler dev)");
    const production = await startProduction(state, key);
    const endpoint = { url: `${production.base}/discord/interactions`, cpuMs: production.cpuMs };
    await firstPing(production.base, key);

    step("signed PING: production entry vs minimal worker at concurrency 1, 10, 50");
    const floor = { url: `${minimal.base}/discord/interactions`, cpuMs: minimal.cpuMs };
    const pingRows = await comparePing(endpoint, floor, key);

    step(
      "repeated Approve clicks, production entry vs the floors (verify and one D1 round trip, before or after the answer)",
    );
    const repeated = await measureRepeated(endpoint, floor, distinct.targets, key);
    const approve = { distinct: distinct.distinct, distinctAnswers: distinct.distinctAnswers, ...repeated };

    production.stop();
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
      commit: spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim(),
      machine: `${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown CPU"}), Node ${process.versions.node}, ${wrangler(["--version"]).trim().split("\n")[0]}`,
      ping: pingRows,
      approve,
      endpointEntry: "production",
      scansFired: SCAN_SLOTS.length,
      bundle,
      calibration,
      budgetKiB: BUDGET_GZIP_KIB,
      scans: [medianScan(threes), medianScan(tens)],
      heldMonitor,
      tests,
    };
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify(figures, null, 2));
    const report = renderReport(figures, before);
    console.log(`\n${report}`);
    writeFileSync(join(ROOT, "BENCHMARKS.md"), report);
    step("written to BENCHMARKS.md");
  } finally {
    stopAll();
    rmSync(state, { recursive: true, force: true });
  }
}

runScript(main);
