// The JSON the console reads from the sandbox's routes, the fields it uses. The routes' own
// types live with the worker (src/sandbox/discord/channel-store.ts SimMessage, the Alpaca
// simulator's routes, jobs-run-route.ts); this side is checked by the browser test.

export interface User {
  username: string;
  global_name?: string | null;
}

export interface Embed {
  title?: string;
  description?: string;
  color?: number;
  author?: { name?: string };
  fields?: { name: string; value: string; inline?: boolean }[];
  image?: { url?: unknown };
  footer?: { text?: string };
  timestamp?: string;
}

export interface Button {
  type: number; // 2: a button
  style?: number;
  label?: string;
  emoji?: { name?: string };
  custom_id?: string;
  disabled?: boolean;
}

export interface ActionRow {
  type: number; // 1: an action row
  components?: Button[];
}

/** A message of the local channel (GET /sandbox/api/messages), as Discord's API returns it. */
export interface Message {
  id: string;
  content?: string;
  embeds?: Embed[];
  components?: ActionRow[];
  author?: { username?: string };
  timestamp: string;
  edited_timestamp?: string | null;
  flags: number; // 64 ephemeral, 128 "is thinking…"
  interaction_metadata?: { user?: User; name?: string };
}

/** GET /sandbox/api/discord: the sandbox application and its two users. */
export interface Application {
  allowed_user_id: string;
  other_user_id: string;
}

/** POST /sandbox/api/interactions: what the bot answered, or why the sandbox refused. */
export interface InteractionResult {
  status?: number;
  response?: unknown;
  discord_error?: string;
  message?: string;
}

/** GET/POST /sandbox/api/market. */
export interface Market {
  open: boolean;
  prices: Record<string, number>;
  iv?: Record<string, number>;
}

/** GET /sandbox/api/clock?detail=1, POST /sandbox/api/clock. */
export interface Clock {
  now: string;
  market_open?: boolean;
  next_open?: string;
  next_close?: string;
  next_expiration?: { date: string; close: string; underlyings: string[] } | null;
}

/** GET /sandbox/api/positions: the simulated broker's positions beside the bot's. */
export interface Books {
  broker?: { symbol: string; qty: string | number }[];
  bot?: { short_symbol: string; long_symbol: string; contracts: number }[];
}

/** GET /sandbox/api/schedule: the day's slots, New York times. */
export interface Schedule {
  scan_times: string[];
  midday_scan: string | null;
  eod_time: string;
}

/** What a job reported (POST /sandbox/api/jobs/run → summary), the fields the console shows. */
export interface JobSummary {
  marked?: number;
  exitAlerts?: number;
  closed?: number;
  settledAtExpiry?: unknown[];
  expired?: number;
  errors?: string[];
  posted?: boolean | unknown[];
  reason?: string;
}

export interface JobRun {
  outcome?: "ran" | "skipped" | "failed";
  reason?: string;
  summary?: JobSummary;
  error?: string;
  message?: string;
}

/** An error answer of any sandbox route. */
export interface Refusal {
  error?: string;
  message?: string;
}
