// The interactions endpoint under load: signed PINGs against the bot and the minimal worker,
// interleaved round by round so that both see the same machine; Approve clicks on distinct
// recommendations (the claim path) and repeated clicks on approved ones ("already approved").
import { performance } from "node:perf_hooks";
import { approveButton, buttonClick, type ChannelMessage, ping } from "./interactions.ts";
import { emptySamples, load, merge, type Samples, type Summary, summarize } from "./load.ts";
import { signed } from "./sign.ts";

export const LEVELS = [1, 10, 50] as const;

export interface PingRow {
  concurrency: number;
  minimal: Summary;
  bot: Summary;
}

/**
 * `rounds` × `perRound` PINGs per target and level, after a warm-up. Short rounds that alternate
 * which target goes first, so a drift of the machine's load hits both alike.
 */
export async function comparePing(botUrl: string, minimalUrl: string, rounds = 6, perRound = 50): Promise<PingRow[]> {
  const rows: PingRow[] = [];
  for (const concurrency of LEVELS) {
    const warm = (n: number) => Promise.all(Array.from({ length: n }, () => signed(ping())));
    await load(minimalUrl, await warm(30), concurrency);
    await load(botUrl, await warm(30), concurrency);
    const minimal = emptySamples();
    const bot = emptySamples();
    for (let round = 0; round < rounds; round++) {
      const order: [string, Samples][] = [
        [minimalUrl, minimal],
        [botUrl, bot],
      ];
      if (round % 2 === 1) order.reverse();
      for (const [url, into] of order) merge(into, await load(url, await warm(perRound), concurrency));
    }
    rows.push({ concurrency, minimal: summarize(minimal), bot: summarize(bot) });
  }
  return rows;
}

export interface ApproveFigures {
  /** First clicks on distinct pending recommendations, one at a time: the claim and the card update. */
  distinct: Summary;
  distinctAnswers: Record<string, number>;
  /** Clicks on already approved recommendations, at each level. */
  repeated: (Summary & { concurrency: number })[];
  repeatedAnswer: string;
}

async function messages(base: string): Promise<ChannelMessage[]> {
  const response = await fetch(`${base}/sandbox/api/messages`);
  return (await response.json()) as ChannelMessage[];
}

/** Response type and, for ephemeral answers, the start of the text: what the click got. */
function answerOf(text: string): string {
  const type = /"type":\s*(\d+)/.exec(text)?.[1] ?? "?";
  if (type === "7") return "7 UpdateMessage (claimed)";
  return `${type} ${/"content":\s*"([^"]{0,40})/.exec(text)?.[1] ?? text.slice(0, 40)}`;
}

/**
 * Approves every recommendation on the channel that has an Approve button and was not clicked yet,
 * one click at a time; `scan` posts more between passes. Returns the clicked messages.
 */
export async function measureApprove(
  base: string,
  scans: (() => Promise<void>)[],
  perLevel = 300,
): Promise<{ figures: ApproveFigures; approved: number }> {
  const url = `${base}/discord/interactions`;
  const clicked = new Map<string, { message: ChannelMessage; customId: string }>();
  const distinct = emptySamples();
  const distinctAnswers: Record<string, number> = {};
  for (const scan of scans) {
    await scan();
    for (const message of await messages(base)) {
      const customId = approveButton(message);
      if (!customId || clicked.has(message.id)) continue;
      const request = await signed(buttonClick(message, customId));
      const start = performance.now();
      const response = await fetch(url, { method: "POST", headers: request.headers, body: request.body });
      const text = await response.text();
      const ms = performance.now() - start;
      merge(distinct, { latencies: [ms], seconds: ms / 1000, statuses: { [response.status]: 1 }, sample: text });
      const answer = answerOf(text);
      distinctAnswers[answer] = (distinctAnswers[answer] ?? 0) + 1;
      clicked.set(message.id, { message, customId });
    }
  }
  const targets = [...clicked.values()];
  const repeated: (Summary & { concurrency: number })[] = [];
  let repeatedAnswer = "";
  if (targets.length > 0) {
    for (const concurrency of LEVELS) {
      const requests = await Promise.all(
        Array.from({ length: perLevel }, (_, i) => {
          const target = targets[i % targets.length] ?? targets[0];
          return signed(buttonClick(target?.message ?? { id: "0" }, target?.customId ?? ""));
        }),
      );
      const samples = await load(url, requests, concurrency);
      repeatedAnswer ||= answerOf(samples.sample);
      repeated.push({ concurrency, ...summarize(samples) });
    }
  }
  return {
    figures: { distinct: summarize(distinct), distinctAnswers, repeated, repeatedAnswer },
    approved: clicked.size,
  };
}
