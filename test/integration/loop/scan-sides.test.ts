// A chain fetched by side (a put and a call request, domain/chain-interest.ts sideStrikes) reads
// about half the bytes for a request more. The scan does so when its subrequest budget holds it
// (domain/scan-plan.ts chainBySide) and must then find exactly what it finds on whole chains.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { chainRequests } from "../../support/alpaca-sim";
import { createAnthropicSim } from "../../support/anthropic-sim";
import { countingWorld, total } from "../../support/counting-env";
import { resetWorld, SCAN_SLOT, TEN_SYMBOLS } from "../../support/sandbox-driver";

const TEN = TEN_SYMBOLS.split(",");

/** resetWorld, and no IV history: a scan's ATM IVs (which resetWorld keeps) would size the next scan's window narrower. */
async function freshWorld(): Promise<void> {
  await resetWorld();
  await env.DB.prepare("DELETE FROM iv_history").run();
}

beforeEach(freshWorld);

/**
 * A scan of the ten symbols with Claude configured and room for every idea, at the pinned start,
 * and its chain requests' queries by symbol.
 */
async function scanTen(budget: number) {
  const claude = createAnthropicSim({ kind: "answer" });
  const world = await countingWorld(
    {
      WATCHLIST: TEN_SYMBOLS,
      MAX_RECOMMENDATIONS_PER_SCAN: "25",
      SUBREQUEST_BUDGET: `${budget}`,
      ANTHROPIC_API_KEY: "sk-test",
    },
    claude.fetch,
  );
  const result = await world.run("scan", SCAN_SLOT);
  if (result.outcome !== "ran") throw new Error(`the scan did not run: ${JSON.stringify(result)}`);
  const chains = new Map<string, URLSearchParams[]>();
  for (const { symbol, query } of await chainRequests()) chains.set(symbol, [...(chains.get(symbol) ?? []), query]);
  const posted = (result.summary.posted as { title: string }[]).map((p) => p.title);
  return { posted, skipped: result.summary.skipped, chains };
}

describe("scan: chains by side", () => {
  it("reads every chain by side on a paid plan's budget and finds the same ideas as on whole chains", async () => {
    // On the free plan's 50, Claude for ten slots (5 each) leaves no room to split: every chain comes whole.
    const whole = await scanTen(50);
    await freshWorld();
    const sided = await scanTen(1000);

    for (const symbol of TEN) {
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
    const chainAsks = (scan: typeof whole) => [...scan.chains.values()].flat().length;
    expect(chainAsks(sided) - chainAsks(whole)).toBeGreaterThan(0);
    expect(chainAsks(sided) - chainAsks(whole)).toBeLessThanOrEqual(TEN.length);
  });

  it("on the free plan's 50 without Claude splits a 10-symbol scan's last chains only, and stays within the budget", async () => {
    const world = await countingWorld({ WATCHLIST: TEN_SYMBOLS });
    const result = await world.run("scan", SCAN_SLOT);
    expect(result.outcome).toBe("ran");
    expect(total(world.counts)).toBeLessThanOrEqual(50);
    const typed = (await chainRequests()).map((r) => [r.symbol, r.query.get("type")]);
    const sidedSymbols = [...new Set(typed.filter(([, type]) => type !== null).map(([symbol]) => symbol))];
    expect(typed[0]).toEqual(["SPY", null]);
    expect(sidedSymbols.length).toBeGreaterThan(0);
    expect(sidedSymbols).toEqual(TEN.slice(-sidedSymbols.length));
  });
});
