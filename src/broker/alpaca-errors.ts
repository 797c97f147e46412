// Every failure the Alpaca SDK throws, mapped once into a BrokerError: a code the core can branch
// on, a sentence a trader can read, and whether trying again is safe. The SDK is loaded lazily,
// so its error classes are recognised by shape (name/status) rather than instanceof.
import { matchRefusal } from "./alpaca-refusals";
import { BrokerError } from "./port";

interface ApiErrorShape {
  name: string;
  message: string;
  status: number;
  code?: number | string;
  retryAfterMs?: number;
}

function apiError(error: unknown): ApiErrorShape | null {
  if (!(error instanceof Error)) return null;
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? (error as unknown as ApiErrorShape) : null;
}

/** A transport failure (network, timeout): the request may or may not have reached Alpaca. */
function fetchFailure(error: unknown): { timeout: boolean; detail: string } | null {
  // A body read the request's deadline cut short throws the signal's reason itself (a DOMException).
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === "TimeoutError" || name === "AbortError")
    return { timeout: name === "TimeoutError", detail: (error as { message?: string }).message ?? String(name) };
  if (!(error instanceof Error) || error.name !== "FetchError") return null;
  const cause = (error as { cause?: unknown }).cause;
  const causeName =
    cause instanceof Error || (typeof cause === "object" && cause !== null) ? (cause as Error).name : "";
  const detail = cause instanceof Error ? cause.message : error.message;
  return { timeout: causeName === "TimeoutError", detail };
}

// The SDK's message when a non-2xx body had no `message` (errors.ts, buildApiError).
const NO_MESSAGE = /^Response returned an error code \(HTTP \d+\)$/;

/**
 * Alpaca's own error answer: a 4xx whose body was its `{code, message}` JSON. The SDK keeps the
 * envelope's code and message; a body that was not that JSON leaves no code and the raw text.
 */
function isAlpacaRefusal(api: ApiErrorShape): boolean {
  const hasCode = api.code !== undefined && api.code !== null && api.code !== "";
  return api.status >= 400 && api.status < 500 && hasCode && api.message !== "" && !NO_MESSAGE.test(api.message);
}

/**
 * True only when Alpaca clearly refused a submit: its readable refusal on a 4xx other than 408
 * (it timed out, the order may be in) and 429 (rate limit: be conservative, look it up). Anything
 * else (no answer, a timeout or abort, a 5xx, a 2xx whose body could not be read, an error of a
 * shape we do not know) leaves the order's fate unknown: look it up, never call it refused.
 */
export function isRefusal(error: unknown): boolean {
  const api = apiError(error);
  return api !== null && api.status !== 408 && api.status !== 429 && isAlpacaRefusal(api);
}

/** A raw body quoted back to a trader: one line, and short (it may be a proxy's HTML page). */
function quoted(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

export function toBrokerError(error: unknown, action: string): BrokerError {
  if (error instanceof BrokerError) return error;
  const transport = fetchFailure(error);
  if (transport) {
    return transport.timeout
      ? new BrokerError("timeout", `${action}: Alpaca did not answer in time (${transport.detail}).`, true)
      : new BrokerError("unavailable", `${action}: could not reach Alpaca (${transport.detail}).`, true);
  }
  const api = apiError(error);
  if (!api) {
    const detail = error instanceof Error ? error.message : String(error);
    // A body that is cut short or not JSON (JSON.parse, or the SDK's own parse): Alpaca answered, but unreadably.
    if (error instanceof SyntaxError)
      return new BrokerError("unknown", `${action}: Alpaca's answer could not be read (${detail}).`, false);
    return new BrokerError("unknown", `${action}: unexpected error from the Alpaca client (${detail}).`, false);
  }
  const { status, message } = api;
  const said = `Alpaca said: "${quoted(message)}" (HTTP ${status})`;
  // Alpaca's own refusal texts first (alpaca-refusals.ts, each with its source); the raw text follows.
  const refusal = matchRefusal(message);
  if (refusal) return new BrokerError(refusal.code, `${action}: ${refusal.sentence}. ${said}.`, false, status);
  if (status === 429) {
    const wait =
      api.retryAfterMs === undefined
        ? ""
        : ` It asks for ${Math.ceil(api.retryAfterMs / 1000)} s before the next request.`;
    return new BrokerError(
      "rate_limited",
      `${action}: Alpaca is rate-limiting requests (over 200 a minute).${wait}`,
      true,
      status,
    );
  }
  if (status === 401 || (status === 403 && /forbidden|not authorized|unauthorized/i.test(message)))
    return new BrokerError(
      "unauthorized",
      `${action}: Alpaca refused the API keys. Check ALPACA_KEY_ID and ALPACA_SECRET_KEY, and paper vs live. ${said}.`,
      false,
      status,
    );
  if (status === 404)
    return new BrokerError("not_found", `${action}: Alpaca has no such item. ${said}.`, false, status);
  if (status >= 500 || status === 408)
    return new BrokerError("unavailable", `${action}: Alpaca is having trouble. ${said}.`, true, status);
  if (!isAlpacaRefusal(api))
    return new BrokerError(
      "unknown",
      `${action}: Alpaca answered HTTP ${status} without its usual error, so it is not clear what it did ("${quoted(message)}").`,
      false,
      status,
    );
  // A refusal no rule knows: Alpaca's own words, verbatim, are the best a trader can get.
  return new BrokerError("rejected", `${action}: Alpaca refused the request. ${said}.`, false, status);
}
