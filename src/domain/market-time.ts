// New York market time from UTC instants. Cron is UTC, the market is New York: every job
// converts its scheduled instant here. DST comes from Intl's tz database (no hand-made
// tables); NYSE holidays and early closes are computed by rule (see nyseSession). Unscheduled
// closures (national days of mourning, weather) are not knowable by rule: the broker's clock
// stays the authority at approval time.
import { addDays } from "./dates";

export interface NewYorkParts {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM (24 h)
  weekday: number; // 0 = Sunday
  minutesOfDay: number;
}

export interface Session {
  open: "09:30";
  close: "16:00" | "13:00";
}

const DAY_MS = 86_400_000;

const NY = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  weekday: "short",
  hourCycle: "h23",
});

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/**
 * A pure function remembered for its last few thousand arguments. Intl's formatToParts costs
 * microseconds a call, and a scan asks the same few minutes and expiry dates once per contract.
 */
function remembered<K, V>(compute: (key: K) => V, limit = 4096): (key: K) => V {
  const seen = new Map<K, V>();
  return (key) => {
    if (seen.has(key)) return seen.get(key) as V;
    const value = compute(key);
    if (seen.size >= limit) seen.clear();
    seen.set(key, value);
    return value;
  };
}

/** New York parts of a UTC minute (every field is the same through the minute; DST moves on the hour). */
const partsOfMinute = remembered((minute: number): Readonly<NewYorkParts> => {
  const parts: Record<string, string> = {};
  for (const p of NY.formatToParts(new Date(minute * 60_000))) parts[p.type] = p.value;
  const hour = Number(parts.hour) % 24; // some ICU builds print midnight as 24 even in h23
  const minuteOfHour = Number(parts.minute);
  const hh = String(hour).padStart(2, "0");
  return Object.freeze({
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${hh}:${parts.minute}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ""),
    minutesOfDay: hour * 60 + minuteOfHour,
  });
});

export function newYorkParts(utcMs: number): NewYorkParts {
  return { ...partsOfMinute(Math.floor(utcMs / 60_000)) };
}

/** The New York calendar date of the instant: the trading day it belongs to. */
export function tradingDay(utcMs: number): string {
  return newYorkParts(utcMs).date;
}

