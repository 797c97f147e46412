// Everything the bot keeps in KV, and every key name it uses there, in one place.
//
// KV is eventually consistent (another location may see a write a minute or more later), has no
// atomic operations and takes one write a second per key. So nothing here decides money: KV holds
// marks that save work or noise (a notice posted once a day, a failure posted once in 15 minutes)
// and the breaker's mirror (D1 holds the authority: store/breakers.ts). Where correctness needs a
// claim, the claim is a conditional UPDATE in D1 (store/recommendations.ts, store/job-runs.ts),
// never a KV key.
import { errorFields, log } from "../log";
import * as z from "../zod-mini";

export const KV_KEYS = {
  /** The breaker's mirror (store/breakers.ts); D1 holds the authoritative state. */
  breakerMirror: "circuit_breaker",
  /** The soft per-minute cap on Claude calls (takeClaudeSlot). */
  claudeRateLimit: "rate_limit:claude",
  /** The last time Discord refused a post or an edit, for /status. */
  discordLastFailure: "discord:last-failure",
  /** A notice posted at most once a trading day (postOncePerDay). */
  dailyNotice: (name: string, tradingDay: string) => `notice:${name}:${tradingDay}`,
  /** A job's failure, posted at most once an interval (jobs/run-job.ts). */
  jobError: (job: string) => `job_error:${job}`,
  /** A reconciliation problem, posted once a trading day (jobs/reconcile.ts). */
  reconciliation: (tradingDay: string, problem: string) => `recon:${tradingDay}:${problem}`,
} as const;

const DAY_S = 86_400;
// KV's minimum expirationTtl is 60 s; 120 s outlives the minute the count belongs to.
const RATE_WINDOW_TTL_S = 120;
interface RateWindow {
  minute: number;
  count: number;
}
const Failure = z.object({ at: z.number(), message: z.string() });
export type DiscordFailure = z.output<typeof Failure>;

export type KvState = ReturnType<typeof kvState>;

export function kvState(kv: KVNamespace) {
  return {
    /**
     * The soft per-minute cap on Claude calls. KV has no atomic increment: two isolates or
     * locations can read the same count and both go ahead, so a burst may let a few extra calls
     * through. Acceptable: this guards against a runaway loop, the daily budget (D1) is the money cap.
     */
    async takeClaudeSlot(perMinute: number, nowMs: number): Promise<boolean> {
      const minute = Math.floor(nowMs / 60_000);
      const stored = await kv.get<RateWindow>(KV_KEYS.claudeRateLimit, "json");
      const count = stored && stored.minute === minute ? stored.count : 0;
      if (count >= perMinute) return false;
      try {
        await kv.put(KV_KEYS.claudeRateLimit, JSON.stringify({ minute, count: count + 1 } satisfies RateWindow), {
          expirationTtl: RATE_WINDOW_TTL_S,
        });
      } catch (error) {
        // KV allows one write a second per key; a lost increment only makes the soft cap softer.
        log.warn("analyst rate-limit counter not written", errorFields(error));
      }
      return true;
    },

    /**
     * True the first time `key` is asked for within `ttlSeconds`, false while its mark lasts.
     * Best-effort dedupe, not a lock: two runs seconds apart (or in two locations) may both get
     * true, so a duplicate is the cost, never a missed action. A claim that must be won once
     * is a D1 conditional UPDATE instead.
     */
    async once(key: string, ttlSeconds: number): Promise<boolean> {
      if ((await kv.get(key)) !== null) return false;
      await kv.put(key, "1", { expirationTtl: ttlSeconds });
      return true;
    },

    /**
     * Posts a notice unless it was posted this trading day (`dailyNotice`, kept two days). It is
     * marked after the post, so a post that fails is tried again by the next run. An unreadable
     * mark posts (better twice than never).
     */
    async postOncePerDay(name: string, tradingDay: string, post: () => Promise<unknown>): Promise<boolean> {
      const key = KV_KEYS.dailyNotice(name, tradingDay);
      const seen = await kv.get(key).catch((error: unknown) => {
        log.warn("daily notice mark unreadable; posting", { key, ...errorFields(error) });
        return null;
      });
      if (seen !== null) return false;
      await post();
      await kv.put(key, "1", { expirationTtl: 2 * DAY_S }).catch((error: unknown) => {
        log.warn("daily notice mark not written; it may be posted again", { key, ...errorFields(error) });
      });
      return true;
    },

    /** Discord refused a post or an edit: the channel cannot say it is missing messages, /status does. */
    async recordDiscordFailure(failure: DiscordFailure): Promise<void> {
      await kv.put(KV_KEYS.discordLastFailure, JSON.stringify(failure), { expirationTtl: 2 * DAY_S });
    },

    /** The last failure, or null when there was none (or the record is junk). */
    async lastDiscordFailure(): Promise<DiscordFailure | null> {
      const parsed = Failure.safeParse(await kv.get(KV_KEYS.discordLastFailure, "json"));
      return parsed.success ? parsed.data : null;
    },
  };
}
