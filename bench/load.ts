// Sends pre-signed requests at a fixed concurrency and reports latency percentiles and throughput.
import { performance } from "node:perf_hooks";
import type { SignedBody } from "./sign.ts";

/** Raw figures of one or more batches: latencies in ms, time spent, status codes with counts. */
export interface Samples {
  latencies: number[];
  seconds: number;
  statuses: Record<number, number>;
  /** One response body, to show what was answered. */
  sample: string;
  /** The server's CPU over these requests (workerd, all threads), when it could be read. */
  cpuMs: number | null;
}

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
  statuses: Record<number, number>;
  sample: string;
  /** The server's CPU per request (workerd, all threads), when it could be read. */
  cpuPerRequestMs: number | null;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function emptySamples(): Samples {
  return { latencies: [], seconds: 0, statuses: {}, sample: "", cpuMs: 0 };
}

export function merge(into: Samples, more: Samples): Samples {
  into.latencies.push(...more.latencies);
  into.seconds += more.seconds;
  for (const [status, n] of Object.entries(more.statuses)) {
    into.statuses[Number(status)] = (into.statuses[Number(status)] ?? 0) + n;
  }
  into.sample ||= more.sample;
  into.cpuMs = into.cpuMs === null || more.cpuMs === null ? null : into.cpuMs + more.cpuMs;
  return into;
}

export function summarize(samples: Samples): Summary {
  const sorted = [...samples.latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    perSecond: samples.seconds > 0 ? sorted.length / samples.seconds : Number.NaN,
    statuses: samples.statuses,
    sample: samples.sample,
    cpuPerRequestMs: samples.cpuMs === null || sorted.length === 0 ? null : samples.cpuMs / sorted.length,
  };
}

/** Where the requests go, and how to read its CPU time so far (ms), if it can be read. */
export interface Target {
  url: string;
  cpuMs?: () => number | null;
  /**
   * Resolves once the work the target does after its answers (waitUntil) has ended: load reads
   * the CPU after it, so that work is counted in this batch and does not spill into the next one.
   */
  settled?: () => Promise<void>;
}

/** POSTs each request to `target`, `concurrency` at a time; latency is from send to the full body. */
export async function load(target: Target, requests: SignedBody[], concurrency: number): Promise<Samples> {
  const { url } = target;
  const samples = emptySamples();
  const cpuBefore = target.cpuMs?.() ?? null;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const request = requests[i];
      if (!request) break;
      const start = performance.now();
      const response = await fetch(url, { method: "POST", headers: request.headers, body: request.body });
      const text = await response.text();
      samples.latencies.push(performance.now() - start);
      samples.statuses[response.status] = (samples.statuses[response.status] ?? 0) + 1;
      samples.sample ||= text.slice(0, 160);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  samples.seconds = (performance.now() - start) / 1000;
  await target.settled?.();
  const cpuAfter = target.cpuMs?.() ?? null;
  samples.cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  return samples;
}
