// `node bench/clicks.ts [--rounds N]`: the endpoint's figures alone, in about a minute: signed
// PINGs (the production entry vs the minimal worker) and repeated Approve clicks (the production
// entry vs the floor, verify + one D1 round trip, and the deferred floor, the same round trip after
// a deferred answer), at concurrency 1, 10 and 50, measured as
// `npm run bench` measures them (bench/endpoint.ts), with the runtime's CPU per request. For
// trying a change to the click's path; the report's figures come from `npm run bench`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { approveDistinct, comparePing, measureRepeated } from "./endpoint.ts";
import { ping } from "./interactions.ts";
import { fire, SCAN_CRON, SCAN_SLOTS } from "./jobs.ts";
import type { Summary } from "./load.ts";
import { runScript, startDev, startMinimal, startProduction, stopAll } from "./processes.ts";
import { benchKeyPair, signed } from "./sign.ts";

const figure = (s: Summary) => `p50 ${s.p50.toFixed(1)} p99 ${s.p99.toFixed(1)} cpu ${s.cpuPerRequestMs?.toFixed(2)}`;

async function main(): Promise<void> {
  const at = process.argv.indexOf("--rounds");
  const rounds = at > 0 ? Number(process.argv[at + 1]) : 6;
  const state = mkdtempSync(join(tmpdir(), "spread-desk-clicks-"));
  try {
    // Approved recommendations to click on: one scan of three symbols, each approved once.
    const sandbox = await startDev(
      "sandbox",
      ["--env", "sandbox", "--persist-to", state, "--var", "WATCHLIST:SPY,QQQ,IWM"],
      "/health",
    );
    const { targets } = await approveDistinct(sandbox.base, [
      async () => {
        await fire(sandbox.base, SCAN_CRON, SCAN_SLOTS[0] ?? 0);
      },
    ]);
    sandbox.stop();

    const key = await benchKeyPair();
    const [production, minimal] = await Promise.all([
      startProduction(state, key),
      startMinimal(join(state, "minimal"), key),
    ]);
    const bot = { url: `${production.base}/discord/interactions`, cpuMs: production.cpuMs };
    const floor = { url: `${minimal.base}/discord/interactions`, cpuMs: minimal.cpuMs };
    for (const target of [bot, floor]) {
      const request = await signed(ping(), key);
      await fetch(target.url, { method: "POST", headers: request.headers, body: request.body });
    }
    const pings = await comparePing(bot, floor, key, rounds);
    const clicks = await measureRepeated(bot, floor, targets, key, rounds);
    for (const [i, row] of pings.entries()) {
      const ack = clicks.repeated[i];
      const least = clicks.floor?.[i];
      // The ACK's baseline as the bench judges it: the minimal worker's PINGs in the clicks' rounds.
      const baseline = clicks.baseline?.[i];
      const deferred = clicks.deferred?.[i];
      if (!ack || !least || !baseline) continue;
      console.log(
        `C=${row.concurrency}  PING bot ${figure(row.bot)} | PING minimal ${figure(baseline)} | floor ${figure(least)} | ACK ${figure(ack)} | ACK÷PING p99 ${(ack.p99 / baseline.p99).toFixed(2)}× ACK÷floor p99 ${(ack.p99 / least.p99).toFixed(2)}× cpu ${((ack.cpuPerRequestMs ?? 0) / (least.cpuPerRequestMs ?? 1)).toFixed(2)}× | deferred floor ${deferred ? `${figure(deferred)} ÷PING p99 ${(deferred.p99 / baseline.p99).toFixed(2)}×` : "not measured"}`,
      );
    }
    console.log(`ACK answered: ${clicks.repeatedAnswer}; ${rounds} rounds of 50 requests a lane and concurrency`);
  } finally {
    stopAll();
    rmSync(state, { recursive: true, force: true });
  }
}

runScript(main);
