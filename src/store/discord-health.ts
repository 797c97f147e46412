// The last time Discord refused a post or an edit, in KV (`discord:last-failure`, kept two
// days): the channel cannot say that it is missing messages, so /status says it instead.
import * as z from "../zod-mini";

const KEY = "discord:last-failure";
const Failure = z.object({ at: z.number(), message: z.string() });
export type DiscordFailure = z.output<typeof Failure>;

export async function recordDiscordFailure(kv: KVNamespace, failure: DiscordFailure): Promise<void> {
  await kv.put(KEY, JSON.stringify(failure), { expirationTtl: 2 * 86_400 });
}

/** The last failure, or null when there was none (or the record is junk). */
export async function lastDiscordFailure(kv: KVNamespace): Promise<DiscordFailure | null> {
  const parsed = Failure.safeParse(await kv.get(KEY, "json"));
  return parsed.success ? parsed.data : null;
}
