// Alpaca's market calendar, read by New York trading day.
//
// Alpaca documents the calendar's `start` and `end` as dates, YYYY-MM-DD (Broker API "Calendar",
// https://alpaca.markets/docs/api-references/broker-api/calendar/; the old v2 page calls them
// "timestamp"). The v4 SDK types them as `Date` and sends `date.toISOString()` (legacyCalendarRaw
// in its CalendarApi): `2026-11-23T00:00:00.000Z`, an instant whose New York date is the 22nd.
// How Alpaca turns such an instant into a trading day is undocumented; read in New York it is
// the day before, and every scan and end of day would be skipped as "no trading session".
//
// So the request carries the bare day, and the answer is matched by its `date` field.
import type { Alpaca } from "@alpacahq/alpaca-trade-api";
import type { SessionDay } from "./port";

/**
 * A calendar bound the SDK sends as `YYYY-MM-DD`. toISOString() is the one method the SDK calls
 * on it (in legacyCalendarRaw, and in its querystring for any Date), so it returns the day
 * itself. The instant underneath is noon UTC, the same calendar day in New York and in UTC, so
 * an SDK that rendered the Date some other way would still ask for the right day.
 */
export function calendarBound(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`calendar bound must be YYYY-MM-DD, got "${day}"`);
  return Object.assign(new Date(`${day}T12:00:00Z`), { toISOString: () => day });
}

/** Sessions from `from` to `to` (New York dates, inclusive), holidays absent, early closes as given. */
export async function readCalendar(c: Alpaca, from: string, to: string): Promise<SessionDay[]> {
  const days = await c.trading.calendar.legacyCalendar({ start: calendarBound(from), end: calendarBound(to) });
  return (
    days
      // The SDK parses `date` ("2026-11-23") as UTC midnight: its ISO date is the day Alpaca wrote.
      .map((d) => ({ date: d.date.toISOString().slice(0, 10), open: d.open, close: d.close }))
      // Whatever range the server read, only the days asked for are answered.
      .filter((d) => d.date >= from && d.date <= to)
  );
}
