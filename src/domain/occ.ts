// OCC option symbols: root (1-6 chars), YYMMDD expiry, C/P, strike × 1000 in 8 digits.
// SPY270115P00580000 = SPY put, 2027-01-15, strike 580.
import type { OptionType } from "./types";

export interface OccParts {
  underlying: string;
  expiration: string; // YYYY-MM-DD
  type: OptionType;
  strike: number;
}

export type OccParse = { ok: true; value: OccParts } | { ok: false; error: string };

const OCC = /^([A-Z][A-Z0-9.]{0,5})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when y-m-d names a real day (no February 30th). By table: a scan parses a thousand symbols. */
function isCalendarDate(y: number, m: number, d: number): boolean {
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1];
  return days !== undefined && Number.isInteger(d) && d >= 1 && d <= days;
}

export function buildOccSymbol(parts: OccParts): string {
  const m = /^20(\d{2})-(\d{2})-(\d{2})$/.exec(parts.expiration);
  if (!m || !isCalendarDate(2000 + Number(m[1]), Number(m[2]), Number(m[3])))
    throw new RangeError(`expiration must be YYYY-MM-DD in 2000-2099, got "${parts.expiration}"`);
  if (!/^[A-Z][A-Z0-9.]{0,5}$/.test(parts.underlying))
    throw new RangeError(`underlying must be 1-6 upper-case characters, got "${parts.underlying}"`);
  const milli = Math.round(parts.strike * 1000);
  if (!(milli > 0 && milli < 100_000_000)) throw new RangeError(`strike out of range: ${parts.strike}`);
  return `${parts.underlying}${m[1]}${m[2]}${m[3]}${parts.type === "call" ? "C" : "P"}${String(milli).padStart(8, "0")}`;
}

export function parseOccSymbol(symbol: string): OccParse {
  const m = OCC.exec(symbol);
  if (!m) return { ok: false, error: `"${symbol}" is not an OCC option symbol (like SPY270115P00580000)` };
  const [, root, yy, mm, dd, cp, strike] = m as unknown as [string, string, string, string, string, string, string];
  if (!isCalendarDate(2000 + Number(yy), Number(mm), Number(dd)))
    return { ok: false, error: `"${symbol}" has an impossible expiry date 20${yy}-${mm}-${dd}` };
  return {
    ok: true,
    value: {
      underlying: root,
      expiration: `20${yy}-${mm}-${dd}`,
      type: cp === "C" ? "call" : "put",
      strike: Number(strike) / 1000,
    },
  };
}

/** An OCC symbol ends in 15 characters after its root: YYMMDD, C or P, the strike in 8 digits. */
const AFTER_ROOT = 15;

/** The root of an OCC symbol: what comes before its last 15 characters. */
export const occRoot = (symbol: string): string => symbol.slice(0, -AFTER_ROOT);

/**
 * True when an option symbol carries the underlying's standard root: the ticker itself, or
 * without its class dot as OCC writes it (BRK.B: BRKB). An adjusted contract (SPY1…: a split,
 * merger or special dividend changed what it delivers) has another root and is not priced like
 * the standard ones: a spread must never take one for a standard leg.
 */
export function hasStandardRoot(symbol: string, underlying: string): boolean {
  const root = occRoot(symbol);
  return root === underlying || root === underlying.replaceAll(".", "");
}
