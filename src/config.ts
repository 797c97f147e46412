// Settings are read once from the Worker's env (vars + secrets), checked with zod, and handed
// around as a typed Config. A wrong or missing setting is a ConfigError naming it; the Worker
// answers with that message instead of running half-configured.
import { DEFAULT_MODEL } from "./analyst/models";
import { PUBLISHED_TEST_PUBLIC_KEY } from "./discord/published-test-key";
import { type BlackoutDate, parseBlackoutDates } from "./domain/events";
import type { FeeSettings } from "./domain/fees";
import { DEFAULT_SCAN_TIMES, scanTimesProblems, sortedScanTimes } from "./domain/job-slots";
import type { ScreenSettings } from "./domain/screener";
import * as z from "./zod-mini";

const snowflake = z.string().check(z.regex(/^\d{15,22}$/, "must be a Discord id (digits)"));
const hexKey = z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, "must be the application's 64-hex-digit public key"));
const nonEmpty = z.string().check(z.trim(), z.minLength(1, "is required"));

/** Comma-separated list → trimmed, non-empty items. */
const list = <T extends z.ZodMiniType<string, string>>(item: T) =>
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((s: string) =>
        s
          .split(",")
          .map((x) => x.trim())
          .filter((x) => x !== ""),
      ),
    ),
    z.array(item),
  );

/** Env vars are strings; numbers come in as "0.25". */
const num = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.gte(min), z.lte(max)), fallback);
const int = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);

/** "true" / "false" (env vars are strings). */
const flag = (fallback: boolean) =>
  z.pipe(
    z._default(z.enum(["true", "false"]), fallback ? "true" : "false"),
    z.transform((v: "true" | "false") => v === "true"),
  );

/** A New York wall-clock time inside the regular session, "HH:MM". */
const sessionTime = (fallback: string) =>
  z._default(
    z
      .string()
      .check(
        z.regex(/^(09:(3[0-9]|[45][0-9])|1[0-5]:[0-5][0-9])$/, "must be HH:MM (New York) between 09:30 and 15:59"),
      ),
    fallback,
  );

const ticker = z.string().check(z.regex(/^[A-Z]{1,6}$/, "must be upper-case tickers like SPY"));

