// How the core writes money and shares in the reasons a trader reads.

/** A P/L with its sign: "+$1,019.00" / "-$2,447.12" / "$0.00". */
export function signedUsd(n: number): string {
  return n > 0 ? `+${usd(n)}` : usd(n);
}

/** Dollars and cents with thousands separators, built once (toLocaleString builds one a call). */
let cents: Intl.NumberFormat | undefined;

/** "$1,234.50" / "-$20.00". */
export function usd(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  cents ??= new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const text = `$${cents.format(Math.abs(n))}`;
  return n < 0 ? `-${text}` : text;
}
