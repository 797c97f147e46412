// The figures as a Markdown report (printed, and written to BENCHMARKS.md) with targets marked.
import type { BundleFigures } from "./bundle.ts";
import type { ApproveFigures, PingRow } from "./endpoint.ts";
import type { Summary } from "./load.ts";
import type { TestTimes } from "./test-time.ts";

export interface ScanFigures {
  wallMs: number;
  cpuMs: number;
  simulatorMs: number;
  summary: Record<string, unknown>;
}

export interface Figures {
  date: string;
  machine: string;
  ping: PingRow[];
  approve: ApproveFigures;
  scansFired: number;
  bundle: BundleFigures;
  budgetKiB: number;
  scan: ScanFigures;
  tests: TestTimes | null;
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
const mark = (ok: boolean) => (ok ? "✅" : "❌");
const statuses = (s: Summary) =>
  Object.entries(s.statuses)
    .map(([code, n]) => `${n}×${code}`)
    .join(" ");

function pingTable(rows: PingRow[]): string[] {
  const lines = [
    "| concurrency | minimal p50 | bot p50 | **p50 ratio** (target ≤ 1.2) | minimal p99 | bot p99 | minimal req/s | bot req/s | answers (bot) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of rows) {
    const ratio = r.bot.p50 / r.minimal.p50;
    lines.push(
      `| ${r.concurrency} | ${ms(r.minimal.p50)} | ${ms(r.bot.p50)} | **${ratio.toFixed(2)}×** ${mark(ratio <= 1.2)} | ${ms(r.minimal.p99)} | ${ms(r.bot.p99)} | ${r.minimal.perSecond.toFixed(0)} | ${r.bot.perSecond.toFixed(0)} | ${statuses(r.bot)} |`,
    );
  }
  return lines;
}

function approveTable(a: ApproveFigures): string[] {
  const lines = [
    "| clicks | concurrency | n | p50 | p99 (target ≤ 150) | max | req/s | answers |",
    "|---|---:|---:|---:|---:|---:|---:|---|",
    `| first click on a distinct pending recommendation (claim + card update) | 1 | ${a.distinct.count} | ${ms(a.distinct.p50)} | ${ms(a.distinct.p99)} ${mark(a.distinct.p99 <= 150)} | ${ms(a.distinct.max)} | – | ${Object.entries(
      a.distinctAnswers,
    )
      .map(([k, n]) => `${n}× ${k}`)
      .join("; ")} |`,
  ];
  for (const r of a.repeated) {
    lines.push(
      `| repeated click on an approved recommendation | ${r.concurrency} | ${r.count} | ${ms(r.p50)} | ${ms(r.p99)} ${mark(r.p99 <= 150)} | ${ms(r.max)} | ${r.perSecond.toFixed(0)} | ${statuses(r)}: ${a.repeatedAnswer} |`,
    );
  }
  return lines;
}

function approveNotes(a: ApproveFigures): string[] {
  const notes: string[] = [];
  if (a.distinct.count < 10)
    notes.push(
      `- Only ${a.distinct.count} first clicks: that is every recommendation the sandbox posted. Symbols whose simulated`,
      "  chain offers no spread are skipped, and a symbol with a pending or approved recommendation is not offered",
      "  again, so later scan slots add none. With so few samples the p99 of that row is its maximum.",
    );
  const over = a.repeated.filter((r) => r.p99 > 150).map((r) => r.concurrency);
  if (over.length > 0)
    notes.push(
      `- At concurrency ${over.join(" and ")} the p99 is over 150 ms. Each click makes three D1 round trips (the`,
      "  replay insert, a read, one atomic batch: claim + audit + read); the local D1 is one SQLite file with one writer, shared with the",
      "  simulators, and the client, wrangler and workerd share the 2 cores, so clicks queue: look at req/s.",
      `  The slowest click took ${ms(Math.max(...a.repeated.map((r) => r.max)))} ms (Discord allows 3000 ms).`,
    );
  return notes;
}

export function renderReport(f: Figures): string {
  const s = f.scan.summary;
  const posted = Array.isArray(s.posted) ? s.posted.length : "?";
  const skipped = Array.isArray(s.skipped) ? s.skipped.length : "?";
  const numeric = Object.entries(s)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => `${k} = ${v}`)
    .join(", ");
  const subrequests = typeof s.subrequests === "number" ? s.subrequests : Number.NaN;
  const t = f.tests;
  return [
    "# Benchmarks",
    "",
    `Measured ${f.date} by \`npm run bench\` (bench/run.ts). Machine: ${f.machine}.`,
    "Figures on this machine are noisy (2 cores shared by the client, workerd and wrangler): compare",
    "ratios against the baseline measured in the same run, not absolute milliseconds across runs.",
    "All latencies are milliseconds from the client (Node fetch, keep-alive) over loopback to `wrangler dev`.",
    "",
    "## Interactions endpoint: signed PING",
    "",
    "The bot is the sandbox (`wrangler dev --env sandbox --minify=false`: the production handler behind the",
    "sandbox's routes); the baseline is bench/minimal-worker.ts (verifyKey + PONG only, also unminified) on the",
    "same workerd, started in the same run. Each level: a warm-up, then 6 rounds × 50 signed PINGs per worker,",
    "alternating which goes first. Requests are signed before the clock starts.",
    "",
    ...pingTable(f.ping),
    "",
    "## Approve click (ACK time)",
    "",
    `A scan of the 10-symbol watchlist (below) posted the recommendations; ${f.scansFired} scan slots were fired on`,
    "successive January 2027 weekdays to post more. Every recommendation was approved once, one click at a time:",
    "that is the full ACK path (verify, replay table, authorization, the D1 claim, audit, the updated card);",
    "the order is placed after the response, in waitUntil, and is not in these figures. Repeated clicks on the",
    "approved recommendations take the same path up to the claim, which finds nothing to claim, and answer",
    '"already approved"; they give enough samples for p99 at each concurrency.',
    "",
    ...approveTable(f.approve),
    "",
    ...approveNotes(f.approve),
    "",
    "## Bundle and startup",
    "",
    "| production bundle (`wrangler deploy --dry-run`) | figure | target |",
    "|---|---:|---|",
    `| raw | ${f.bundle.rawKiB.toFixed(1)} KiB | – |`,
    `| gzip | ${f.bundle.gzipKiB.toFixed(1)} KiB | ≤ ${f.budgetKiB} KiB ${mark(f.bundle.gzipKiB <= f.budgetKiB)} (a test in test/node/production-bundle.test.ts) |`,
    `| startup, \`wrangler check startup\` "Active" CPU, measured first, median of ${f.bundle.startupRuns.join(" / ")} ms | ${ms(f.bundle.startupMs)} ms | ≤ 35 ms ${mark(f.bundle.startupMs <= 35)} |`,
    "",
    "The SDKs (Alpaca, Anthropic) are imported on first use (dynamic import), so the startup profile",
    "evaluates neither; a PING or /help never loads them.",
    "",
    "## One scan of a 10-symbol watchlist",
    "",
    "`--var WATCHLIST:SPY,QQQ,IWM,DIA,XLF,XLE,XLK,TLT,GLD,EEM` on the sandbox, fired through",
    "`/cdn-cgi/handler/scheduled` for a January 2027 weekday at 15:00 UTC, the first job in a fresh isolate",
    "(so it includes loading the Alpaca SDK). CPU is the isolate's busy time in the DevTools sampling profiler",
    "(100 µs interval) during the scan. The simulated Alpaca and Discord (Durable Objects) run in the same isolate:",
    "samples whose stack runs through src/sandbox/alpaca or src/sandbox/discord are counted as theirs; the rest",
    "(the bot's code, its libraries, garbage collection) is the bot's.",
    "",
    "| figure | value | target |",
    "|---|---:|---|",
    `| recommendations posted / symbols skipped | ${posted} / ${skipped} | – |`,
    `| subrequests (job summary) | ${Number.isFinite(subrequests) ? subrequests : "n/a"} | ≤ 50 ${mark(subrequests <= 50)} |`,
    `| wall time of the scheduled event | ${ms(f.scan.wallMs)} ms | – |`,
    `| CPU of the isolate during the scan | ${ms(f.scan.cpuMs)} ms | – |`,
    `| of which the simulators | ${ms(f.scan.simulatorMs)} ms | – |`,
    `| **of which the bot** | **${ms(f.scan.cpuMs - f.scan.simulatorMs)} ms** | paid plan: 30 s; free plan: 10 ms |`,
    "",
    `Numeric fields of the job summary: ${numeric || "(none)"}.`,
    "",
    "## `npm test` wall time",
    "",
    t
      ? [
          "| step | seconds |",
          "|---|---:|",
          `| typecheck (\`tsc --noEmit\`, both configs) | ${t.typecheckS.toFixed(1)} |`,
          `| lint (\`biome ci .\`) | ${t.lintS.toFixed(1)} |`,
          `| vitest (workers + node projects, incl. the browser test) | ${t.vitestS.toFixed(1)} |`,
          `| **npm test** (the three steps) | **${(t.typecheckS + t.lintS + t.vitestS).toFixed(1)}** |`,
          "",
          `Result: ${t.passed ? "all green" : "NOT all green"}; vitest: ${t.vitestLine}. Measured after the dev servers were stopped.`,
          ...(t.failing.length > 0 ? ["", `Failing files in this run: ${t.failing.join(", ")}.`] : []),
        ].join("\n")
      : "Skipped in this run (`--no-tests`).",
    "",
  ].join("\n");
}
