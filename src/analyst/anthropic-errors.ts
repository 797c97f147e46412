// Why a Claude call failed, in words a trader can read, and whether one more try is worth it.
// From Anthropic's errors page (https://platform.claude.com/docs/en/api/errors) and rate-limits
// page (https://platform.claude.com/docs/en/api/rate-limits), read 2026-11-30:
// - A 429 `rate_limit_error` is either a rate limit (with a `retry-after` in seconds) or the
//   tier's monthly spend cap: then `error.details.error_code` is `enforced_spend_limit_reached`
//   (or `contract_spend_limit_reached`), there is no `retry-after`, and every retry fails until
//   the 1st of next month. The SDK retries any 429, so retries are ours, not the SDK's.
// - A spend limit the organisation set itself answers 400 `invalid_request_error` whose message
//   begins "You have reached your specified…" (no error code exists for it).
// - 402 `billing_error`: payment details. 529 `overloaded_error` and 5xx: worth one more try.
import { AnalystUnavailable, outOfTime, type UnavailableCode } from "./unavailable";

type Sdk = typeof import("./anthropic-sdk");

/** Never wait longer than this for a retry: a longer `retry-after` means give up now. */
export const MAX_RETRY_WAIT_MS = 2_000;
/** The wait before retrying an overload or a dropped connection that named no time. */
export const DEFAULT_RETRY_WAIT_MS = 500;

const SPEND_CAP_CODES = new Set(["enforced_spend_limit_reached", "contract_spend_limit_reached"]);
const OWN_SPEND_LIMIT = /^You have reached your specified/;

export interface Failure {
  unavailable: AnalystUnavailable;
  /** Milliseconds to wait before the one retry, or null when retrying cannot help (or waits too long). */
  retryAfterMs: number | null;
}

export function classify(
  sdk: Sdk,
  error: unknown,
  context: { model: string; signal?: AbortSignal | undefined },
): Failure {
  const cause = { cause: error };
  const final = (code: UnavailableCode, reason: string): Failure => ({
    unavailable: new AnalystUnavailable(code, reason, cause),
    retryAfterMs: null,
  });
  if (context.signal?.aborted) return { unavailable: outOfTime(error), retryAfterMs: null };
  // A timed-out call is not retried: a second 15 s wait is what made one call take 30 s.
  if (error instanceof sdk.APIConnectionTimeoutError) return final("timeout", "timeout");
  if (error instanceof sdk.APIConnectionError)
    return {
      unavailable: new AnalystUnavailable("connection", "connection failed", cause),
      retryAfterMs: DEFAULT_RETRY_WAIT_MS,
    };
  if (!(error instanceof sdk.APIError)) return final("api_error", "unexpected client error");

  const status = error.status;
  if (status === 429 && error.errorCode !== null && SPEND_CAP_CODES.has(error.errorCode))
    return final("spend_limit", "Anthropic monthly spend cap reached (429)");
  if (status === 400 && OWN_SPEND_LIMIT.test(error.apiMessage ?? ""))
    return final("spend_limit", "Anthropic spend limit set in the Console reached (400)");
  if (status === 402) return final("billing", "Anthropic billing problem (402)");
  if (status === 401 || status === 403) return final("auth", `API key rejected (${status})`);
  if (status === 404) return final("unknown_model", `model ${context.model} not found at Anthropic (404)`);
  const asked = retryAfterMs(error.headers?.get("retry-after") ?? null);
  if (status === 429) return retryable("rate_limited", "Anthropic rate limit (429)", asked, cause);
  if (status === 529) return retryable("overloaded", "Anthropic overloaded (529)", asked, cause);
  if (status !== undefined && status >= 500) return retryable("api_error", `Anthropic error ${status}`, asked, cause);
  if (status === 400) return final("api_error", "Anthropic refused the request (400)");
  return final("api_error", `Anthropic error ${status ?? "without status"}`);
}

/** Worth one more try after the wait the API asked for, if that wait is short. */
function retryable(code: UnavailableCode, reason: string, asked: number | null, cause: { cause: unknown }): Failure {
  if (asked !== null && asked > MAX_RETRY_WAIT_MS) {
    const later = `${reason}, retry in ${Math.ceil(asked / 1000)} s`;
    return { unavailable: new AnalystUnavailable(code, later, cause), retryAfterMs: null };
  }
  return { unavailable: new AnalystUnavailable(code, reason, cause), retryAfterMs: asked ?? DEFAULT_RETRY_WAIT_MS };
}

/** `retry-after` is seconds (Anthropic sends whole seconds) or an HTTP date. */
export function retryAfterMs(header: string | null, nowMs: number = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
