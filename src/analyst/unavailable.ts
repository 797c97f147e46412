// Why Claude could not write a thesis, in words a trader can read in the embed
// ("Rule-based analyst (Claude unavailable: timeout)"). Thrown by the Claude adapter and turned
// into a rule-based thesis by the fallback; never shown with a key or a request body.
export type UnavailableCode =
  | "budget"
  | "rate_limited"
  | "spend_limit"
  | "billing"
  | "timeout"
  | "deadline"
  | "overloaded"
  | "api_error"
  | "auth"
  | "unknown_model"
  | "connection"
  | "invalid_answer"
  | "refused"
  | "usage_ledger";

export class AnalystUnavailable extends Error {
  constructor(
    readonly code: UnavailableCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Claude unavailable: ${reason}`, options);
    this.name = "AnalystUnavailable";
  }
}

/** The caller's deadline passed (an interactive /scan has to finish inside waitUntil's 30 s). */
export function outOfTime(cause?: unknown): AnalystUnavailable {
  return new AnalystUnavailable("deadline", "out of time for this scan", cause === undefined ? {} : { cause });
}

/**
 * Settles with `work`, or rejects with outOfTime() as soon as `signal` aborts, whichever comes
 * first: a caller with a deadline never waits on a call (or a cold SDK load) that ignores it.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  // The losing promise may still reject later; that is expected and already reported.
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(outOfTime(signal.reason));
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(outOfTime(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  });
}
