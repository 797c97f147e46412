// How old a quote is, and whether it is fresh enough to trade on. Prices are only as good as
// their time: the free `indicative` options feed is a delayed derivative of OPRA, and a quote
// that stopped updating still shows a bid and an ask. A quote without a time is of unknown age,
// which is never fresh (fail closed). A quote stamped a moment ahead of our clock (clock skew
// between Alpaca and Cloudflare) is 0 s old, not negative.

export type QuoteFreshness = { kind: "fresh"; ageMs: number } | { kind: "stale"; ageMs: number } | { kind: "unknown" };

export function quoteFreshness(quotedAt: number | null, now: number, maxAgeSeconds: number): QuoteFreshness {
  if (quotedAt === null || !Number.isFinite(quotedAt)) return { kind: "unknown" };
  const ageMs = Math.max(0, now - quotedAt);
  return ageMs <= maxAgeSeconds * 1000 ? { kind: "fresh", ageMs } : { kind: "stale", ageMs };
}

/** "45 s", "2 min", "1 h 5 min": an age as a trader reads it. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * Why quotes of this freshness are not traded on, in a trader's words; null when they are fresh.
 * `what` names the quotes ("the option quotes", "SPY's option quotes").
 */
export function staleQuoteReason(f: QuoteFreshness, maxAgeSeconds: number, what: string): string | null {
  if (f.kind === "fresh") return null;
  const limit = formatAge(maxAgeSeconds * 1000);
  if (f.kind === "unknown")
    return `${what} carry no time, so how old they are is unknown (limit ${limit}, MAX_QUOTE_AGE_SECONDS): the bot does not price an order on quotes it cannot date`;
  return `${what} are ${formatAge(f.ageMs)} old (limit ${limit}, MAX_QUOTE_AGE_SECONDS): the market may have left those prices`;
}

/** The newest time among quotes (null when none has a time): how fresh a chain is at best. */
export function newestQuoteAt(quotes: readonly { quotedAt: number | null }[]): number | null {
  let newest: number | null = null;
  for (const q of quotes)
    if (q.quotedAt !== null && Number.isFinite(q.quotedAt) && (newest === null || q.quotedAt > newest))
      newest = q.quotedAt;
  return newest;
}
