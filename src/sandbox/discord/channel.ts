// The one local channel: the simulator instance the bot's Discord calls land in
// (src/sandbox/outside.ts names it "channel" too).
import type { DiscordSimulator } from "./simulator-object";

export const CHANNEL_INSTANCE = "channel";

export function channelSimulator(env: Env): DurableObjectStub<DiscordSimulator> {
  if (!env.SIM_DISCORD) throw new Error("sandbox binding SIM_DISCORD is missing");
  const namespace = env.SIM_DISCORD as DurableObjectNamespace<DiscordSimulator>;
  return namespace.get(namespace.idFromName(CHANNEL_INSTANCE));
}
