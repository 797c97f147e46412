// Ex-dividend dates from Alpaca's market-data corporate actions, through the official SDK
// (marketData.corporateActions → GET /v1/corporate-actions on data.alpaca.markets).
//
// Alpaca's reference (https://docs.alpaca.markets/reference/corporateactions-1): `symbols`,
// `types` (cash_dividend among others), `start`/`end` as YYYY-MM-DD, inclusive, "sorted by their
// process_date", `limit` 1-1000 (default 100) over all symbols, `next_page_token` for more. A cash
// dividend carries `ex_date`, `rate` (dollars a share), `payable_date`, `process_date`, `special`.
// Its warning: actions may reach the API some time after they are announced, so a dividend not
// yet declared (or not yet ingested) is not seen; BLACKOUT_DATES can hold a date known sooner.
//
// The window is on the process date, which for a dividend comes at or after the ex-date (it is
// paid then), often weeks after: the request reaches PAYABLE_LAG_DAYS past `to`, and the answer
// is filtered by ex-date. The SDK renders the Date bounds with toISOString().slice(0, 10):
// calendarBound sends the bare day (alpaca-calendar.ts says why a UTC midnight would not).
import type { Alpaca } from "@alpacahq/alpaca-trade-api";
import { addDays } from "../domain/dates";
import type { ExDividend } from "../domain/events";
import { calendarBound } from "./alpaca-calendar";

/** How long after its ex-date a dividend may be processed (SPY's is paid about six weeks after). */
const PAYABLE_LAG_DAYS = 90;
/** Pages read at most: a watchlist's quarter of dividends fits in one. */
const MAX_PAGES = 5;

export async function readExDividends(c: Alpaca, symbols: string[], from: string, to: string): Promise<ExDividend[]> {
  if (symbols.length === 0) return [];
  const out: ExDividend[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const resp = await c.marketData.corporateActions.corporateActions({
      symbols: symbols.join(","),
      types: "cash_dividend",
      start: calendarBound(from),
      end: calendarBound(addDays(to, PAYABLE_LAG_DAYS)),
      limit: 1000,
      ...(pageToken ? { pageToken } : {}),
    });
    for (const d of resp.corporateActions?.cashDividends ?? []) {
      // The SDK parses "2026-12-19" as UTC midnight: its ISO date is the day Alpaca wrote.
      const exDate =
        d.exDate instanceof Date && !Number.isNaN(d.exDate.getTime()) ? d.exDate.toISOString().slice(0, 10) : null;
      if (exDate === null || exDate < from || exDate > to) continue;
      out.push({ symbol: d.symbol, exDate, amount: Number.isFinite(d.rate) ? d.rate : null });
    }
    if (!resp.nextPageToken) return sortByDate(out);
    pageToken = resp.nextPageToken;
  }
  // More pages than any watchlist needs: answering with part of them would hide an ex-date from
  // a rule that fails closed when it cannot read them, so it fails instead.
  throw new Error(`Alpaca listed more than ${MAX_PAGES} pages of dividends for ${symbols.join(",")}`);
}

function sortByDate(list: ExDividend[]): ExDividend[] {
  return list.sort((a, b) => a.exDate.localeCompare(b.exDate) || a.symbol.localeCompare(b.symbol));
}