const EnvSchema = z
  .object({
    // Trading mode: paper by default. Live needs TRADING_MODE=live, set on purpose.
    TRADING_MODE: z._default(z.enum(["paper", "live"]), "paper"),
    // A second, separate switch for live: one mistyped variable must not send real orders.
    CONFIRM_LIVE_TRADING: flag(false),
    WATCHLIST: z._default(
      z.pipe(list(ticker), z.array(ticker).check(z.minLength(1, "needs at least one symbol"), z.maxLength(25))),
      ["SPY", "QQQ", "IWM"],
    ),

    // Discord
    DISCORD_APPLICATION_ID: snowflake,
    DISCORD_PUBLIC_KEY: hexKey,
    DISCORD_CHANNEL_ID: snowflake,
    DISCORD_BOT_TOKEN: nonEmpty,
    ALLOWED_USER_IDS: z._default(list(snowflake), []),
    ALLOWED_ROLE_IDS: z._default(list(snowflake), []),

    // Alpaca
    ALPACA_KEY_ID: nonEmpty,
    ALPACA_SECRET_KEY: nonEmpty,
    ALPACA_DATA_FEED: z._default(z.enum(["indicative", "opra"]), "indicative"),

    // Analyst (optional: without a key the rule-based analyst writes the thesis)
    ANTHROPIC_API_KEY: z.optional(z.string().check(z.trim())),
    // The current Sonnet (src/analyst/models.ts says where that was read, and what each model costs).
    ANTHROPIC_MODEL: z._default(nonEmpty, DEFAULT_MODEL),
    ANALYST_DAILY_BUDGET_USD: num(0, 1000, 2),
    ANALYST_TIMEOUT_MS: int(1000, 60000, 15000),

    // Strategy
    DTE_MIN: int(1, 365, 30),
    DTE_MAX: int(1, 365, 45),
    SHORT_DELTA_MIN: num(0.01, 0.5, 0.2),
    SHORT_DELTA_MAX: num(0.01, 0.5, 0.3),
    SPREAD_WIDTHS: z._default(
      z.pipe(
        z.pipe(
          list(z.string().check(z.regex(/^\d+(\.\d+)?$/, "must be numbers like 5,10"))),
          z.transform((xs: string[]) => xs.map(Number)),
        ),
        z.array(z.number().check(z.positive())).check(z.minLength(1)),
      ),
      [5],
    ),
    MIN_CREDIT_TO_WIDTH: num(0.05, 0.95, 0.2),
    MAX_BID_ASK_TO_MID: num(0.01, 2, 0.25),
    // Option quotes older than this (or without a time) are not traded on: the scan skips the
    // idea and an Approve is refused. Unset, it follows the feed (QUOTE_AGE_DEFAULTS below).
    MAX_QUOTE_AGE_SECONDS: z.optional(
      z.coerce
        .number()
        .check(
          z.int("must be whole seconds"),
          z.gte(5, "must be at least 5 seconds"),
          z.lte(3600, "must be at most 3600 seconds: an hour-old quote is no price to trade on"),
        ),
    ),
    // The credit screened, sized and promised: this share of the way from the mid toward the
    // natural price (0 = mid, 1 = natural, both legs at the touch); the order goes at it, fresh.
    FILL_TOWARD_NATURAL: num(0, 1, 0.5),
    MIN_OPEN_INTEREST: int(0, 1_000_000, 100),
    IV_RANK_MIN: num(0, 100, 30),
    IV_RANK_REQUIRED: flag(false),

    // Risk
    RISK_PER_TRADE_PCT: num(0.001, 0.2, 0.02),
    MAX_CONTRACTS: int(1, 1000, 10),
    MAX_OPEN_POSITIONS: int(1, 100, 5),
    MAX_TOTAL_RISK_PCT: num(0.01, 1, 0.2),
    DAILY_LOSS_LIMIT_PCT: num(0.001, 0.5, 0.02),
    MAX_CONSECUTIVE_LOSSES: int(1, 50, 3),
    MAX_DRIFT_PCT: num(0.001, 0.2, 0.01),
    MAX_CREDIT_SLIP_OF_WIDTH: num(0, 0.5, 0.02),
    RECOMMENDATION_TTL_MINUTES: int(1, 390, 30),
    MAX_RECOMMENDATIONS_PER_SCAN: int(1, 25, 5),
    UNFILLED_ORDER_MINUTES: int(5, 390, 15),
    // An unfilled limit walks from the mid toward the far price in this many steps, one per
    // share of UNFILLED_ORDER_MINUTES (src/domain/limit-walk.ts); 0 sends one order at the far price.
    LIMIT_WALK_STEPS: int(0, 5, 2),
    SUBREQUEST_BUDGET: int(20, 10_000, 50),

    // Fees: Alpaca's regulatory pass-through fees, dollars per contract, per leg, per fill
    // (src/domain/fees.ts has the rates and their source). 0 books P/L without fees.
    OPTION_FEE_PER_CONTRACT: num(0, 5, 0.06),

    // Backups: the end of day writes the whole database to R2; this many days are kept.
    BACKUP_DAYS: int(1, 3650, 30),

    // Events: days no position may span (FOMC, CPI, earnings), comma-separated YYYY-MM-DD with
    // an optional label: "2026-12-16:FOMC,2026-12-10:CPI" (src/domain/events.ts).
    BLACKOUT_DATES: z._default(z.string(), ""),

    // Schedule: New York times of the scans, in the session on 5-minute marks (src/domain/job-slots.ts).
    // Checked below, so every problem is named at once.
    SCAN_TIMES: z._default(list(z.string()), [...DEFAULT_SCAN_TIMES]),

    // Exits
    PROFIT_TARGET_PCT: num(0.05, 1, 0.5),
    STOP_LOSS_PCT: num(0.1, 10, 2),
    EXIT_DTE: int(0, 60, 21),
    // A triggered exit nobody acted on is posted again after this long (stop and target).
    EXIT_REALERT_MINUTES: int(5, 390, 30),
    // On expiry day, from this New York time (or an hour before an early close), a short leg
    // in the money or within one expected move gets an urgent alert, repeated until closed.
    EXPIRY_WARNING_TIME: sessionTime("15:00"),
    // true: the bot closes such a position itself instead of asking (off: a person decides).
    AUTO_CLOSE_ON_EXPIRY_DAY: flag(false),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (c.TRADING_MODE === "live" && !c.CONFIRM_LIVE_TRADING)
        ctx.addIssue({
          code: "custom",
          path: ["TRADING_MODE"],
          message: "is live but CONFIRM_LIVE_TRADING is not true: set both on purpose to send real-money orders",
        });
      if (c.TRADING_MODE === "live" && c.ALPACA_DATA_FEED !== "opra")
        ctx.addIssue({
          code: "custom",
          path: ["ALPACA_DATA_FEED"],
          message:
            "must be opra when TRADING_MODE=live: the free indicative options feed is delayed, not a price to trade real money on",
        });
      if (c.DTE_MIN <= c.EXIT_DTE)
        ctx.addIssue({
          code: "custom",
          path: ["DTE_MIN"],
          message: `must be above EXIT_DTE (${c.EXIT_DTE}): a trade would get its time-exit alert the moment it fills`,
        });
      const blackouts = parseBlackoutDates(c.BLACKOUT_DATES);
      if (!blackouts.ok)
        for (const problem of blackouts.problems)
          ctx.addIssue({ code: "custom", path: ["BLACKOUT_DATES"], message: problem });
      for (const problem of scanTimesProblems(c.SCAN_TIMES))
        ctx.addIssue({ code: "custom", path: ["SCAN_TIMES"], message: problem });
      if (c.DTE_MIN > c.DTE_MAX)
        ctx.addIssue({ code: "custom", path: ["DTE_MIN"], message: "must not exceed DTE_MAX" });
      if (c.SHORT_DELTA_MIN > c.SHORT_DELTA_MAX)
        ctx.addIssue({ code: "custom", path: ["SHORT_DELTA_MIN"], message: "must not exceed SHORT_DELTA_MAX" });
      if (c.ALLOWED_USER_IDS.length === 0 && c.ALLOWED_ROLE_IDS.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["ALLOWED_USER_IDS"],
          message: "needs at least one Discord user id (or set ALLOWED_ROLE_IDS): nobody could approve a trade",
        });
    }),
  );

