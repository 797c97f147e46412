// Why Claude could not write a thesis, in words a trader can read in the embed
// ("Rule-based analyst (Claude unavailable: timeout)"). Thrown by the Claude adapter and turned
// into a rule-based thesis by the fallback; never shown with a key or a request body.
export type UnavailableCode =
  | "budget"
  | "rate_limited"
  | "timeout"
  | "overloaded"
  | "api_error"
  | "auth"
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
