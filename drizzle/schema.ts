// The one source of truth for the bot's tables. Migrations in ../migrations are generated
// from this file by `npm run db:generate`; row types are inferred from it, never hand-written.
// Times are epoch milliseconds (UTC); trading days are 'YYYY-MM-DD' in New York time;
// money is US dollars; option prices are per share (×100 per contract).
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { EventsChecked } from "../src/domain/events";
import { JOB_NAMES } from "../src/domain/job-slots";
import type { WalkStep } from "../src/domain/limit-walk";
import { IV_REGIMES } from "../src/domain/playbook";
import {
  LIVE_STATUSES,
  RECOMMENDATION_STATUSES,
  type RecommendationStatus,
  STRATEGIES,
  type Strategy,
} from "../src/domain/recommendation-state";

// The status list and strategies live in the domain (the state machine owns them); the
// CHECK constraints below are generated from the same arrays.
export { RECOMMENDATION_STATUSES, type RecommendationStatus, STRATEGIES, type Strategy };

const inListText = (column: string, values: readonly string[]) =>
  `${column} in (${values.map((v) => `'${v}'`).join(", ")})`;
const inList = (column: string, values: readonly string[]) => sql.raw(inListText(column, values));

/**
 * Which recommendations are live (waiting for a person, or being placed): one per symbol at most
 * (the partial unique index below). Kept as its SQL text too: an insert's ON CONFLICT target must
 * repeat the index's WHERE exactly to name it (store/recommendations.ts insert), and the schema
 * test (test/node/schema-migrations.test.ts) fails if the migrations' index says otherwise.
 */
export const LIVE_IDEA_WHERE = inListText("status", LIVE_STATUSES);