type ParsedEnv = z.output<typeof EnvSchema>;

/**
 * MAX_QUOTE_AGE_SECONDS when it is not set, by feed. OPRA quotes are real time: on the liquid
 * underlyings a credit-spread bot trades, market makers re-quote every series within seconds,
 * so a minute-old quote means the feed or the series stopped. The free indicative feed is a
 * delayed derivative of OPRA (Alpaca: "delayed by 15 minutes"), so a real-time limit would
 * refuse every trade of a free paper account: 20 minutes admits the delay and still refuses a
 * quote that stopped updating. TRADING_MODE=live requires opra, so real money gets the minute.
 */
export const QUOTE_AGE_DEFAULTS = { opra: 60, indicative: 1200 } as const;

export interface Config {
  mode: "paper" | "live";
  watchlist: string[];
  discord: {
    applicationId: string;
    publicKey: string;
    channelId: string;
    botToken: string;
    allowedUserIds: string[];
    allowedRoleIds: string[];
  };
  alpaca: { keyId: string; secretKey: string; dataFeed: "indicative" | "opra"; paper: boolean };
  analyst: { apiKey: string | undefined; model: string; dailyBudgetUsd: number; timeoutMs: number };
  /** The screener's settings: the core defines them, config fills them in. */
  strategy: ScreenSettings;
  risk: {
    riskPerTradePct: number;
    maxContracts: number;
    maxOpenPositions: number;
    maxTotalRiskPct: number;
    dailyLossLimitPct: number;
    maxConsecutiveLosses: number;
    maxDriftPct: number;
    maxCreditSlipOfWidth: number;
    recommendationTtlMinutes: number;
    maxRecommendationsPerScan: number;
    unfilledOrderMinutes: number;
    /** Steps an unfilled limit walks from the mid toward the far price (0 = no walk). */
    limitWalkSteps: number;
    subrequestBudget: number;
  };
  /** Fees booked in every realized P/L: the core defines them, config fills them in. */
  fees: FeeSettings;
  /** Daily D1 backups in R2: how many days are kept. */
  backups: { keepDays: number };
  exits: { profitTargetPct: number; stopLossPct: number; exitDte: number };
  /** New York times of the scans ("HH:MM", in day order); the monitor and end of day are fixed. */
  schedule: { scanTimes: string[] };
  /** Days no position may span (BLACKOUT_DATES), by date. */
  events: { blackoutDates: BlackoutDate[] };
  alerts: { realertMinutes: number; expiryWarningTime: string; autoCloseOnExpiryDay: boolean };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

/** Empty strings in wrangler.toml mean "not set": let the default (or "is required") apply. */
function withoutBlanks(env: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "" && v !== undefined));
}

