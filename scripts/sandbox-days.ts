// npm run sandbox:days [-- <days>] : plays trading days on the running sandbox (npm run dev), as
// a trader would live them, so /performance, the equity curve and /playbook have something to
// show. Each day, on the one simulated clock: the 09:35 scan, Approve on every card, a market in
// which SPY and IWM rise and QQQ and GLD fall, the monitor an hour later, Close on every exit
// alert, the monitor again, the end of day at 16:15 (reviews, rules, summary). Only the sandbox's
// public routes are used: what it does, a person can do from the console.
const BASE = process.env.SANDBOX_URL ?? "http://localhost:8787";
const DAILY_MOVES: Record<string, number> = { SPY: 4, IWM: 5, QQQ: -6, GLD: -7 };

interface Message {
  id: string;
  embeds?: { title?: string }[];
  components?: { components?: { custom_id?: string }[] }[];
}

async function call<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${BASE}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const runJob = (job: string, slot?: string) =>
  call<{ outcome: string; reason?: string; summary?: Record<string, unknown> }>("/sandbox/api/jobs/run", {
    job,
    ...(slot ? { slot } : {}),
  });

/** Clicks the first button whose custom id starts with `prefix` on every message that has one. */
async function clickAll(prefix: string, seen: Set<string>): Promise<string[]> {
  const clicked: string[] = [];
  for (const message of await call<Message[]>("/sandbox/api/messages")) {
    const button = (message.components ?? [])
      .flatMap((row) => row.components ?? [])
      .find((c) => c.custom_id?.startsWith(prefix));
    if (!button?.custom_id || seen.has(`${message.id}:${button.custom_id}`)) continue;
    seen.add(`${message.id}:${button.custom_id}`);
    await call("/sandbox/api/interactions", { type: "component", message_id: message.id, custom_id: button.custom_id });
    clicked.push(message.embeds?.[0]?.title ?? message.id);
  }
  return clicked;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function playDay(seen: Set<string>): Promise<void> {
  const clock = await call<{ next_open: string }>("/sandbox/api/clock?detail=1");
  const open = Date.parse(clock.next_open);
  const at = (minutes: number) => call("/sandbox/api/clock", { to: new Date(open + minutes * 60_000).toISOString() });
  await at(5);
  const day = new Date(open).toISOString().slice(0, 10);
  const scan = await runJob("scan", "09:35");
  const posted = ((scan.summary?.posted as { title: string }[] | undefined) ?? []).map((p) => p.title);
  console.log(`${day} 09:35 scan ${scan.outcome}: ${posted.length} ideas${scan.reason ? ` (${scan.reason})` : ""}`);
  // A scan that stopped before any symbol (a halt, the market, the options level) says why.
  const stopped = (scan.summary?.skipped as { symbol: string; reason: string }[] | undefined)?.find(
    (s) => s.symbol === "*",
  );
  if (stopped) console.log(`  skipped: ${stopped.reason}`);
  for (const title of await clickAll("v1:approve:", seen)) console.log(`  approved ${title}`);
  await pause(1500); // the orders are placed after each click's answer
  for (const [symbol, move] of Object.entries(DAILY_MOVES))
    await call("/sandbox/api/market", { symbol, move_pct: move }).catch(() => undefined);
  await at(65);
  const monitor = await runJob("monitor");
  console.log(`  10:35 monitor: ${monitor.summary?.exitAlerts ?? 0} exit alerts`);
  for (const title of await clickAll("v1:close:", seen)) console.log(`  closed ${title}`);
  await pause(1500);
  await at(75);
  await runJob("monitor");
  await at(405);
  const eod = await runJob("eod");
  const s = eod.summary ?? {};
  console.log(
    `  16:15 end of day ${eod.outcome}: realized ${s.realizedPl ?? "?"}, ${s.reviewed ?? 0} trades reviewed, ${s.rulesProposed ?? 0} rules proposed`,
  );
}

async function main(): Promise<void> {
  const days = Number(process.argv[2] ?? 4);
  if (!Number.isInteger(days) || days < 1 || days > 20) throw new Error("days must be a whole number from 1 to 20");
  await call("/health").catch(() => {
    throw new Error(`no sandbox at ${BASE}: start it with npm run dev`);
  });
  const seen = new Set<string>();
  for (let i = 0; i < days; i++) await playDay(seen);
  console.log("Done. In the console: /performance month and /playbook.");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