export const recommendations = sqliteTable(
  "recommendations",
  {
    id: text("id").primaryKey(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    scanRunId: integer("scan_run_id"),
    symbol: text("symbol").notNull(),
    strategy: text("strategy", { enum: STRATEGIES }).notNull(),
    expiration: text("expiration").notNull(),
    shortSymbol: text("short_symbol").notNull(),
    longSymbol: text("long_symbol").notNull(),
    shortStrike: real("short_strike").notNull(),
    longStrike: real("long_strike").notNull(),
    width: real("width").notNull(),
    // Prices seen at analysis: the drift check at approval compares against these.
    underlyingPrice: real("underlying_price").notNull(),
    credit: real("credit").notNull(),
    shortDelta: real("short_delta"),
    maxLoss: real("max_loss").notNull(),
    breakeven: real("breakeven").notNull(),
    probabilityOfProfit: real("probability_of_profit"),
    // Entry prices at analysis beside `credit` (the fillable estimate promised): the mid the
    // order starts at and the natural (both legs at the touch). Null on rows from before them.
    midCredit: real("mid_credit"),
    naturalCredit: real("natural_credit"),
    // Dollars per contract the credit pays beyond the spread at the reference (ATM) IV.
    edge: real("edge"),
    referenceVolatility: real("reference_volatility"),
    // P(the spread is worth less than the credit at the bot's time exit): see probabilities.ts.
    profitAtExitProbability: real("profit_at_exit_probability"),
    ivRank: real("iv_rank"),
    // Days of IV history the rank was computed from.
    ivRankDays: integer("iv_rank_days"),
    // When the older of the two legs' quotes was taken (null: the feed gave no time).
    quotesAt: integer("quotes_at"),
    // The ex-dividend and blackout dates checked from the scan's day to expiry, and those found
    // (src/domain/events.ts): the card lists them. Null on rows from before the check.
    events: text("events", { mode: "json" }).$type<EventsChecked>(),
    score: real("score").notNull(),
    contracts: integer("contracts").notNull(),
    maxContracts: integer("max_contracts").notNull(),
    analyst: text("analyst").notNull(),
    thesis: text("thesis").notNull(),
    confidence: real("confidence"),
    risks: text("risks", { mode: "json" }).$type<string[]>().notNull().default([]),
    status: text("status", { enum: RECOMMENDATION_STATUSES }).notNull().default("pending"),
    statusReason: text("status_reason"),
    expiresAt: integer("expires_at").notNull(),
    discordChannelId: text("discord_channel_id"),
    discordMessageId: text("discord_message_id"),
    clientOrderId: text("client_order_id").notNull(),
    brokerOrderId: text("broker_order_id"),
    limitPrice: real("limit_price"),
    // Contracts the opening order filled (null until it filled any): "Filled 3 of 5".
    filledContracts: integer("filled_contracts"),
    // The credit per share they filled at (Alpaca's average, positive; the position's entry
    // credit): the filled card's credit and max loss. Null until a fill, and on older rows.
    fillCredit: real("fill_credit"),
    // The prices the entry's limit walked through, first (the mid) to current, and the lowest
    // credit it may walk to (src/domain/limit-walk.ts). clientOrderId is the current step's order.
    limitWalk: text("limit_walk", { mode: "json" }).$type<WalkStep[]>(),
    limitFloor: real("limit_floor"),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at"),
  },
  (t) => [
    uniqueIndex("recommendations_client_order_id_unique").on(t.clientOrderId),
    index("recommendations_status_idx").on(t.status, t.expiresAt),
    index("recommendations_symbol_idx").on(t.symbol, t.status),
    // One live idea per symbol, whoever inserts it: two scans at once (cron and /scan) both read
    // "nothing pending" before either writes; the second insert finds this and adds nothing.
    uniqueIndex("recommendations_one_live_per_symbol").on(t.symbol).where(sql.raw(LIVE_IDEA_WHERE)),
    check("recommendations_status_check", inList("status", RECOMMENDATION_STATUSES)),
    check("recommendations_strategy_check", inList("strategy", STRATEGIES)),
    check("recommendations_credit_check", sql`${t.credit} > 0 and ${t.credit} < ${t.width}`),
    check("recommendations_width_check", sql`${t.width} > 0`),
    check("recommendations_contracts_check", sql`${t.contracts} >= 1 and ${t.contracts} <= ${t.maxContracts}`),
    check("recommendations_expiry_check", sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);

export const TRADE_KINDS = ["open", "close"] as const;
export const TRADE_STATUSES = ["submitted", "filled", "partially_filled", "canceled", "rejected", "expired"] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

/** One broker order, opening or closing a spread. */
export const trades = sqliteTable(
  "trades",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    recommendationId: text("recommendation_id")
      .notNull()
      .references(() => recommendations.id),
    positionId: integer("position_id"),
    kind: text("kind", { enum: TRADE_KINDS }).notNull(),
    clientOrderId: text("client_order_id").notNull(),
    brokerOrderId: text("broker_order_id"),
    symbol: text("symbol").notNull(),
    contracts: integer("contracts").notNull(),
    // Signed as Alpaca wants it: negative for a credit received, positive for a debit paid.
    limitPrice: real("limit_price").notNull(),
    fillPrice: real("fill_price"),
    // Contracts filled so far, as the broker reports them (an order can fill in part and then end).
    filledQty: integer("filled_qty").notNull().default(0),
    status: text("status", { enum: TRADE_STATUSES }).notNull(),
    submittedBy: text("submitted_by").notNull(),
    submittedAt: integer("submitted_at").notNull(),
    filledAt: integer("filled_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("trades_client_order_id_unique").on(t.clientOrderId),
    index("trades_recommendation_idx").on(t.recommendationId),
    check("trades_kind_check", inList("kind", TRADE_KINDS)),
    check("trades_status_check", inList("status", TRADE_STATUSES)),
    check("trades_contracts_check", sql`${t.contracts} >= 1`),
  ],
);

export const POSITION_STATUSES = ["open", "closing", "closed"] as const;
export type PositionStatus = (typeof POSITION_STATUSES)[number];

export const positions = sqliteTable(
  "positions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    recommendationId: text("recommendation_id")
      .notNull()
      .references(() => recommendations.id),
    symbol: text("symbol").notNull(),
    strategy: text("strategy", { enum: STRATEGIES }).notNull(),
    expiration: text("expiration").notNull(),
    shortSymbol: text("short_symbol").notNull(),
    longSymbol: text("long_symbol").notNull(),
    shortStrike: real("short_strike").notNull(),
    longStrike: real("long_strike").notNull(),
    // Contracts held now. A partial close lowers it; the closed part's P/L goes to realizedPl.
    contracts: integer("contracts").notNull(),
    // Contracts the entry filled: contracts + those closed since.
    openedContracts: integer("opened_contracts"),
    entryCredit: real("entry_credit").notNull(),
    maxLoss: real("max_loss").notNull(),
    status: text("status", { enum: POSITION_STATUSES }).notNull().default("open"),
    openedAt: integer("opened_at").notNull(),
    // Last mark: the debit (per share) it would cost to close now, and the P/L it implies.
    mark: real("mark"),
    unrealizedPl: real("unrealized_pl"),
    markedAt: integer("marked_at"),
    // What the end of day recorded, and its trading day: the open contracts' P/L at the mark and
    // what partial closes had realized by then. The daily loss counts from there (risk-state.ts),
    // so a loss carried in from the day before is not today's.
    plAtLastClose: real("pl_at_last_close"),
    realizedAtLastClose: real("realized_at_last_close"),
    plAtLastCloseDay: text("pl_at_last_close_day"),
    exitAlert: text("exit_alert"),
    exitAlertMessageId: text("exit_alert_message_id"),
    // When the exit alert (or the expiry-day warning) was last posted: alerts repeat while they hold.
    exitAlertAt: integer("exit_alert_at"),
    expiryAlertAt: integer("expiry_alert_at"),
    closeClientOrderId: text("close_client_order_id"),
    // The debits the working close walked through, first (the mid) to current.
    closeWalk: text("close_walk", { mode: "json" }).$type<WalkStep[]>(),
    // Contracts of the working close order already booked (its fills arrive in parts), and that
    // order's average fill price then: a later booking prices only the contracts it adds.
    closeBookedQty: integer("close_booked_qty").notNull().default(0),
    closeOrderAvg: real("close_order_avg"),
    closeReason: text("close_reason"),
    // The Alpaca orders placed outside the bot whose fills were booked on this position (closed
    // at Alpaca, actions/closed-outside.ts): each is booked once.
    outsideOrderIds: text("outside_order_ids", { mode: "json" }).$type<string[]>(),
    // The average debit over every contract closed so far, whichever order closed it.
    closePrice: real("close_price"),
    // Realized so far: partial closes, expiry, assignment. The whole trade's P/L once closed.
    realizedPl: real("realized_pl"),
    closedAt: integer("closed_at"),
    // Set when the broker's book disagrees with this position (reconcile); cleared when it agrees.
    attention: text("attention"),
    // Shares an assignment or exercise left (signed: negative is short), the price the P/L
    // marked them at, and the one order that flattens them (claimed by a person's tap).
    shares: integer("shares").notNull().default(0),
    sharesMark: real("shares_mark"),
    flattenClientOrderId: text("flatten_client_order_id"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("positions_recommendation_unique").on(t.recommendationId),
    uniqueIndex("positions_close_client_order_id_unique").on(t.closeClientOrderId),
    uniqueIndex("positions_flatten_client_order_id_unique").on(t.flattenClientOrderId),
    index("positions_status_idx").on(t.status),
    check("positions_status_check", inList("status", POSITION_STATUSES)),
    check("positions_contracts_check", sql`${t.contracts} >= 1`),
    check("positions_closed_check", sql`${t.status} <> 'closed' or ${t.closedAt} is not null`),
  ],
);

export const BROKER_EVENT_KINDS = ["expired", "assigned", "exercised"] as const;
export type BrokerEventKind = (typeof BROKER_EVENT_KINDS)[number];

/**
 * Option events the broker booked on its own (Alpaca's non-trade activities OPEXP, OPASN,
 * OPEXC), each applied to our books once: the activity id is the key.
 */
export const brokerActivities = sqliteTable(
  "broker_activities",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: BROKER_EVENT_KINDS }).notNull(),
    symbol: text("symbol").notNull(),
    qty: real("qty").notNull(),
    activityDate: text("activity_date").notNull(),
    positionId: integer("position_id"),
    bookedAt: integer("booked_at").notNull(),
  },
  () => [check("broker_activities_kind_check", inList("kind", BROKER_EVENT_KINDS))],
);

