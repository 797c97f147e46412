// `node bench/profile.ts [SYMBOL,SYMBOL,…] [--out DIR] [--again | --held] [--free-plan]`: where the bot's CPU goes in one scan and
// in the empty monitor runs before it (bench/jobs.ts), on a fresh sandbox. Prints the bot's self
// time by function (simulator samples left out, as in the bench) and keeps the raw .cpuprofile
// files in DIR for DevTools. Quicker than `npm run bench` when working on the scan.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { GAP_CAP_US, withCpuProfile } from "./cpu-profile.ts";
import { approveButton, buttonClick, type ChannelMessage, ping } from "./interactions.ts";
import {
  approveAll,
  fire,
  HELD_MONITOR,
  MONITOR_CRON,
  openPositions,
  PAID_PLAN_BUDGET,
  profiled,
  rescanned,
  SCAN_SLOTS,
  scanFigures,
  utc,
} from "./jobs.ts";
import { percentile } from "./load.ts";
import { runScript, startDev, startProduction, stopAll } from "./processes.ts";
import { benchKeyPair, signed } from "./sign.ts";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

function selfTimes(file: string, top = 25): string[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const named = (n: Node | undefined) =>
    `${n?.callFrame.functionName || "(anonymous)"} ${(n?.callFrame.url ?? "").replace(/^.*node_modules\//, "")}`;
  const simulated = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      if (/src\/sandbox\/(alpaca|discord)\//.test(nodes.get(at)?.callFrame.url ?? "")) return true;
    return false;
  };
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    if (node?.callFrame.functionName === "(idle)" || simulated(id)) return;
    // The caller chain, to tell who asked for the time (three frames up).
    const chain = [named(node)];
    for (let up = parent.get(id), k = 0; up !== undefined && k < 3; up = parent.get(up), k++)
      chain.push(named(nodes.get(up)));
    const key = chain.join(" < ");
    // Capped as the bench's figures are: a sample after a wait carries the wait (cpu-profile.ts).
    self.set(key, (self.get(key) ?? 0) + Math.min(profile.timeDeltas[i] ?? 0, GAP_CAP_US));
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}