function parseDate(date: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
const weekdayOf = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();

/** The nth (1-based) given weekday of a month; n = -1 for the last one. */
function nthWeekday(y: number, m: number, weekday: number, n: number): string {
  if (n > 0) {
    const first = weekdayOf(y, m, 1);
    return iso(y, m, 1 + ((weekday - first + 7) % 7) + (n - 1) * 7);
  }
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = weekdayOf(y, m, lastDay);
  return iso(y, m, lastDay - ((last - weekday + 7) % 7));
}

/** Western Easter Sunday (anonymous Gregorian computus). */
function easter(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(y, month, day);
}

/** A fixed-date holiday moved to Friday when on Saturday, to Monday when on Sunday. */
function observed(y: number, m: number, d: number): string {
  const wd = weekdayOf(y, m, d);
  if (wd === 6) return addDays(iso(y, m, d), -1);
  if (wd === 0) return addDays(iso(y, m, d), 1);
  return iso(y, m, d);
}

function nyseHolidays(y: number): Set<string> {
  const days = [
    // New Year's Day: a Sunday moves to Monday; a Saturday is NOT moved to Friday Dec 31 (NYSE rule 7.2).
    weekdayOf(y, 1, 1) === 6 ? null : observed(y, 1, 1),
    nthWeekday(y, 1, 1, 3), // Martin Luther King Jr. Day: third Monday of January
    nthWeekday(y, 2, 1, 3), // Washington's Birthday: third Monday of February
    addDays(easter(y), -2), // Good Friday
    nthWeekday(y, 5, 1, -1), // Memorial Day: last Monday of May
    y >= 2022 ? observed(y, 6, 19) : null, // Juneteenth
    observed(y, 7, 4), // Independence Day
    nthWeekday(y, 9, 1, 1), // Labor Day: first Monday of September
    nthWeekday(y, 11, 4, 4), // Thanksgiving: fourth Thursday of November
    observed(y, 12, 25), // Christmas
  ];
  return new Set(days.filter((d): d is string => d !== null));
}

function isEarlyClose(y: number, m: number, d: number): boolean {
  const wd = weekdayOf(y, m, d);
  const weekday = wd >= 1 && wd <= 5;
  if (m === 7 && d === 3) return weekday; // day before Independence Day
  if (m === 12 && d === 24) return weekday; // Christmas Eve
  return iso(y, m, d) === addDays(nthWeekday(y, 11, 4, 4), 1); // day after Thanksgiving
}

/** The NYSE session before `date` (YYYY-MM-DD): weekends and holidays skipped. */
export function previousSession(date: string): string {
  let day = addDays(date, -1);
  while (!sessionOf(day)) day = addDays(day, -1);
  return day;
}

/** The NYSE session after `date` (YYYY-MM-DD): weekends and holidays skipped. */
export function nextSession(date: string): string {
  let day = addDays(date, 1);
  while (!sessionOf(day)) day = addDays(day, 1);
  return day;
}

/** The regular session of a New York date, or null when the NYSE is closed all day. */
export function nyseSession(date: string): Session | null {
  const session = sessionOf(date);
  return session && { ...session };
}

const sessionOf = remembered((date: string): Readonly<Session> | null => {
  const { y, m, d } = parseDate(date);
  const wd = weekdayOf(y, m, d);
  if (wd === 0 || wd === 6) return null;
  // Holidays first: July 3 or Dec 24 on a Friday is the observed holiday, not an early close.
  if (nyseHolidays(y).has(date)) return null;
  return Object.freeze({ open: "09:30", close: isEarlyClose(y, m, d) ? "13:00" : "16:00" });
});

const minutes = (hhmm: string) => {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new RangeError(`time must be HH:MM, got "${hhmm}"`);
  return Number(match[1]) * 60 + Number(match[2]);
};

/** True from the open (inclusive) to the close (exclusive) of the instant's New York day. */
export function isRegularSession(utcMs: number, session: Session | null = nyseSession(tradingDay(utcMs))): boolean {
  if (!session) return false;
  const now = newYorkParts(utcMs).minutesOfDay;
  return now >= minutes(session.open) && now < minutes(session.close);
}

/** The UTC instant of a New York wall-clock time on a date (e.g. the close, for expiries). */
export function utcInstant(date: string, hhmm: string): number {
  const key = `${date}\u0000${hhmm}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  const instant = computeUtcInstant(date, hhmm);
  if (instants.size >= 4096) instants.clear();
  instants.set(key, instant);
  return instant;
}

const instants = new Map<string, number>();

function computeUtcInstant(date: string, hhmm: string): number {
  const { y, m, d } = parseDate(date);
  const wall = Date.UTC(y, m - 1, d) + minutes(hhmm) * 60_000;
  // New York is UTC-5 or UTC-4: start at -5 h, then correct by the offset Intl reports there.
  let guess = wall + 5 * 3_600_000;
  for (let i = 0; i < 2; i++) {
    const ny = newYorkParts(guess);
    const seen = Date.UTC(...splitDate(ny.date)) + ny.minutesOfDay * 60_000;
    guess += wall - seen;
  }
  return guess;
}

function splitDate(date: string): [number, number, number] {
  const { y, m, d } = parseDate(date);
  return [y, m - 1, d];
}

/** Calendar days from the New York date of `nowMs` to the expiration date (0 on expiry day). */
export function daysToExpiration(expiration: string, nowMs: number): number {
  const from = Date.UTC(...splitDate(tradingDay(nowMs)));
  const to = Date.UTC(...splitDate(expiration));
  return Math.round((to - from) / DAY_MS);
}