/**
 * Which world the Worker runs in: "real" (the production entry) or "sandbox" (simulated
 * Alpaca and Discord, where the published test key is the point).
 */
export type World = "real" | "sandbox";

const TEST_KEY_IN_PRODUCTION =
  "DISCORD_PUBLIC_KEY is the sandbox's published test key: anyone can sign interactions with it. Set your Discord application's public key (Developer Portal → General Information)";

/**
 * Only the key that verifies interactions, checked before anything else so the endpoint can
 * refuse an unsigned request without revealing the rest of the configuration.
 */
export function discordPublicKey(
  env: object,
  world: World = "real",
): { ok: true; key: string } | { ok: false; problem: string } {
  const raw = (env as Record<string, unknown>).DISCORD_PUBLIC_KEY;
  const parsed = hexKey.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: "DISCORD_PUBLIC_KEY is missing or malformed" };
  if (world === "real" && parsed.data.toLowerCase() === PUBLISHED_TEST_PUBLIC_KEY)
    return { ok: false, problem: TEST_KEY_IN_PRODUCTION };
  return { ok: true, key: parsed.data };
}

/**
 * The Config of an env, parsed once per env object and world: the runtime hands every request
 * and event of an isolate the same env, and its vars do not change while the isolate lives, so
 * the interactions endpoint and each job need not validate ~40 vars again. Frozen, since it is
 * shared. A bad config is not remembered: it throws each time.
 */
export function parseConfig(env: object, world: World = "real"): Config {
  const byWorld = parsedConfigs.get(env);
  const known = byWorld?.get(world);
  if (known) return known;
  const config = deepFreeze(parseConfigOnce(env, world));
  if (byWorld) byWorld.set(world, config);
  else parsedConfigs.set(env, new Map([[world, config]]));
  return config;
}

const parsedConfigs = new WeakMap<object, Map<World, Config>>();

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function parseConfigOnce(env: object, world: World): Config {
  const key = discordPublicKey(env, world);
  const keyProblems = !key.ok && key.problem === TEST_KEY_IN_PRODUCTION ? [TEST_KEY_IN_PRODUCTION] : [];
  const parsed = EnvSchema.safeParse(withoutBlanks(env as Record<string, unknown>));
  if (!parsed.success) {
    throw new ConfigError([
      ...keyProblems,
      ...parsed.error.issues.map((issue) => {
        const name = issue.path.length > 0 ? String(issue.path[0]) : "env";
        const message = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
        return `${name} ${message}`;
      }),
    ]);
  }
  if (keyProblems.length > 0) throw new ConfigError(keyProblems);
  return toConfig(parsed.data);
}

