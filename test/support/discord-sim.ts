// Test helpers for the local Discord channel (the DiscordSimulator Durable Object behind
// env.SIM_DISCORD): read what the bot posted, queue faults, start from an empty channel.
import { env } from "cloudflare:workers";
import { channelSimulator } from "../../src/sandbox/discord/channel";
import type { FaultSpec, SimMessage } from "../../src/sandbox/discord/simulator-object";

export type { FaultSpec, SimMessage };

const sim = () => channelSimulator(env);

/** The channel oldest first, each message as the bot left it after its edits. */
export async function messages(): Promise<SimMessage[]> {
  return (await sim().listMessages()) as SimMessage[];
}

export async function message(id: string): Promise<SimMessage | null> {
  return (await sim().getMessage(id)) as SimMessage | null;
}

/** Serves the bot's next REST calls these faults, in order (e.g. two 429s, then a 502). */
export async function setFaults(faults: FaultSpec[]): Promise<void> {
  await sim().setFaults(faults);
}

/** The REST calls the bot made, oldest first: method, route (tokens hidden) and status. */
export async function requests(): Promise<{ at: number; method: string; route: string; status: number }[]> {
  return sim().requests();
}

/** Registered slash commands by scope: "global" or "guild:<id>". */
export async function commands(): Promise<Record<string, unknown[]>> {
  return (await sim().commands()) as Record<string, unknown[]>;
}

/** Empties the channel, tokens, commands, faults and the request log. */
export async function reset(): Promise<void> {
  await sim().reset();
}

export const discordSim = { messages, message, setFaults, requests, commands, reset };
