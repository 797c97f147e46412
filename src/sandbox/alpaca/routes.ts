// Sandbox routes of the simulated market (design.md, "sandbox contract"):
//   GET  /sandbox/api/orders     → the simulated broker's orders, as Alpaca order objects
//   GET  /sandbox/api/market     → the market now: {open, as_of, prices, iv} (the console's market panel)
//   POST /sandbox/api/market     → {"symbol","move_pct"} | {"symbol","price"} | {"open"}: moves the market;
//                                  {"assign": "<OCC symbol>"}: assigns that short option now (early);
//                                  {"close_by_hand": "<short OCC>"} | {"close_leg_by_hand": "<OCC>"}: a person
//                                  closes that spread, or that one leg, at Alpaca's page ("contracts"?: part)
//   GET  /sandbox/api/clock      → {"now", "market_open"}: the one clock the bot and the simulators share
//        ?detail=1                 + {"next_open", "next_close", "next_expiration"}: the console's fast-forward targets
//   POST /sandbox/api/clock      → {"advance_minutes"} | {"to"}: moves it forward (never back)
//   POST /sandbox/api/faults     → fault knobs, e.g. {"partial_fill_next_order": 0.6}; unknown knob → 400
//   GET  /sandbox/api/positions  → {"broker": [Alpaca positions], "bot": [the bot's open positions]}
//   GET  /sandbox/api/dividends  → the ex-dividend dates set by hand, by symbol (the rest follow dividends.ts)
//   POST /sandbox/api/dividends  → {"symbol":"SPY","ex_dates":["2027-02-10"],"rate"?:1.8}: that symbol's
//                                  ex-dates from now on ([] = it pays nothing)
// They go to the AlpacaSimulator's control panel, which validates and answers (400 on bad input).
import { inArray } from "drizzle-orm";
import { positions } from "../../../drizzle/schema";
import { json } from "../../http";
import { database } from "../../store/db";
import { parseClockInput } from "./clock";
import { nextClose, nextExpiration, nextOpen } from "./clock-ahead";

function simulator(env: Env): DurableObjectStub | null {
  return env.SIM_ALPACA ? env.SIM_ALPACA.get(env.SIM_ALPACA.idFromName("market")) : null;
}

const CONTROL: Record<string, string> = {
  "GET /sandbox/api/orders": "orders",
  "GET /sandbox/api/market": "market",
  "POST /sandbox/api/market": "market",
  "GET /sandbox/api/clock": "clock",
  "POST /sandbox/api/clock": "clock",
  "POST /sandbox/api/faults": "faults",
  "GET /sandbox/api/positions": "positions",
  "GET /sandbox/api/dividends": "dividends",
  "POST /sandbox/api/dividends": "dividends",
};

export async function alpacaSandboxRoute(request: Request, env: Env, url: URL): Promise<Response | null> {
  const route = `${request.method} ${url.pathname}`;
  const control = CONTROL[route];
  if (!control) return null;
  const sim = simulator(env);
  if (!sim) return json({ error: "unavailable", message: "the simulated market (SIM_ALPACA) is not bound" }, 503);
  const target = `https://sim.control/control/${control}`;
  if (route === "GET /sandbox/api/positions") {
    const books = await bothBooks(env, sim);
    return books instanceof Response ? books : json(books);
  }
  if (route === "GET /sandbox/api/clock") {
    const view = await sim.fetch(target).then((r) => r.json<{ now: string; market_open: boolean }>());
    const answer = { now: view.now, market_open: view.market_open };
    return json(url.searchParams.get("detail") === "1" ? { ...answer, ...(await ahead(env, sim, view.now)) } : answer);
  }
  if (request.method === "GET") return sim.fetch(target);
  const body = await request.text();
  // freeze_at and pin_at are the tests' control knobs, not the contract's: the public clock only moves forward.
  if (route === "POST /sandbox/api/clock" && !isContractClockBody(body))
    return json(
      { error: "bad_request", message: 'body must be {"advance_minutes": <minutes>} or {"to": "<ISO instant>"}' },
      400,
    );
  const answer = await sim.fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
  if (route !== "POST /sandbox/api/clock" || !answer.ok) return answer;
  const view = await answer.json<{ now: string; market_open: boolean }>();
  return json({ now: view.now, market_open: view.market_open });
}

interface Books {
  broker: { symbol: string; qty: string }[];
  bot: { id: number; symbol: string; short_symbol: string; long_symbol: string; contracts: number; status: string }[];
}

/** The broker's book beside the bot's: the same legs and quantities when they agree. */
async function bothBooks(env: Env, sim: DurableObjectStub): Promise<Books | Response> {
  const broker = await sim.fetch("https://sim.control/control/positions");
  if (!broker.ok) return broker;
  const held = await database(env.DB)
    .select()
    .from(positions)
    .where(inArray(positions.status, ["open", "closing"]))
    .orderBy(positions.openedAt)
    .all();
  return {
    broker: await broker.json<Books["broker"]>(),
    bot: held.map((p) => ({
      id: p.id,
      symbol: p.symbol,
      short_symbol: p.shortSymbol,
      long_symbol: p.longSymbol,
      contracts: p.contracts,
      status: p.status,
    })),
  };
}

/** The next open and close on the simulated NYSE calendar, and the nearest expiration either book holds. */
async function ahead(env: Env, sim: DurableObjectStub, nowIso: string) {
  const now = Date.parse(nowIso);
  const books = await bothBooks(env, sim);
  const symbols =
    books instanceof Response
      ? []
      : [...books.broker.map((p) => p.symbol), ...books.bot.flatMap((p) => [p.short_symbol, p.long_symbol])];
  const expiration = nextExpiration(now, symbols);
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    next_open: iso(nextOpen(now)),
    next_close: iso(nextClose(now)),
    next_expiration: expiration && { ...expiration, close: iso(expiration.close) },
  };
}

function isContractClockBody(text: string): boolean {
  try {
    const parsed = parseClockInput(JSON.parse(text));
    return parsed.ok && ("advance_minutes" in parsed.value || "to" in parsed.value);
  } catch {
    return false;
  }
}
