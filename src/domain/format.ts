// How the core writes money and shares in the reasons a trader reads.

/** A P/L with its sign: "+$1,019.00" / "-$2,447.12" / "$0.00". */
export function signedUsd(n: number): string {
  return n > 0 ? `+${usd(n)}` : usd(n);
}

/** "$1,234.50" / "-$20.00". */
export function usd(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = `$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return n < 0 ? `-${text}` : text;
}
