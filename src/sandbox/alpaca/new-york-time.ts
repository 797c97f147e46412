// New York wall-clock time for the simulated market (sessions, expiries). Uses Intl's tz data,
// so US daylight saving is right in January and July alike.
const FORMAT = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

export interface NyParts {
  date: string; // YYYY-MM-DD
  weekday: number; // 0 = Sunday
  minutes: number; // minutes since New York midnight
}

function fields(ms: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of FORMAT.formatToParts(new Date(ms))) {
    if (part.type !== "literal") out[part.type] = Number(part.value);
  }
  return out;
}

/** New York's offset from UTC at the instant, in minutes (-300 in winter, -240 in summer). */
function offsetMinutes(ms: number): number {
  const f = fields(ms);
  const wall = Date.UTC(f.year ?? 1970, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

export function nyParts(ms: number): NyParts {
  const f = fields(ms);
  const date = `${f.year}-${String(f.month).padStart(2, "0")}-${String(f.day).padStart(2, "0")}`;
  return { date, weekday: weekdayOf(date), minutes: (f.hour ?? 0) * 60 + (f.minute ?? 0) };
}

/** The UTC instant of a New York wall-clock time ("HH:MM") on a date. */
export function nyInstant(date: string, hhmm: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = hhmm.split(":").map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  const first = wall - offsetMinutes(wall + 5 * 3_600_000) * 60_000;
  return wall - offsetMinutes(first) * 60_000;
}

export function weekdayOf(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