export const dailyPerformance = sqliteTable("daily_performance", {
  tradingDay: text("trading_day").primaryKey(),
  realizedPl: real("realized_pl").notNull(),
  unrealizedPl: real("unrealized_pl").notNull(),
  totalRealizedPl: real("total_realized_pl").notNull(),
  tradesOpened: integer("trades_opened").notNull(),
  tradesClosed: integer("trades_closed").notNull(),
  wins: integer("wins").notNull(),
  losses: integer("losses").notNull(),
  openPositions: integer("open_positions").notNull(),
  openRisk: real("open_risk").notNull(),
  equity: real("equity"),
  recommendationsPosted: integer("recommendations_posted").notNull(),
  recommendationsApproved: integer("recommendations_approved").notNull(),
  recommendationsRejected: integer("recommendations_rejected").notNull(),
  recommendationsExpired: integer("recommendations_expired").notNull(),
  breakerHalted: integer("breaker_halted", { mode: "boolean" }).notNull(),
  summaryMessageId: text("summary_message_id"),
  createdAt: integer("created_at").notNull(),
});

// The account equity the monitor last read on a trading day (one row a day, replaced each run):
// what the Approve claim's total-risk limit is a share of, read inside the claim's own batch.
// Before the day's first monitor run the claim uses the last end-of-day equity instead.
export const intradayEquity = sqliteTable("intraday_equity", {
  tradingDay: text("trading_day").primaryKey(),
  equity: real("equity").notNull(),
  recordedAt: integer("recorded_at").notNull(),
});

