// What the reliability suite needs beyond the sandbox driver: raw signed interactions aimed at the
// bot's real messages (to replay them byte for byte, or age them), and a snapshot of everything
// the bot writes, so a scenario can say "nothing was written" and mean it.
import { env } from "cloudflare:workers";
import { listOrders } from "../../support/alpaca-sim";
import { click as clickBody } from "../../support/discord-interactions";
import type { SimMessage } from "../../support/discord-sim";
import { call } from "../../support/sandbox-driver";
import { signBody } from "../../support/sign";

export interface RawInteraction {
  body: string;
  headers: Record<string, string>;
}

/** A click on one of the bot's messages, signed as Discord signs it (timestamp in unix seconds). */
export async function signedClick(
  message: Pick<SimMessage, "id">,
  customId: string,
  userId: string,
  timestamp = Math.floor(Date.now() / 1000),
): Promise<RawInteraction> {
  const built = clickBody(customId, { userId });
  return sign(JSON.stringify({ ...built, message: { ...built.message, id: message.id } }), timestamp);
}

async function sign(body: string, timestamp = Math.floor(Date.now() / 1000)): Promise<RawInteraction> {
  const ts = String(timestamp);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": await signBody(body, ts),
      "x-signature-timestamp": ts,
    },
  };
}

/** POSTs exactly these bytes and headers to the sandbox worker's /discord/interactions. */
export async function deliver(raw: RawInteraction): Promise<{ status: number; answer: Answer | null }> {
  const response = await call("/discord/interactions", { method: "POST", headers: raw.headers, body: raw.body });
  const text = await response.text();
  return { status: response.status, answer: parseAnswer(text) };
}

export interface Answer {
  type?: number;
  error?: string;
  message?: string;
  data?: { content?: string; flags?: number };
}

function parseAnswer(text: string): Answer | null {
  try {
    return JSON.parse(text) as Answer;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

const TABLES = [
  "recommendations",
  "trades",
  "positions",
  "audit_log",
  "seen_interactions",
  "breaker_state",
  "breaker_events",
  "job_runs",
] as const;
type Table = (typeof TABLES)[number];

export interface WorldSnapshot {
  rows: Record<Table, number>;
  /** id → status, so a status change shows up even when the row count does not move. */
  recommendations: Record<string, string>;
  positions: Record<string, string>;
  orders: number;
}

export async function snapshot(): Promise<WorldSnapshot> {
  const counts = await env.DB.batch(TABLES.map((t) => env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`)));
  const rows = Object.fromEntries(
    TABLES.map((t, i) => [t, (counts[i]?.results[0] as { n: number } | undefined)?.n ?? -1]),
  ) as Record<Table, number>;
  const recs = await env.DB.prepare("SELECT id, status FROM recommendations").all<{ id: string; status: string }>();
  const held = await env.DB.prepare("SELECT id, status FROM positions").all<{ id: number; status: string }>();
  return {
    rows,
    recommendations: Object.fromEntries(recs.results.map((r) => [r.id, r.status])),
    positions: Object.fromEntries(held.results.map((p) => [String(p.id), p.status])),
    orders: (await listOrders()).length,
  };
}

/** The trading state only: what a refused click must never change (it may still be audited). */
export function tradingState(s: WorldSnapshot) {
  return {
    recommendations: s.recommendations,
    positions: s.positions,
    orders: s.orders,
    trades: s.rows.trades,
    breaker: s.rows.breaker_state,
  };
}
