// The simulated market's cash dividends, served as Alpaca's market-data corporate actions:
// GET /v1/corporate-actions (https://docs.alpaca.markets/reference/corporateactions-1).
// What it checks, as the reference documents it: `types` among Alpaca's list, `start`/`end` as
// YYYY-MM-DD (default: today), inclusive and on the process date, `limit` 1-1000 (default 100)
// over all symbols, `page_token` to continue, `sort` asc|desc. The answer is
// {"corporate_actions": {"cash_dividends": [...]}, "next_page_token": ...}, only the types asked.
//
// The default schedule is a plausible one, the same every year, so any sandbox date has one:
// SPY goes ex on the third Friday of March, June, September and December (about $1.75, paid six
// weeks later), QQQ on the Monday after it ($0.70), IWM the Tuesday before it ($0.75); GLD and
// other tickers pay nothing. A test sets a symbol's own dates with POST /control/dividends.
import { z } from "zod";
import { addDays, weekdayOf } from "../../domain/dates";

export interface SimDividend {
  exDate: string;
  rate: number;
}

/** Dates a test (or a person) set, by symbol; an empty list means "pays nothing". */
export type DividendOverrides = Record<string, SimDividend[]>;

interface Schedule {
  /** Days from the third Friday of the quarter's last month to the ex-date. */
  offset: number;
  rate: number;
  /** Days from the ex-date to the payment (the process date). */
  paidAfter: number;
  cusip: string;
}

const SCHEDULES: Record<string, Schedule> = {
  SPY: { offset: 0, rate: 1.75, paidAfter: 42, cusip: "78462F103" },
  QQQ: { offset: 3, rate: 0.7, paidAfter: 8, cusip: "46090E103" },
  IWM: { offset: -3, rate: 0.75, paidAfter: 6, cusip: "464287655" },
};

const QUARTER_MONTHS = [3, 6, 9, 12];
const TYPES = [
  "reverse_split",
  "forward_split",
  "unit_split",
  "cash_dividend",
  "stock_dividend",
  "spin_off",
  "cash_merger",
  "stock_merger",
  "stock_and_cash_merger",
  "redemption",
  "name_change",
  "worthless_removal",
  "rights_distribution",
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const DividendsInput = z
  .object({
    symbol: z.string().regex(/^[A-Z]{1,5}$/, "must be an upper-case ticker like SPY"),
    /** The symbol's ex-dates from now on (replacing its default schedule); [] = pays nothing. */
    ex_dates: z.array(z.string().regex(DATE, "must be YYYY-MM-DD")).max(20),
    rate: z.number().positive().max(1000).default(1),
  })
  .strict();

/** The third Friday of a month, YYYY-MM-DD. */
function thirdFriday(year: number, month: number): string {
  const first = `${year}-${String(month).padStart(2, "0")}-01`;
  const toFriday = (5 - weekdayOf(first) + 7) % 7;
  return addDays(first, toFriday + 14);
}

interface Listed {
  symbol: string;
  exDate: string;
  rate: number;
  processDate: string;
  cusip: string;
}

function dividendsOf(symbol: string, years: number[], overrides: DividendOverrides): Listed[] {
  const own = overrides[symbol];
  const schedule = SCHEDULES[symbol];
  const cusip = schedule?.cusip ?? "000000000";
  if (own) return own.map((d) => ({ symbol, ...d, processDate: addDays(d.exDate, 30), cusip }));
  if (!schedule) return [];
  return years.flatMap((year) =>
    QUARTER_MONTHS.map((month) => {
      const exDate = addDays(thirdFriday(year, month), schedule.offset);
      return { symbol, exDate, rate: schedule.rate, processDate: addDays(exDate, schedule.paidAfter), cusip };
    }),
  );
}

export type CorporateActionsAnswer =
  | { status: 200; body: unknown }
  | { status: 400; body: { code: number; message: string } };

const invalid = (message: string): CorporateActionsAnswer => ({ status: 400, body: { code: 40010001, message } });

/** GET /v1/corporate-actions: the cash dividends whose process date falls in [start, end]. */
export function corporateActions(
  q: URLSearchParams,
  today: string,
  overrides: DividendOverrides,
  pageCap: number | null = null,
): CorporateActionsAnswer {
  const types = (q.get("types") ?? "").split(",").filter((t) => t !== "");
  const unknown = types.find((t) => !TYPES.includes(t));
  if (unknown) return invalid(`invalid types: ${unknown}`);
  const start = q.get("start") ?? today;
  const end = q.get("end") ?? today;
  if (!DATE.test(start)) return invalid(`invalid start: ${start} (expected YYYY-MM-DD)`);
  if (!DATE.test(end)) return invalid(`invalid end: ${end} (expected YYYY-MM-DD)`);
  if (start > end) return invalid("start must not be after end");
  const limit = Number(q.get("limit") ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return invalid("limit must be between 1 and 1000");
  const offset = Number(q.get("page_token") ?? 0);
  if (!Number.isInteger(offset) || offset < 0) return invalid("invalid page_token");
  const sort = q.get("sort") ?? "asc";
  if (sort !== "asc" && sort !== "desc") return invalid("sort must be asc or desc");

  const wantsDividends = types.length === 0 || types.includes("cash_dividend");
  const symbols = (q.get("symbols") ?? "").split(",").filter((s) => s !== "");
  const firstYear = Number(start.slice(0, 4)) - 1;
  const years = Array.from({ length: Number(end.slice(0, 4)) - firstYear + 1 }, (_, i) => firstYear + i);
  const all = wantsDividends
    ? symbols
        .flatMap((s) => dividendsOf(s, years, overrides))
        .filter((d) => d.processDate >= start && d.processDate <= end)
        .sort((a, b) => a.processDate.localeCompare(b.processDate) || a.symbol.localeCompare(b.symbol))
    : [];
  if (sort === "desc") all.reverse();
  const size = Math.min(limit, pageCap ?? limit);
  const page = all.slice(offset, offset + size);
  const more = offset + size < all.length;
  return {
    status: 200,
    body: {
      corporate_actions: page.length === 0 ? {} : { cash_dividends: page.map(wire) },
      next_page_token: more ? String(offset + size) : null,
    },
  };
}

function wire(d: Listed) {
  return {
    id: `sim-div-${d.symbol}-${d.exDate}`,
    symbol: d.symbol,
    cusip: d.cusip,
    rate: d.rate,
    special: false,
    foreign: false,
    process_date: d.processDate,
    ex_date: d.exDate,
    record_date: d.exDate,
    payable_date: d.processDate,
  };
}