// The end of day's reflection on the day (one a day). Lessons from single trades are in
// trade_reviews, the rules learned from them in playbook_rules.
export const PLAYBOOK_KINDS = ["reflection"] as const;

export const playbook = sqliteTable(
  "playbook",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tradingDay: text("trading_day").notNull(),
    kind: text("kind", { enum: PLAYBOOK_KINDS }).notNull(),
    author: text("author").notNull(),
    content: text("content").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("playbook_day_idx").on(t.tradingDay), check("playbook_kind_check", inList("kind", PLAYBOOK_KINDS))],
);

export const TRADE_OUTCOMES = ["win", "loss", "scratch"] as const;

/**
 * One review per closed position: what happened (reflection) and what to carry forward (lesson),
 * written by Claude or the rules (author says which), with the facts retrieval matches on.
 */
export const tradeReviews = sqliteTable(
  "trade_reviews",
  {
    positionId: integer("position_id")
      .primaryKey()
      .references(() => positions.id),
    symbol: text("symbol").notNull(),
    strategy: text("strategy", { enum: STRATEGIES }).notNull(),
    // From the IV rank the idea was scanned at (null when it had none).
    ivRegime: text("iv_regime", { enum: IV_REGIMES }),
    // Days to expiration when it was opened.
    dte: integer("dte").notNull(),
    outcome: text("outcome", { enum: TRADE_OUTCOMES }).notNull(),
    realizedPl: real("realized_pl").notNull(),
    closedDay: text("closed_day").notNull(),
    reflection: text("reflection").notNull(),
    lesson: text("lesson").notNull(),
    author: text("author").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("trade_reviews_match_idx").on(t.symbol, t.strategy),
    check("trade_reviews_strategy_check", inList("strategy", STRATEGIES)),
    check("trade_reviews_outcome_check", inList("outcome", TRADE_OUTCOMES)),
    check("trade_reviews_iv_regime_check", sql`${t.ivRegime} is null or ${inList("iv_regime", IV_REGIMES)}`),
  ],
);

export const RULE_STATUSES = ["active", "retired"] as const;

/**
 * The playbook's rules: proposed by the end of day from reviewed trades (with those trades) or
 * added by a person; retired and restored by a person. The analyst reads the active ones that
 * apply to an idea (src/domain/playbook.ts). Every change is in the audit log.
 */
export const playbookRules = sqliteTable(
  "playbook_rules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    rule: text("rule").notNull(),
    // Scope: null applies to every symbol, strategy or IV regime.
    symbol: text("symbol"),
    strategy: text("strategy", { enum: STRATEGIES }),
    ivRegime: text("iv_regime", { enum: IV_REGIMES }),
    // The closed positions the rule was learned from; empty for a person's own rule.
    supportingTrades: text("supporting_trades", { mode: "json" }).$type<number[]>().notNull().default([]),
    // A proposal's evidence key (src/domain/playbook.ts): the same evidence is proposed once.
    proposalKey: text("proposal_key"),
    status: text("status", { enum: RULE_STATUSES }).notNull().default("active"),
    // A Discord user id, or "end of day" for a proposal.
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    changedBy: text("changed_by"),
    changedAt: integer("changed_at"),
  },
  (t) => [
    uniqueIndex("playbook_rules_proposal_key_unique").on(t.proposalKey),
    check("playbook_rules_status_check", inList("status", RULE_STATUSES)),
    check("playbook_rules_strategy_check", sql`${t.strategy} is null or ${inList("strategy", STRATEGIES)}`),
    check("playbook_rules_iv_regime_check", sql`${t.ivRegime} is null or ${inList("iv_regime", IV_REGIMES)}`),
  ],
);

/**
 * The authoritative circuit-breaker state: a single row (id = 'global'). KV holds a mirror
 * for cheap reads; an approval reads both and refuses if either is halted or unreadable.
 * `version` increases on every change so a mirror can tell it is behind.
 */
