// A chain fetched by side (a put and a call request, domain/chain-interest.ts sideStrikes) reads
// about half the bytes for a request more. The scan does so when its subrequest budget holds it
// (domain/scan-plan.ts chainBySide) and must then find exactly what it finds on whole chains.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { runJob } from "../../../src/jobs/run-job";
import * as alpaca from "../../support/alpaca-sim";
import { countingWorld, total } from "../../support/counting-env";
import { resetWorld, SANDBOX_START, SCAN_SLOT } from "../../support/sandbox-driver";

const TEN = "SPY,QQQ,IWM,DIA,XLF,XLE,XLK,TLT,GLD,EEM";
const CHAIN = "/v1beta1/options/snapshots/";

beforeEach(resetWorld);

/** A scan of TEN with room for every idea, at SANDBOX_START, and its chain requests' queries by symbol. */
async function scanTen(budget: number) {
  const world = await countingWorld({
    WATCHLIST: TEN,
    MAX_RECOMMENDATIONS_PER_SCAN: "25",
    SUBREQUEST_BUDGET: `${budget}`,
  });
  const result = await runJob(createApp(world.env, world.outside), "scan", SCAN_SLOT, SANDBOX_START);
  if (result.outcome !== "ran") throw new Error(`the scan did not run: ${JSON.stringify(result)}`);
  const chains = new Map<string, URLSearchParams[]>();
  for (const r of await alpaca.requests())
    if (r.path.startsWith(CHAIN)) {
      const symbol = r.path.slice(CHAIN.length);
      chains.set(symbol, [...(chains.get(symbol) ?? []), new URLSearchParams(r.query)]);
    }
  const posted = (result.summary.posted as { title: string }[]).map((p) => p.title);
  return { posted, skipped: result.summary.skipped, chains, spent: total(world.counts) };
}

describe("scan: chains by side", () => {
  it("reads every chain by side on a paid plan's budget and finds the same ideas as on whole chains", async () => {
    // The free plan's 50 with ten slots leaves no room to split: every chain comes whole.
    const whole = await scanTen(50);
    await resetWorld();
    // The IV history resetWorld keeps now holds today's ATM IVs, which would size the window narrower.
    await env.DB.prepare("DELETE FROM iv_history").run();
    const sided = await scanTen(1000);

    for (const symbol of TEN.split(",")) {
      const [first] = whole.chains.get(symbol) ?? [];
      expect(first?.get("type"), symbol).toBeNull();
      const requests = sided.chains.get(symbol) ?? [];
      const put = requests.find((q) => q.get("type") === "put");
      const call = requests.find((q) => q.get("type") === "call");
      expect(
        requests.every((q) => q === put || q === call || q.has("page_token")),
        symbol,
      ).toBe(true);
      // Puts stop a little over the price and calls start a little under it (further with no IV
      // recorded yet): the two sides ask for a quarter fewer strikes than the whole chain or less.
      const [from, to] = [Number(first?.get("strike_price_gte")), Number(first?.get("strike_price_lte"))];
      const [putTo, callFrom] = [Number(put?.get("strike_price_lte")), Number(call?.get("strike_price_gte"))];
      expect(Number(put?.get("strike_price_gte")), symbol).toBe(from);
      expect(Number(call?.get("strike_price_lte")), symbol).toBe(to);
      expect(putTo, symbol).toBeGreaterThan(callFrom);
      expect(putTo - from + (to - callFrom), symbol).toBeLessThanOrEqual(0.75 * 2 * (to - from));
    }
    expect(whole.skipped).toEqual([]);
    expect(whole.posted.length).toBeGreaterThanOrEqual(5);
    expect(sided.posted).toEqual(whole.posted);
    // A request more for each chain of one page, no more than one more for each chain.
    expect(sided.spent - whole.spent).toBeGreaterThan(0);
    expect(sided.spent - whole.spent).toBeLessThanOrEqual(10);
  });

  it("on the free plan's 50 splits a 10-symbol scan's last chains only, and stays within the budget", async () => {
    const world = await countingWorld({ WATCHLIST: TEN });
    const result = await runJob(createApp(world.env, world.outside), "scan", SCAN_SLOT, SANDBOX_START);
    expect(result.outcome).toBe("ran");
    expect(total(world.counts)).toBeLessThanOrEqual(50);
    const typed = (await alpaca.requests())
      .filter((r) => r.path.startsWith(CHAIN))
      .map((r) => [r.path.slice(CHAIN.length), new URLSearchParams(r.query).get("type")]);
    const sidedSymbols = [...new Set(typed.filter(([, type]) => type !== null).map(([symbol]) => symbol))];
    expect(typed[0]).toEqual(["SPY", null]);
    expect(sidedSymbols.length).toBeGreaterThan(0);
    expect(sidedSymbols).toEqual(TEN.split(",").slice(-sidedSymbols.length));
  });
});
