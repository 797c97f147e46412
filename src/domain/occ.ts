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

/** The pattern an OCC symbol follows: root, YY, MM, DD, C or P, the strike in thousandths. */
export const OCC_PATTERN = /^([A-Z][A-Z0-9.]{0,5})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

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

/** The digits of `symbol` from `from` to `to` as a number, or -1 if any is not a digit. */
function digitsAt(symbol: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = symbol.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The parts of an OCC symbol, or why it is not one. Read by position rather than by the OCC
 * pattern (kept above, with the same meaning): a scan parses every contract of every chain, and
 * the pattern's match array and capture strings were most of that work.
 */
export function parseOccSymbol(symbol: string): OccParse {
  const rootLength = symbol.length - AFTER_ROOT;
  const side = symbol.charCodeAt(rootLength + 6);
  const date = rootLength >= 1 ? digitsAt(symbol, rootLength, rootLength + 6) : -1;
  const strike = digitsAt(symbol, rootLength + 7, symbol.length);
  if (
    rootLength < 1 ||
    rootLength > 6 ||
    date < 0 ||
    strike < 0 ||
    (side !== C && side !== P) ||
    !isRoot(symbol, rootLength)
  )
    return { ok: false, error: `"${symbol}" is not an OCC option symbol (like SPY270115P00580000)` };
  const yy = symbol.slice(rootLength, rootLength + 2);
  const mm = symbol.slice(rootLength + 2, rootLength + 4);
  const dd = symbol.slice(rootLength + 4, rootLength + 6);
  if (!isCalendarDate(2000 + Math.floor(date / 10_000), Math.floor(date / 100) % 100, date % 100))
    return { ok: false, error: `"${symbol}" has an impossible expiry date 20${yy}-${mm}-${dd}` };
  return {
    ok: true,
    value: {
      underlying: symbol.slice(0, rootLength),
      expiration: `20${yy}-${mm}-${dd}`,
      type: side === C ? "call" : "put",
      strike: strike / 1000,
    },
  };
}

const C = 67;
const P = 80;

/** The OCC pattern's root: an upper-case letter, then upper-case letters, digits or dots. */
function isRoot(symbol: string, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const c = symbol.charCodeAt(i);
    const letter = c >= 65 && c <= 90;
    if (!(letter || (i > 0 && ((c >= 48 && c <= 57) || c === 46)))) return false;
  }
  return true;
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