function toConfig(e: ParsedEnv): Config {
  return {
    mode: e.TRADING_MODE,
    watchlist: e.WATCHLIST,
    discord: {
      applicationId: e.DISCORD_APPLICATION_ID,
      publicKey: e.DISCORD_PUBLIC_KEY,
      channelId: e.DISCORD_CHANNEL_ID,
      botToken: e.DISCORD_BOT_TOKEN,
      allowedUserIds: e.ALLOWED_USER_IDS,
      allowedRoleIds: e.ALLOWED_ROLE_IDS,
    },
    alpaca: {
      keyId: e.ALPACA_KEY_ID,
      secretKey: e.ALPACA_SECRET_KEY,
      dataFeed: e.ALPACA_DATA_FEED,
      paper: e.TRADING_MODE === "paper",
    },
    analyst: {
      apiKey: e.ANTHROPIC_API_KEY || undefined,
      model: e.ANTHROPIC_MODEL,
      dailyBudgetUsd: e.ANALYST_DAILY_BUDGET_USD,
      timeoutMs: e.ANALYST_TIMEOUT_MS,
    },
    strategy: {
      dteMin: e.DTE_MIN,
      dteMax: e.DTE_MAX,
      shortDeltaMin: e.SHORT_DELTA_MIN,
      shortDeltaMax: e.SHORT_DELTA_MAX,
      widths: e.SPREAD_WIDTHS,
      minCreditToWidth: e.MIN_CREDIT_TO_WIDTH,
      maxBidAskToMid: e.MAX_BID_ASK_TO_MID,
      fillTowardNatural: e.FILL_TOWARD_NATURAL,
      minOpenInterest: e.MIN_OPEN_INTEREST,
      maxQuoteAgeSeconds: e.MAX_QUOTE_AGE_SECONDS ?? QUOTE_AGE_DEFAULTS[e.ALPACA_DATA_FEED],
      ivRankMin: e.IV_RANK_MIN,
      ivRankRequired: e.IV_RANK_REQUIRED,
    },
    risk: {
      riskPerTradePct: e.RISK_PER_TRADE_PCT,
      maxContracts: e.MAX_CONTRACTS,
      maxOpenPositions: e.MAX_OPEN_POSITIONS,
      maxTotalRiskPct: e.MAX_TOTAL_RISK_PCT,
      dailyLossLimitPct: e.DAILY_LOSS_LIMIT_PCT,
      maxConsecutiveLosses: e.MAX_CONSECUTIVE_LOSSES,
      maxDriftPct: e.MAX_DRIFT_PCT,
      maxCreditSlipOfWidth: e.MAX_CREDIT_SLIP_OF_WIDTH,
      recommendationTtlMinutes: e.RECOMMENDATION_TTL_MINUTES,
      maxRecommendationsPerScan: e.MAX_RECOMMENDATIONS_PER_SCAN,
      unfilledOrderMinutes: e.UNFILLED_ORDER_MINUTES,
      limitWalkSteps: e.LIMIT_WALK_STEPS,
      subrequestBudget: e.SUBREQUEST_BUDGET,
    },
    fees: { optionFeePerContract: e.OPTION_FEE_PER_CONTRACT },
    backups: { keepDays: e.BACKUP_DAYS },
    exits: { profitTargetPct: e.PROFIT_TARGET_PCT, stopLossPct: e.STOP_LOSS_PCT, exitDte: e.EXIT_DTE },
    schedule: { scanTimes: sortedScanTimes(e.SCAN_TIMES) },
    events: { blackoutDates: blackoutDatesOf(e.BLACKOUT_DATES) },
    alerts: {
      realertMinutes: e.EXIT_REALERT_MINUTES,
      expiryWarningTime: e.EXPIRY_WARNING_TIME,
      autoCloseOnExpiryDay: e.AUTO_CLOSE_ON_EXPIRY_DAY,
    },
  };
}

/** Checked by the schema already: a bad list never gets here. */
function blackoutDatesOf(text: string): BlackoutDate[] {
  const parsed = parseBlackoutDates(text);
  return parsed.ok ? parsed.dates : [];
}
