// The interactions endpoint under load: signed PINGs against the bot and the minimal worker,
// interleaved round by round so that both see the same machine; Approve clicks on distinct
// recommendations (the claim path, in the sandbox, where the orders are placed) and repeated
// clicks on approved ones ("already approved", against the production entry).
import { performance } from "node:perf_hooks";
import { approveButton, buttonClick, type ChannelMessage, ping } from "./interactions.ts";
import { emptySamples, load, merge, type Samples, type Summary, summarize, type Target } from "./load.ts";
import { type BenchKey, type SignedBody, signed } from "./sign.ts";

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
export async function comparePing(
  bot: Target,
  minimal: Target,
  key: BenchKey,
  rounds = 6,
  perRound = 50,
): Promise<PingRow[]> {
  const rows: PingRow[] = [];
  const pings = pingsSignedWith(key);
  for (const concurrency of LEVELS) {
    await load(minimal, await pings(30), concurrency);
    await load(bot, await pings(30), concurrency);
    const [minimalSamples = emptySamples(), botSamples = emptySamples()] = await interleaved(
      [
        { target: minimal, requests: pings },
        { target: bot, requests: pings },
      ],
      concurrency,
      rounds,
      perRound,
    );
    rows.push({ concurrency, minimal: summarize(minimalSamples), bot: summarize(botSamples) });
  }
  return rows;
}

const pingsSignedWith = (key: BenchKey) => (n: number) =>
  Promise.all(Array.from({ length: n }, () => signed(ping(), key)));

/**
 * The floor's clicks answered at once, their D1 round trip after the answer (minimal-worker.ts):
 * settled once the worker has none left running, so each batch is charged its own round trips.
 */
function deferredFloor(floor: Target): Target {
  return {
    ...floor,
    url: `${floor.url}/deferred`,
    settled: async () => {
      while (Number(await (await fetch(`${floor.url}/pending`)).text()) > 0)
        await new Promise((resolve) => setTimeout(resolve, 2));
    },
  };
}

/** A target and the requests a round sends it. */
interface Lane {
  target: Target;
  requests: (n: number) => Promise<SignedBody[]>;
}

/**
 * `rounds` short batches of `perRound` requests to each lane, the lane that goes first turning
 * round by round, so that a drift of the machine's load hits every lane alike. Samples per lane.
 */
async function interleaved(lanes: Lane[], concurrency: number, rounds: number, perRound: number): Promise<Samples[]> {
  const samples = lanes.map(() => emptySamples());
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < lanes.length; k++) {
      const i = (round + k) % lanes.length;
      const lane = lanes[i];
      const into = samples[i];
      if (lane && into) merge(into, await load(lane.target, await lane.requests(perRound), concurrency));
    }
  }
  return samples;
}

export interface ApproveFigures {
  /** First clicks on distinct pending recommendations, one at a time: the claim and the card update. */
  distinct: Summary;
  distinctAnswers: Record<string, number>;
  /** Clicks on already approved recommendations, at each level (the production entry). */
  repeated: (Summary & { concurrency: number })[];
  repeatedAnswer: string;
  /** The same clicks against the floor: verify and one D1 round trip (absent before 2026-12-01's second run). */
  floor?: (Summary & { concurrency: number })[];
  /**
   * The minimal worker's PINGs (the verify+PONG baseline) in the same rounds as the clicks, so the
   * ACK's ratio to it is not moved by a drift between two phases (absent in runs before the fourteenth pass).
   */
  baseline?: (Summary & { concurrency: number })[];
  /** The floor's clicks answered before their D1 round trip, which runs after the answer (waitUntil). */
  deferred?: (Summary & { concurrency: number })[];
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

/** A recommendation's message and the Approve button clicked on it. */
export interface ApproveTarget {
  message: ChannelMessage;
  customId: string;
}

export interface DistinctClicks extends Pick<ApproveFigures, "distinct" | "distinctAnswers"> {
  targets: ApproveTarget[];
}

/**
 * Approves every recommendation on the sandbox's channel that has an Approve button and was not
 * clicked yet, one click at a time; `scan` posts more between passes. Returns the clicked targets.
 */
export async function approveDistinct(base: string, scans: (() => Promise<void>)[]): Promise<DistinctClicks> {
  const url = `${base}/discord/interactions`;
  const clicked = new Map<string, ApproveTarget>();
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
      merge(distinct, {
        latencies: [ms],
        seconds: ms / 1000,
        statuses: { [response.status]: 1 },
        sample: text,
        cpuMs: null, // the sandbox's: its simulators place the orders meanwhile
      });
      const answer = answerOf(text);
      distinctAnswers[answer] = (distinctAnswers[answer] ?? 0) + 1;
      clicked.set(message.id, { message, customId });
    }
  }
  return { distinct: summarize(distinct), distinctAnswers, targets: [...clicked.values()] };
}

/**
 * Repeated clicks on the targets (after the first, each answers "already approved") against the
 * bot, the same clicks against the floor (verify and one D1 round trip: minimal-worker.ts) and the
 * deferred floor (the same round trip after a deferred answer), and the floor's PINGs (the
 * verify+PONG baseline), in short rounds that turn which goes first, as comparePing does;
 * `rounds` × `perRound` each.
 */
export async function measureRepeated(
  bot: Target,
  floor: Target,
  targets: ApproveTarget[],
  key: BenchKey,
  rounds = 6,
  perRound = 50,
): Promise<Pick<ApproveFigures, "repeated" | "repeatedAnswer" | "floor" | "baseline" | "deferred">> {
  const repeated: (Summary & { concurrency: number })[] = [];
  const floorRows: (Summary & { concurrency: number })[] = [];
  const baseline: (Summary & { concurrency: number })[] = [];
  const deferred: (Summary & { concurrency: number })[] = [];
  let repeatedAnswer = "";
  if (targets.length === 0) return { repeated, repeatedAnswer, floor: floorRows, baseline, deferred };
  let next = 0;
  const clicks = (n: number) =>
    Promise.all(
      Array.from({ length: n }, () => {
        const target = targets[next++ % targets.length] ?? targets[0];
        return signed(buttonClick(target?.message ?? { id: "0" }, target?.customId ?? ""), key);
      }),
    );
  const pings = pingsSignedWith(key);
  for (const concurrency of LEVELS) {
    await load(floor, await clicks(30), concurrency); // the floor's table is made on its first click
    const [
      botSamples = emptySamples(),
      floorSamples = emptySamples(),
      pingSamples = emptySamples(),
      deferredSamples = emptySamples(),
    ] = await interleaved(
      [
        { target: bot, requests: clicks },
        { target: floor, requests: clicks },
        { target: floor, requests: pings },
        { target: deferredFloor(floor), requests: clicks },
      ],
      concurrency,
      rounds,
      perRound,
    );
    repeatedAnswer ||= answerOf(botSamples.sample);
    if (
      deferredSamples.statuses[200] !== deferredSamples.latencies.length ||
      !deferredSamples.sample.includes('"type":6')
    )
      throw new Error(
        `the deferred floor did not answer a deferred update: ${JSON.stringify(deferredSamples.statuses)} ${deferredSamples.sample}`,
      );
    repeated.push({ concurrency, ...summarize(botSamples) });
    floorRows.push({ concurrency, ...summarize(floorSamples) });
    baseline.push({ concurrency, ...summarize(pingSamples) });
    deferred.push({ concurrency, ...summarize(deferredSamples) });
  }
  return { repeated, repeatedAnswer, floor: floorRows, baseline, deferred };
}
