// Events a credit-spread seller avoids, judged on dates alone (no I/O).
//
// - Ex-dividend dates: a short call in the money the day before an ex-date is exercised early
//   by holders who want the dividend (the call's time value is worth less than the dividend),
//   so the seller is assigned short shares and owes the dividend. A bear call whose life spans
//   an ex-date of its underlying is refused. A bull put has no short call: its ex-dates are
//   listed on the card, not refused (a dividend makes early exercise of a put less likely).
// - Blackout dates (BLACKOUT_DATES: FOMC, CPI, earnings): no position of either side may span
//   one; a gap on that day can take a spread from full profit to max loss.
//
// The life of a position opened today runs to its expiration. An ex-date today is not in it:
// the exercise that captures a dividend happens the trading day before the ex-date, before the
// position existed. A blackout date today is in it (the announcement comes during the session).
import type { Strategy } from "./recommendation-state";

export interface ExDividend {
  symbol: string;
  /** YYYY-MM-DD */
  exDate: string;
  /** Dollars per share (null: not given). */
  amount: number | null;
}

export interface BlackoutDate {
  /** YYYY-MM-DD */
  date: string;
  /** What happens that day ("FOMC", "CPI"); empty when none was given. */
  label: string;
}

/** One event inside a candidate's life, as the card lists it. */
export interface EventInLife {
  kind: "ex_dividend" | "blackout";
  date: string;
  label: string;
  amount?: number;
}

/** What was checked and found: stored with the recommendation, rendered on the card. */
export interface EventsChecked {
  /** false: the ex-dividend dates could not be read (a bull put is still offered, see the scan). */
  exDividendChecked: boolean;
  /** How many configured blackout dates were compared (all of them, whatever their date). */
  blackoutDates: number;
  /** Events from today to expiry that concern this underlying, by date. */
  found: EventInLife[];
}

export type EventsVerdict = { allowed: true; checked: EventsChecked } | { allowed: false; reason: string };

export interface EventsInput {
  underlying: string;
  strategy: Strategy;
  /** YYYY-MM-DD, the options' expiration. */
  expiration: string;
  /** YYYY-MM-DD, New York trading day the position would open. */
  today: string;
  /** The ex-dividend dates read from the broker; null when they could not be read. */
  exDividends: ExDividend[] | null;
  blackouts: BlackoutDate[];
}

/** Whether a candidate may be offered, given the events before its expiry, and which it checked. */
export function judgeEvents(input: EventsInput): EventsVerdict {
  const { today, expiration, strategy } = input;
  const exDivs = (input.exDividends ?? [])
    .filter((d) => d.symbol === input.underlying && d.exDate > today && d.exDate <= expiration)
    .map((d): EventInLife => ({ kind: "ex_dividend", date: d.exDate, label: `${d.symbol} ex-div`, ...amountOf(d) }));
  const blackouts = blackoutsInLife(input.blackouts, today, expiration).map(
    (b): EventInLife => ({ kind: "blackout", date: b.date, label: b.label }),
  );

  if (blackouts.length > 0)
    return {
      allowed: false,
      reason: `its life (${today} to ${expiration}) spans ${blackouts.map((b) => `${b.label} ${b.date}`).join(", ")} (BLACKOUT_DATES)`,
    };
  if (strategy === "bear_call") {
    if (input.exDividends === null)
      return {
        allowed: false,
        reason:
          "the ex-dividend dates could not be read, and a short call across one risks early assignment: no bear call offered",
      };
    const first = exDivs[0];
    if (first)
      return {
        allowed: false,
        reason: `its short call would span ${input.underlying}'s ex-dividend date ${first.date}${first.amount === undefined ? "" : ` ($${first.amount.toFixed(2)})`}: early-assignment risk`,
      };
  }
  return {
    allowed: true,
    checked: {
      exDividendChecked: input.exDividends !== null,
      blackoutDates: input.blackouts.length,
      found: [...exDivs, ...blackouts].sort((a, b) => a.date.localeCompare(b.date)),
    },
  };
}

/** The blackout dates from today to the expiration, inclusive, each with a label to show. */
export function blackoutsInLife(blackouts: BlackoutDate[], today: string, expiration: string): BlackoutDate[] {
  return blackouts
    .filter((b) => b.date >= today && b.date <= expiration)
    .map((b) => ({ date: b.date, label: b.label || "blackout date" }));
}

function amountOf(d: ExDividend): { amount?: number } {
  return d.amount === null || !Number.isFinite(d.amount) ? {} : { amount: d.amount };
}

/**
 * The card's line: "none before expiry (checked ex-dividend, 2 blackout dates)" or
 * "SPY ex-div 12/19 $1.80 (bull put: no short call)".
 */
export function describeEvents(checked: EventsChecked, strategy: Strategy): string {
  const scope = [
    checked.exDividendChecked ? "ex-dividend" : "ex-dividend dates unavailable",
    `${checked.blackoutDates} blackout date${checked.blackoutDates === 1 ? "" : "s"}`,
  ].join(", ");
  if (checked.found.length === 0) return `none before expiry (checked ${scope})`;
  const listed = checked.found.map((e) => {
    const when = monthDay(e.date);
    if (e.kind === "blackout") return `${e.label} ${when}`;
    const amount = e.amount === undefined ? "" : ` $${e.amount.toFixed(2)}`;
    // Only a bull put can be offered across an ex-date: say why it may.
    const why = strategy === "bull_put" ? " (bull put: no short call)" : "";
    return `${e.label} ${when}${amount}${why}`;
  });
  return `${listed.join(" · ")} (checked ${scope})`;
}

/** "2026-12-19" → "12/19". */
function monthDay(date: string): string {
  return `${date.slice(5, 7)}/${date.slice(8, 10)}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._&/-]{0,39}$/;

/**
 * BLACKOUT_DATES: comma-separated `YYYY-MM-DD` or `YYYY-MM-DD:Label`, e.g.
 * "2026-12-16:FOMC,2026-12-10:CPI,2027-01-28". Each bad entry is one problem, quoted, worded to
 * follow the setting's name ("BLACKOUT_DATES entry "Dec 10" is not a YYYY-MM-DD date ...").
 */
export function parseBlackoutDates(
  text: string,
): { ok: true; dates: BlackoutDate[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const dates: BlackoutDate[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const colon = entry.indexOf(":");
    const date = (colon < 0 ? entry : entry.slice(0, colon)).trim();
    const label = colon < 0 ? "" : entry.slice(colon + 1).trim();
    if (!isCalendarDate(date))
      problems.push(`entry "${entry}" is not a YYYY-MM-DD date (write 2026-12-16 or 2026-12-16:FOMC)`);
    else if (colon >= 0 && !LABEL.test(label))
      problems.push(`entry "${entry}" has a label that is not 1-40 letters, digits, spaces or ._&/-`);
    else dates.push({ date, label });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, dates: dates.sort((a, b) => a.date.localeCompare(b.date)) };
}

/** The candidate the events allow (null when none), and why the better ones before it were refused. */
export interface Allowed<T> {
  chosen: { candidate: T; checked: EventsChecked } | null;
  refused: string[];
}

/**
 * The first candidate (best first) the events allow, with what it checked; and the reasons the
 * ones before it were refused, for the scan's report.
 */
export function firstAllowed<T>(candidates: readonly T[], judge: (candidate: T) => EventsVerdict): Allowed<T> {
  const refused: string[] = [];
  for (const candidate of candidates) {
    const verdict = judge(candidate);
    if (verdict.allowed) return { chosen: { candidate, checked: verdict.checked }, refused };
    refused.push(verdict.reason);
  }
  return { chosen: null, refused };
}
