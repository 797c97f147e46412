// Notices the bot posts at most once a trading day, however often the job that finds the problem
// runs (the 10:00 scan, every /scan): KV `notice:<name>:<trading day>`, kept two days, as the
// monitor's reconciliation alerts are. KV is eventually consistent, so two runs seconds apart
// in different places may both post; a duplicate notice is the cost, never a missed one.
import { errorFields, log } from "../log";

export const dailyNoticeKey = (name: string, tradingDay: string) => `notice:${name}:${tradingDay}`;

const KEEP_S = 2 * 86_400;

/**
 * Posts the notice unless it was posted this trading day. It is marked after the post, so a post
 * that fails is tried again by the next run. An unreadable mark posts (better twice than never).
 */
export async function postOncePerDay(
  kv: KVNamespace,
  name: string,
  tradingDay: string,
  post: () => Promise<unknown>,
): Promise<boolean> {
  const key = dailyNoticeKey(name, tradingDay);
  const seen = await kv.get(key).catch((error: unknown) => {
    log.warn("daily notice mark unreadable; posting", { key, ...errorFields(error) });
    return null;
  });
  if (seen !== null) return false;
  await post();
  await kv.put(key, "1", { expirationTtl: KEEP_S }).catch((error: unknown) => {
    log.warn("daily notice mark not written; it may be posted again", { key, ...errorFields(error) });
  });
  return true;
}
