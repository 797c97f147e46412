import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config";

// The sandbox env from wrangler.toml is a complete, valid configuration.
const valid = { ...env } as Record<string, unknown>;

function problemsOf(overrides: Record<string, unknown>): string[] {
  try {
    parseConfig({ ...valid, ...overrides }, "sandbox");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("parses the sandbox settings with paper trading and the defaults", () => {
    const config = parseConfig(valid, "sandbox");
    expect(config.mode).toBe("paper");
    expect(config.alpaca.paper).toBe(true);
    expect(config.watchlist).toEqual(["SPY", "QQQ", "IWM", "GLD"]);
    expect(config.strategy).toMatchObject({ dteMin: 30, dteMax: 45, shortDeltaMin: 0.2, shortDeltaMax: 0.3 });
    expect(config.exits).toEqual({ profitTargetPct: 0.5, stopLossPct: 2, exitDte: 21 });
    expect(config.risk.maxDriftPct).toBe(0.01);
    expect(config.analyst.apiKey).toBeUndefined();
  });

  it("scans at SCAN_TIMES in day order (default 09:35, 12:00, 15:30 New York)", () => {
    expect(parseConfig(valid, "sandbox").schedule.scanTimes).toEqual(["09:35", "12:00", "15:30"]);
    expect(parseConfig({ ...valid, SCAN_TIMES: "14:00, 10:00" }, "sandbox").schedule.scanTimes).toEqual([
      "10:00",
      "14:00",
    ]);
  });

  it("names SCAN_TIMES for a time outside the session (16:30) or off a 5-minute mark (09:32)", () => {
    expect(problemsOf({ SCAN_TIMES: "09:35,16:30,09:32" })).toEqual([
      "SCAN_TIMES 16:30 is outside the session: scans run from 09:30 to 15:55 New York",
      "SCAN_TIMES 09:32 is not on a 5-minute mark (the cron fires at :00, :05, … :55)",
    ]);
  });

  it("defaults to paper trading when TRADING_MODE is not set", () => {
    expect(parseConfig({ ...valid, TRADING_MODE: undefined }, "sandbox").mode).toBe("paper");
  });

  it("trades live only when TRADING_MODE=live and CONFIRM_LIVE_TRADING=true are both set", () => {
    expect(problemsOf({ TRADING_MODE: "live", ALPACA_DATA_FEED: "opra" })).toEqual([
      "TRADING_MODE is live but CONFIRM_LIVE_TRADING is not true: set both on purpose to send real-money orders",
    ]);
    const config = parseConfig(
      { ...valid, TRADING_MODE: "live", CONFIRM_LIVE_TRADING: "true", ALPACA_DATA_FEED: "opra" },
      "sandbox",
    );
    expect(config.mode).toBe("live");
    expect(config.alpaca.paper).toBe(false);
  });

  it.each([
    [{ TRADING_MODE: "yolo" }, /^TRADING_MODE /],
    [{ DISCORD_PUBLIC_KEY: "abc" }, /^DISCORD_PUBLIC_KEY must be the application's 64-hex-digit public key/],
    [{ DISCORD_BOT_TOKEN: undefined }, /^DISCORD_BOT_TOKEN is required/],
    [{ ALPACA_SECRET_KEY: "" }, /^ALPACA_SECRET_KEY is required/],
    [{ WATCHLIST: "spy,QQQ" }, /^WATCHLIST must be upper-case tickers/],
    [{ DTE_MIN: "50", DTE_MAX: "40" }, /^DTE_MIN must not exceed DTE_MAX/],
    [{ MAX_DRIFT_PCT: "lots" }, /^MAX_DRIFT_PCT /],
    [{ ALLOWED_USER_IDS: "" }, /^ALLOWED_USER_IDS needs at least one Discord user id/],
    [{ SPREAD_WIDTHS: "5,ten" }, /^SPREAD_WIDTHS must be numbers/],
    [
      { DTE_MIN: "21", EXIT_DTE: "21" },
      /^DTE_MIN must be above EXIT_DTE \(21\): a trade would get its time-exit alert/,
    ],
    [
      { TRADING_MODE: "live", CONFIRM_LIVE_TRADING: "true", ALPACA_DATA_FEED: "indicative" },
      /^ALPACA_DATA_FEED must be opra when TRADING_MODE=live/,
    ],
  ])("names the setting in the error for %o", (overrides, expected) => {
    const problems = problemsOf(overrides);
    expect(
      problems.some((p) => expected.test(p)),
      problems.join(" | "),
    ).toBe(true);
  });

  it("books $0.06 of fees a contract a leg a fill by default (Alpaca's regulatory fees), 0 when set so, never negative", () => {
    expect(parseConfig(valid, "sandbox").fees).toEqual({ optionFeePerContract: 0.06 });
    expect(parseConfig({ ...valid, OPTION_FEE_PER_CONTRACT: "0" }, "sandbox").fees.optionFeePerContract).toBe(0);
    expect(problemsOf({ OPTION_FEE_PER_CONTRACT: "-0.01" }).some((p) => p.startsWith("OPTION_FEE_PER_CONTRACT "))).toBe(
      true,
    );
  });

  it("refuses quotes older than 1200 s on the delayed indicative feed and 60 s on opra by default, or MAX_QUOTE_AGE_SECONDS when set", () => {
    expect(parseConfig(valid, "sandbox").strategy.maxQuoteAgeSeconds).toBe(1200);
    expect(parseConfig({ ...valid, ALPACA_DATA_FEED: "opra" }, "sandbox").strategy.maxQuoteAgeSeconds).toBe(60);
    expect(parseConfig({ ...valid, MAX_QUOTE_AGE_SECONDS: "90" }, "sandbox").strategy.maxQuoteAgeSeconds).toBe(90);
    for (const bad of ["0", "1.5", "7200", "soon"])
      expect(
        problemsOf({ MAX_QUOTE_AGE_SECONDS: bad }).some((p) => p.startsWith("MAX_QUOTE_AGE_SECONDS ")),
        bad,
      ).toBe(true);
  });

  it("refuses the sandbox's published test key in the real world, naming DISCORD_PUBLIC_KEY", () => {
    expect(() => parseConfig(valid)).toThrow(/DISCORD_PUBLIC_KEY is the sandbox's published test key/);
    expect(parseConfig({ ...valid, DISCORD_PUBLIC_KEY: "ab".repeat(32) }).discord.publicKey).toBe("ab".repeat(32));
  });

  it("reports a wrong setting from the /health endpoint instead of running half-configured", async () => {
    const { createWorker } = await import("../../../src/worker");
    const { realWorld } = await import("../../../src/outside");
    const worker = createWorker("real", () => realWorld);
    const response = await worker.fetch(
      new Request("http://bot.test/health"),
      { ...env, TRADING_MODE: "maybe" },
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, error: expect.stringMatching(/TRADING_MODE/) });
  });
});
