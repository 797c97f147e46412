// The monitor's snapshot of the day in KV (`daily:<trading day>`): the risk numbers and the
// account equity it last read, every few minutes in market hours. An approval claim, answered
// inline before Discord's 3 s are up, reads the equity here instead of asking the broker.
// KV is eventually consistent: a minutes-old equity is good enough for the claim, because the
// recheck before the order reads the account itself.
import * as z from "../zod-mini";

export const dailySnapshotKey = (tradingDay: string) => `daily:${tradingDay}`;

const Snapshot = z.object({ equity: z.number() });

/** The equity the monitor recorded on this trading day, or null when it recorded none (or junk). */
export async function recordedEquity(kv: KVNamespace, tradingDay: string): Promise<number | null> {
  const raw = await kv.get(dailySnapshotKey(tradingDay), "json");
  const parsed = Snapshot.safeParse(raw);
  if (!parsed.success) return null;
  const { equity } = parsed.data;
  return Number.isFinite(equity) && equity > 0 ? equity : null;
}

/** Records the monitor's numbers and the equity it read (kept a week). */
export async function recordSnapshot(
  kv: KVNamespace,
  tradingDay: string,
  snapshot: Record<string, unknown> & { equity: number; at: number },
): Promise<void> {
  await kv.put(dailySnapshotKey(tradingDay), JSON.stringify(snapshot), { expirationTtl: 7 * 86_400 });
}