async function main(): Promise<void> {
  const symbols =
    process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "SPY,QQQ,IWM,DIA,XLF,XLE,XLK,TLT,GLD,EEM";
  const outAt = process.argv.indexOf("--out");
  const out = outAt > 0 ? (process.argv[outAt + 1] ?? tmpdir()) : mkdtempSync(join(tmpdir(), "spread-desk-profile-"));
  mkdirSync(out, { recursive: true });
  // --held clicks the scan's cards: after --again's next day they would be expired ones.
  if (process.argv.includes("--again") && process.argv.includes("--held"))
    throw new Error("--again and --held: one or the other (the next day's scan expires the cards --held clicks)");
  const state = mkdtempSync(join(tmpdir(), "spread-desk-profile-state-"));
  try {
    const bot = await startDev(
      "sandbox",
      [
        "--env",
        "sandbox",
        "--minify=false",
        "--persist-to",
        state,
        "--var",
        `WATCHLIST:${symbols}`,
        // --free-plan: the free plan's 50 subrequests, with which a 10-symbol scan reads chains whole.
        ...(process.argv.includes("--free-plan") ? [] : PAID_PLAN_BUDGET),
      ],
      "/health",
    );
    const count = symbols.split(",").length;
    const run = await scanFigures(bot, count, SCAN_SLOTS[0] ?? utc(12, 14, 35), out);
    for (const [name, job] of Object.entries({
      "cold monitor": run.coldMonitor,
      "warm monitor": run.warmMonitor,
      scan: run.scan,
    }))
      console.log(
        `${name}: bot ${job.botCappedMs.toFixed(1)} ms capped, ${job.botMs.toFixed(1)} uncapped (strict ${(job.cpuMs - job.simulatorMs).toFixed(1)}; module load ${job.loadMs.toFixed(1)}), simulators ${job.simulatorMs.toFixed(1)}, sandbox wiring ${job.sandboxMs.toFixed(1)}, GC ${job.gcMs.toFixed(1)} ms`,
      );
    console.log(
      `scan: ${(run.scan.botCappedMs / count).toFixed(1)} ms per symbol capped; summary ${JSON.stringify(run.scan.summary).slice(0, 400)}`,
    );
    console.log(`\nthe bot's self time by function < its callers (${out}/${count}-scan.cpuprofile):`);
    for (const line of selfTimes(join(out, `${count}-scan.cpuprofile`))) console.log(line);
    if (process.argv.includes("--again")) {
      // The next day's scan on the same isolate: what of the first scan was its code's first run.
      const again = await rescanned(bot, count, join(out, `${count}-rescan.cpuprofile`));
      console.log(
        `\nrescan: bot ${again.botCappedMs.toFixed(1)} ms capped (${(again.botCappedMs / count).toFixed(1)} a symbol), GC ${again.gcMs.toFixed(1)} ms`,
      );
      for (const line of selfTimes(join(out, `${count}-rescan.cpuprofile`))) console.log(line);
    }
    if (process.argv.includes("--held")) {
      // The Approve buttons, read before the approvals take them off the cards.
      const messages = (await (await fetch(`${bot.base}/sandbox/api/messages`)).json()) as ChannelMessage[];
      const targets = messages.flatMap((m) => {
        const customId = approveButton(m);
        return customId ? [{ m, customId }] : [];
      });
      const approved = await approveAll(bot.base);
      // The approvals place their orders after the answer: give them a moment to settle.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const [settle = 0, measured = 0] = HELD_MONITOR;
      await fire(bot.base, MONITOR_CRON, settle);
      const positions = await openPositions(bot.base);
      const held = await profiled(bot, "monitor", measured, join(out, "held-monitor.cpuprofile"));
      console.log(
        `\nmonitor with ${positions} open positions (${approved} approved): bot ${held.botCappedMs.toFixed(1)} ms capped, ${held.botMs.toFixed(1)} uncapped (strict ${(held.cpuMs - held.simulatorMs).toFixed(1)}), GC ${held.gcMs.toFixed(1)} ms; ${JSON.stringify(held.summary).slice(0, 300)}`,
      );
      for (const line of selfTimes(join(out, "held-monitor.cpuprofile"))) console.log(line);
      // Repeated Approve clicks on the approved recommendations, one at a time, on the production
      // entry over the sandbox's data (as the bench measures the endpoint): the ACK path's CPU.
      bot.stop();
      const key = await benchKeyPair();
      const production = await startProduction(state, key);
      const clicks = await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const t = targets[i % targets.length];
          return signed(buttonClick(t?.m ?? { id: "0" }, t?.customId ?? ""), key);
        }),
      );
      const pings = await Promise.all(Array.from({ length: 100 }, () => signed(ping(), key)));
      for (const [what, file, requests] of [
        ["PINGs", "pings", pings],
        ["repeated Approve clicks", "clicks", clicks],
      ] as const) {
        const latencies: number[] = [];
        const run = await withCpuProfile(
          production.inspectorPort,
          async () => {
            for (const r of requests) {
              const start = performance.now();
              const url = `${production.base}/discord/interactions`;
              await (await fetch(url, { method: "POST", headers: r.headers, body: r.body })).text();
              latencies.push(performance.now() - start);
            }
          },
          join(out, `${file}.cpuprofile`),
        );
        latencies.sort((a, b) => a - b);
        console.log(
          `\n100 ${what}, production entry: bot ${(run.botCappedMs / 100).toFixed(2)} ms each capped, ${(run.botMs / 100).toFixed(2)} uncapped; latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms`,
        );
      }
      for (const line of selfTimes(join(out, "clicks.cpuprofile"))) console.log(line);
    }
  } finally {
    stopAll();
    rmSync(state, { recursive: true, force: true });
  }
}

runScript(main);
