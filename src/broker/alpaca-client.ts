// Builds the one Alpaca SDK client the adapter uses. The SDK is imported on first use, so a
// Worker that never touches the broker (a Discord PING, /help) never evaluates it.
import type { Alpaca } from "@alpacahq/alpaca-trade-api";

export interface ClientSettings {
  keyId: string;
  secretKey: string;
  paper: boolean;
  fetch: typeof fetch;
  timeoutMs: number;
  /** Whether a back-off before a retry takes time (default true; false in the tests' sandbox). */
  retryWaits?: boolean;
}

export async function loadAlpacaClient(settings: ClientSettings): Promise<Alpaca> {
  const sdk = await import("@alpacahq/alpaca-trade-api");
  return new sdk.Alpaca({
    keyId: settings.keyId,
    secret: settings.secretKey,
    // Paper unless live was asked for on purpose.
    paper: settings.paper,
    // The deadline rides on the request's own signal, not the SDK's timeoutMs: the SDK bounds a
    // body by reading it chunk by chunk in JavaScript, while workerd's fetch aborts the body read
    // with its signal, so the runtime reads the body natively and the bound still holds. On a
    // scan's chains that was a sixth of the bot's CPU (BENCHMARKS.md, tenth pass).
    fetchApi: (url, init) => settings.fetch(url, { ...init, signal: withDeadline(init?.signal, settings.timeoutMs) }),
    timeoutMs: 0,
    // The SDK retries only GET, HEAD, OPTIONS and TRACE (RETRYABLE_METHODS in its core/runtime.ts,
    // checked in BaseAPI.request): an order POST is sent once, even on a 429, 5xx or dropped
    // connection, and the adapter looks it up instead. Retries honour Retry-After; keep the
    // waits short so a job stays inside the Worker's time budget. The SDK sleeps on its own timer
    // (it takes no sleep function), so the tests' sandbox caps its waits at nothing instead.
    retry: { maxRetries: 2, retryDelayMs: 250, maxDelayMs: settings.retryWaits === false ? 0 : 2_000 },
    // workerd rejects redirect: "error" (the SDK default); "manual" still never follows a
    // redirect (a 3xx surfaces as an error), so the key headers cannot leak to another host.
    redirect: "manual",
  });
}

/** The caller's signal (if any) bounded by a deadline, per attempt: the SDK calls fetchApi once per try. */
function withDeadline(signal: AbortSignal | null | undefined, timeoutMs: number): AbortSignal {
  const deadline = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}
