// What the Claude adapter needs for its soft per-minute cap on calls: a counter it can take a
// slot from (kept in KV by src/store/kv-state.ts). It guards against a runaway loop; it is not
// the money cap (the daily budget, kept in D1 through the UsageLedger, is).

export interface CallRateLimit {
  /** Counts one call in the current minute; false when the minute already had `perMinute` calls. */
  takeClaudeSlot(perMinute: number, nowMs: number): Promise<boolean>;
}
