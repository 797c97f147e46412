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
// The answer is read raw (alpaca-raw.ts): the SDK's model reader parses market data with
// lossless-json, a JavaScript parser that this one call would load and run in every scan, and
// turns each date into a Date; the three fields used are read as Alpaca writes them.
import type { Alpaca } from "@alpacahq/alpaca-trade-api";
import { addDays } from "../domain/dates";
import type { ExDividend } from "../domain/events";
import { calendarBound } from "./alpaca-calendar";
import { isRecord, nextToken, rawBody } from "./alpaca-raw";

/** How long after its ex-date a dividend may be processed (SPY's is paid about six weeks after). */
const PAYABLE_LAG_DAYS = 90;
/** Pages read at most: a watchlist's quarter of dividends fits in one. */
const MAX_PAGES = 5;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function readExDividends(c: Alpaca, symbols: string[], from: string, to: string): Promise<ExDividend[]> {
  if (symbols.length === 0) return [];
  const out: ExDividend[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await rawBody(
      await c.marketData.corporateActions.corporateActionsRaw({
        symbols: symbols.join(","),
        types: "cash_dividend",
        start: calendarBound(from),
        end: calendarBound(addDays(to, PAYABLE_LAG_DAYS)),
        limit: 1000,
        ...(pageToken ? { pageToken } : {}),
      }),
      "corporate actions",
    );
    for (const d of cashDividends(body)) {
      const exDate = typeof d.ex_date === "string" && DAY.test(d.ex_date) ? d.ex_date : null;
      if (typeof d.symbol !== "string" || exDate === null || exDate < from || exDate > to) continue;
      out.push({
        symbol: d.symbol,
        exDate,
        amount: typeof d.rate === "number" && Number.isFinite(d.rate) ? d.rate : null,
      });
    }
    const next = nextToken(body);
    if (!next) return sortByDate(out);
    pageToken = next;
  }
  // More pages than any watchlist needs: answering with part of them would hide an ex-date from
  // a rule that fails closed when it cannot read them, so it fails instead.
  throw new Error(`Alpaca listed more than ${MAX_PAGES} pages of dividends for ${symbols.join(",")}`);
}

/** A raw page's cash dividends (`corporate_actions.cash_dividends`), each as a record. */
function cashDividends(body: Record<string, unknown>): Record<string, unknown>[] {
  const actions = body.corporate_actions;
  const list = isRecord(actions) ? actions.cash_dividends : undefined;
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

function sortByDate(list: ExDividend[]): ExDividend[] {
  return list.sort((a, b) => a.exDate.localeCompare(b.exDate) || a.symbol.localeCompare(b.symbol));
}