export const breakerState = sqliteTable(
  "breaker_state",
  {
    id: text("id").primaryKey(),
    halted: integer("halted", { mode: "boolean" }).notNull(),
    reasons: text("reasons", { mode: "json" }).$type<string[]>().notNull().default([]),
    source: text("source"),
    changedBy: text("changed_by"),
    changedAt: integer("changed_at").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [check("breaker_state_singleton_check", sql`${t.id} = 'global'`)],
);

export const BREAKER_EVENT_KINDS = ["trip", "reset"] as const;

export const breakerEvents = sqliteTable(
  "breaker_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    kind: text("kind", { enum: BREAKER_EVENT_KINDS }).notNull(),
    source: text("source").notNull(),
    reason: text("reason").notNull(),
    actor: text("actor").notNull(),
  },
  (t) => [
    index("breaker_events_at_idx").on(t.at),
    check("breaker_events_kind_check", inList("kind", BREAKER_EVENT_KINDS)),
  ],
);

export const JOB_OUTCOMES = ["running", "ran", "skipped", "failed"] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

/**
 * One row per job slot (e.g. scan of 2027-01-15 10:00 New York). The unique slot key makes a
 * repeated cron firing a no-op: the second insert changes no row and the job does nothing.
 */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    job: text("job", { enum: JOB_NAMES }).notNull(),
    slotKey: text("slot_key").notNull(),
    scheduledTime: integer("scheduled_time").notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    outcome: text("outcome", { enum: JOB_OUTCOMES }).notNull(),
    reason: text("reason"),
    summary: text("summary", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex("job_runs_slot_unique").on(t.job, t.slotKey),
    index("job_runs_started_idx").on(t.startedAt),
    check("job_runs_job_check", inList("job", JOB_NAMES)),
    check("job_runs_outcome_check", inList("outcome", JOB_OUTCOMES)),
  ],
);

/** Interaction ids already handled: a replayed interaction is refused. Pruned after a day. */
export const seenInteractions = sqliteTable(
  "seen_interactions",
  {
    id: text("id").primaryKey(),
    seenAt: integer("seen_at").notNull(),
  },
  (t) => [index("seen_interactions_seen_at_idx").on(t.seenAt)],
);

export const AUDIT_ACTIONS = [
  "approve",
  "reject",
  "resize",
  "close",
  "refuse",
  "halt",
  "resume",
  "order_submitted",
  "order_failed",
  "unauthorized",
  "playbook_add",
  "playbook_retire",
  "playbook_restore",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Every decision: who, what, when, and the prices they were shown and the bot saw. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action", { enum: AUDIT_ACTIONS }).notNull(),
    recommendationId: text("recommendation_id"),
    positionId: integer("position_id"),
    interactionId: text("interaction_id"),
    outcome: text("outcome").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_recommendation_idx").on(t.recommendationId),
    check("audit_log_action_check", inList("action", AUDIT_ACTIONS)),
  ],
);

/** Daily implied volatility per symbol (at the money, ~30 DTE): the history behind IV rank. */
export const ivHistory = sqliteTable(
  "iv_history",
  {
    symbol: text("symbol").notNull(),
    tradingDay: text("trading_day").notNull(),
    iv: real("iv").notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.tradingDay] }), check("iv_history_iv_check", sql`${t.iv} > 0`)],
);

/** Analyst (LLM) spend per day and model, for the daily budget cap. */
export const analystUsage = sqliteTable(
  "analyst_usage",
  {
    tradingDay: text("trading_day").notNull(),
    model: text("model").notNull(),
    requests: integer("requests").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    costUsd: real("cost_usd").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tradingDay, t.model] })],
);

export type RecommendationRow = typeof recommendations.$inferSelect;
export type NewRecommendation = typeof recommendations.$inferInsert;
export type TradeRow = typeof trades.$inferSelect;
export type NewTrade = typeof trades.$inferInsert;
export type PositionRow = typeof positions.$inferSelect;
export type NewPosition = typeof positions.$inferInsert;
export type BrokerActivityRow = typeof brokerActivities.$inferSelect;
export type DailyPerformanceRow = typeof dailyPerformance.$inferSelect;
export type PlaybookRow = typeof playbook.$inferSelect;
export type TradeReviewRow = typeof tradeReviews.$inferSelect;
export type PlaybookRuleRow = typeof playbookRules.$inferSelect;
export type BreakerStateRow = typeof breakerState.$inferSelect;
export type BreakerEventRow = typeof breakerEvents.$inferSelect;
export type JobRunRow = typeof jobRuns.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type NewAudit = typeof auditLog.$inferInsert;
