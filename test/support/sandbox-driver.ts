// Drives the sandbox worker through its public edges, the way Cloudflare and Discord do:
// scheduled() with a cron and an instant, and interactions through the sandbox's signing route
// to the real /discord/interactions. Waits for waitUntil work, so a test sees the end state.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { APIEmbed } from "discord-api-types/v10";
import { eq } from "drizzle-orm";
import { type PositionRow, positions, recommendations } from "../../drizzle/schema";
import { createApp } from "../../src/app";
import { parseConfig } from "../../src/config";
import type { JobName } from "../../src/domain/job-slots";
import { nextSession, tradingDay, utcInstant } from "../../src/domain/market-time";
import { runJob } from "../../src/jobs/run-job";
import { SCHEDULE } from "../../src/jobs/schedule";
import worker from "../../src/sandbox/index";
import { sandboxWorld } from "../../src/sandbox/outside";
import { database } from "../../src/store/db";
import * as alpaca from "./alpaca-sim";
import { discordSim, type SimMessage } from "./discord-sim";

export const ALLOWED_USER = "100000000000000003";
export const OTHER_USER = "100000000000000004";
/** A second allowed trader (ALLOWED_USER_IDS of the sandbox lists two). */
export const SECOND_TRADER = "100000000000000005";

/** The sandbox's watchlist (wrangler.toml): a scan of the default market posts one card per symbol. */
export const SANDBOX_WATCHLIST: readonly string[] = parseConfig(env, "sandbox").watchlist;
/** A 10-symbol WATCHLIST, for the tests of what a long watchlist costs (subrequests, CPU). */
export const TEN_SYMBOLS = "SPY,QQQ,IWM,DIA,XLF,XLE,XLK,TLT,GLD,EEM";

/**
 * Where every test's simulated world starts (resetWorld): 10:00 New York on Tuesday 1 December
 * 2026, a session morning before every instant the tests move the clock to (it only moves forward).
 * Fixed, so that a test sees the same market on the same days whatever day and hour it runs: the
 * simulated IV swings from the world's start, and the clock keeps NYSE hours once moved.
 */
export const SANDBOX_START = Date.UTC(2026, 11, 1, 15, 0);

/** 09:35 New York on Friday 15 January 2027 (14:35 UTC, winter time): the morning scan's slot. */
export const SCAN_SLOT = Date.UTC(2027, 0, 15, 14, 35);

/** The sandbox's "now": its simulated clock, as the worker reads it (the tests start it at SANDBOX_START). */
export async function sandboxNow(): Promise<number> {
  return (await sandboxWorld(env)).clock.now();
}

/** Runs the monitor as if `minutesLater` minutes had passed since the scan slot (a fresh slot each time). */
export async function monitorAfter(minutesLater: number) {
  const world = await sandboxWorld(env);
  return runJob(
    createApp(env, world),
    "monitor",
    SCAN_SLOT + minutesLater * 60_000,
    world.clock.now() + minutesLater * 60_000,
  );
}

