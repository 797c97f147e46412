// Sandbox only: a year of daily at-the-money IV per watchlist symbol, read from the simulated
// market's own volatility model (alpaca/volatility-path.ts), so IV rank has a value on the first
// scan. In production nothing backfills: the scan records one ATM IV per symbol per day and IV
// rank reads "unavailable" until 20 trading days exist. Only src/sandbox imports this file.
import { count, inArray } from "drizzle-orm";
import { ivHistory } from "../../drizzle/schema";
import { parseConfig } from "../config";
import { tradingDay } from "../domain/market-time";
import { errorFields, log } from "../log";
import { database } from "../store/db";
import { insertIvRows } from "../store/iv-history";
import { sandboxWorld } from "./outside";

const TRADING_DAYS_A_YEAR = 252;
/** IV rank's minimum history (domain/volatility.ts): a symbol with this many rows is left alone. */
const ENOUGH_HISTORY = 20;

interface DailyIv {
  date: string;
  iv: number;
}

/** Once per isolate: after a backfill (or finding enough history) later calls return at once. */
let done = false;

/**
 * The next call looks at the database again. For tests that share one isolate across files and
 * empty D1 between them (test/support/apply-migrations.ts): each file starts as a fresh isolate.
 */
export function forgetIvBackfill(): void {
  done = false;
}

/**
 * Fills iv_history for every watchlist symbol with fewer than 20 rows: the 252 trading days
 * before `now`'s trading day, INSERT OR IGNORE (an observation already there is kept).
 * Returns the number of rows written.
 */
export async function backfillIvHistory(env: Env, now: number): Promise<number> {
  if (done) return 0;
  const symbols = parseConfig(env, "sandbox").watchlist;
  const db = database(env.DB);
  const counts = await db
    .select({ symbol: ivHistory.symbol, rows: count() })
    .from(ivHistory)
    .where(inArray(ivHistory.symbol, symbols))
    .groupBy(ivHistory.symbol)
    .all();
  const have = new Map(counts.map((c) => [c.symbol, c.rows]));
  const missing = symbols.filter((s) => (have.get(s) ?? 0) < ENOUGH_HISTORY);
  if (missing.length === 0) {
    done = true;
    return 0;
  }

  const history = await simulatedHistory(env, missing, tradingDay(now));
  const rows = missing.flatMap((symbol) =>
    (history[symbol] ?? []).map(({ date, iv }) => ({ symbol, tradingDay: date, iv })),
  );
  const [first, ...rest] = insertIvRows(db, rows);
  const results = first ? await db.batch([first, ...rest]) : [];
  done = true;
  const written = results.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
  log.info("sandbox: IV history backfilled", { symbols: missing, rows: written });
  return written;
}

/**
 * The backfill for a sandbox entry point, up to the simulated clock's day (the tests start it at a
 * fixed instant): a failure is logged, never in the way of the request.
 */
export async function ensureIvHistory(env: Env): Promise<void> {
  if (done) return;
  try {
    await backfillIvHistory(env, (await sandboxWorld(env)).clock.now());
  } catch (error) {
    log.warn("sandbox: IV history backfill failed; IV rank stays unavailable until it succeeds", errorFields(error));
  }
}

async function simulatedHistory(env: Env, symbols: string[], before: string): Promise<Record<string, DailyIv[]>> {
  if (!env.SIM_ALPACA) throw new Error("the simulated market (SIM_ALPACA) is not bound");
  const market = env.SIM_ALPACA.get(env.SIM_ALPACA.idFromName("market"));
  const query = new URLSearchParams({ symbols: symbols.join(","), before, days: String(TRADING_DAYS_A_YEAR) });
  const response = await market.fetch(`https://sim.control/control/iv-history?${query}`);
  if (!response.ok) throw new Error(`simulator IV history: ${response.status} ${await response.text()}`);
  return (await response.json<{ history: Record<string, DailyIv[]> }>()).history;
}
