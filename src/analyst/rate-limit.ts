// A soft per-minute cap on Claude calls, kept in KV under one key. KV is eventually consistent
// and has no atomic increment: two isolates or locations can read the same count and both go
// ahead, so a burst may let a few extra calls through. That is acceptable here: this guards
// against a runaway loop, it is not the money cap (the daily budget, kept in D1, is).
import { errorFields, log } from "../log";
import { KV_KEYS } from "../store/kv-state";

// KV's minimum expirationTtl is 60 s; 120 s outlives the minute the count belongs to.
const TTL_SECONDS = 120;

interface Window {
  minute: number;
  count: number;
}

/** Counts one call in the current minute; false when the minute already had `perMinute` calls. */
export async function takeSlot(kv: KVNamespace, perMinute: number, nowMs: number): Promise<boolean> {
  const minute = Math.floor(nowMs / 60_000);
  const stored = await kv.get<Window>(KV_KEYS.claudeRateLimit, "json");
  const count = stored && stored.minute === minute ? stored.count : 0;
  if (count >= perMinute) return false;
  try {
    await kv.put(KV_KEYS.claudeRateLimit, JSON.stringify({ minute, count: count + 1 } satisfies Window), {
      expirationTtl: TTL_SECONDS,
    });
  } catch (error) {
    // KV allows one write a second per key; a lost increment only makes the soft cap softer.
    log.warn("analyst rate-limit counter not written", errorFields(error));
  }
  return true;
}