export async function call(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`http://127.0.0.1${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export async function fire(job: JobName, scheduledTime: number): Promise<void> {
  const entry = SCHEDULE.find((s) => s.job === job);
  if (!entry) throw new Error(`no cron for ${job}`);
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: entry.cron, scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}

export interface InteractionResult {
  status: number;
  response: { type: number; data?: { content?: string; embeds?: APIEmbed[]; flags?: number; components?: unknown[] } };
}

async function interact(body: Record<string, unknown>): Promise<InteractionResult> {
  const response = await call("/sandbox/api/interactions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json<InteractionResult>();
}

export const click = (messageId: string, customId: string, userId = ALLOWED_USER) =>
  interact({ type: "component", message_id: messageId, custom_id: customId, user_id: userId });

export const command = (name: string, options: Record<string, unknown> = {}, userId = ALLOWED_USER) =>
  interact({ type: "command", name, options, user_id: userId });

interface Button {
  custom_id: string;
  label: string;
}

export function buttonsOf(message: SimMessage): Button[] {
  return (message.components as { components: Button[] }[]).flatMap((row) => row.components);
}

export function embedOf(message: SimMessage): APIEmbed {
  const embed = message.embeds[0] as APIEmbed | undefined;
  if (!embed) throw new Error(`message ${message.id} has no embed`);
  return embed;
}

/** The posted recommendation messages (those with Approve buttons), oldest first. */
export async function recommendationMessages(): Promise<SimMessage[]> {
  return (await discordSim.messages()).filter((m) => buttonsOf(m).some((b) => b.custom_id.startsWith("v1:approve:")));
}

export async function messageById(id: string): Promise<SimMessage> {
  const message = await discordSim.message(id);
  if (!message) throw new Error(`no message ${id}`);
  return message;
}

/** Every channel message's text (textOf), oldest first. */
export const channelTexts = async (): Promise<string[]> => (await discordSim.messages()).map(textOf);

/** /status's embed fields by name, as an allowed trader sees them now. */
export async function statusFields(): Promise<Record<string, string>> {
  const { response } = await command("status");
  const fields = response.data?.embeds?.[0]?.fields ?? [];
  return Object.fromEntries(fields.map((f) => [f.name, f.value]));
}

export function textOf(message: SimMessage): string {
  const embed = message.embeds[0] as APIEmbed | undefined;
  return [
    message.content,
    embed?.title,
    embed?.description,
    ...(embed?.fields ?? []).map((f) => `${f.name}: ${f.value}`),
  ]
    .filter(Boolean)
    .join("\n");
}

/** Approves `symbol`'s recommendation of the scan slot and returns the position its fill opened. */
export async function openPosition(symbol = "SPY"): Promise<PositionRow> {
  const { message, approve, recId } = await scanAndPick(symbol);
  await click(message.id, approve.custom_id);
  const position = await database(env.DB).select().from(positions).where(eq(positions.recommendationId, recId)).get();
  if (position?.status !== "open") throw new Error("the approval opened no position");
  return position;
}

/** A recommendation as stored in D1 now. */
export function storedRecommendation(id: string) {
  return database(env.DB).select().from(recommendations).where(eq(recommendations.id, id)).get();
}

/** A position's row as stored now (undefined when there is none). */
export function storedPosition(id: number) {
  return database(env.DB).select().from(positions).where(eq(positions.id, id)).get();
}

/** The entry orders of a recommendation, oldest first: its first and each walk step's (`-w1`, `-w2`). */
export async function openingOrdersFor(recId: string): Promise<Record<string, unknown>[]> {
  const first = `sd-open-${recId}`;
  return (await alpaca.listOrders()).filter(
    (o) => o.client_order_id === first || String(o.client_order_id).startsWith(`${first}-w`),
  );
}

/** A clean world for one scenario: empty channel, fresh market, no rows from earlier tests. */
export async function resetWorld(): Promise<void> {
  await Promise.all([alpaca.reset(), discordSim.reset()]);
  // Every test starts at the same instant, whatever the day and hour it runs at; prices follow a
  // path in time, and frozen, the quotes a scan saw are the ones an approval sees.
  await alpaca.pinClock(SANDBOX_START);
  await env.DB.batch(
    [
      "audit_log",
      "trades",
      "trade_reviews",
      "playbook_rules",
      "positions",
      "recommendations",
      "job_runs",
      "breaker_state",
      "breaker_events",
      "daily_performance",
      "intraday_equity",
      "playbook",
      "seen_interactions",
      "broker_activities",
    ].map((table) => env.DB.prepare(`DELETE FROM ${table}`)),
  );
  const keys = await env.STATE.list();
  await Promise.all(keys.keys.map((k) => env.STATE.delete(k.name)));
  const archived = await env.ARCHIVE.list();
  if (archived.objects.length > 0) await env.ARCHIVE.delete(archived.objects.map((o) => o.key));
}

/** Runs the scan slot and returns the first recommendation message and its Approve button. */
export async function scanAndPick(
  symbol = "SPY",
): Promise<{ message: SimMessage; approve: Button; reject: Button; recId: string }> {
  await fire("scan", SCAN_SLOT);
  const message = (await recommendationMessages()).find((m) => embedOf(m).title?.startsWith(symbol));
  if (!message) throw new Error(`the scan posted no recommendation for ${symbol}`);
  const buttons = buttonsOf(message);
  const approve = buttons.find((b) => b.custom_id.startsWith("v1:approve:"));
  const reject = buttons.find((b) => b.custom_id.startsWith("v1:reject:"));
  if (!approve || !reject) throw new Error("recommendation without Approve/Reject");
  const recId = approve.custom_id.split(":")[2] ?? "";
  return { message, approve, reject, recId };
}

/** POSTs JSON to a sandbox route. */
export const postJson = (path: string, body: unknown) =>
  call(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Moves the sandbox's one clock forward to an instant; throws if the route refused. */
export async function moveClockTo(at: number): Promise<void> {
  const response = await postJson("/sandbox/api/clock", { to: new Date(at).toISOString() });
  if (response.status !== 200) throw new Error(`clock refused ${new Date(at).toISOString()}: ${await response.text()}`);
}

/**
 * Moves the sandbox's clock to `time` New York (10:00 unless given) on the NYSE session after its
 * day. Once its clock has moved, the simulated market keeps NYSE hours: a test that moves it on
 * (advanceClock) from there is in a session, whatever the instant it started from.
 */
export async function moveToNextSessionMorning(time = "10:00"): Promise<void> {
  await moveClockTo(utcInstant(nextSession(tradingDay(await sandboxNow())), time));
}

/** Moves the sandbox's one clock forward by some minutes. */
export async function advanceClock(minutes: number): Promise<void> {
  const response = await postJson("/sandbox/api/clock", { advance_minutes: minutes });
  if (response.status !== 200) throw new Error(`clock refused +${minutes} min: ${await response.text()}`);
}

/** Runs the monitor now, as the console's button does; throws unless it ran. Returns its report. */
export async function runMonitorNow(): Promise<Record<string, unknown>> {
  const run = await (await postJson("/sandbox/api/jobs/run", { job: "monitor" })).json<{
    outcome: string;
    summary?: Record<string, unknown>;
  }>();
  if (run.outcome !== "ran") throw new Error(`the monitor did not run: ${JSON.stringify(run)}`);
  return run.summary ?? {};
}

const isCloseButton = (b: Button) => b.custom_id.startsWith("v1:close:");

/** The channel's messages that carry a live Close button (exit alerts not yet acted on). */
export async function closeAlerts(): Promise<SimMessage[]> {
  return (await discordSim.messages()).filter((m) => buttonsOf(m).some(isCloseButton));
}

/**
 * The market moved 6 % the position's way (its profit target) and the monitor run half an hour
 * after the scan's slot: the first exit alert and its Close button.
 */
export async function profitTargetAlert(position: { symbol: string; strategy: string }) {
  await alpaca.moveMarket({ symbol: position.symbol, move_pct: position.strategy === "bull_put" ? 6 : -6 });
  await fire("monitor", SCAN_SLOT + 30 * 60_000);
  return firstCloseAlert();
}

/** The first exit alert and its Close button; throws when the monitor posted none. */
export async function firstCloseAlert(): Promise<{ alert: SimMessage; close: Button }> {
  const [alert] = await closeAlerts();
  const close = alert && buttonsOf(alert).find(isCloseButton);
  if (!alert || !close) throw new Error("no exit alert with a Close button");
  return { alert, close };
}
