// Every failure the Alpaca SDK throws, mapped once into a BrokerError: a code the core can branch
// on, a sentence a trader can read, and whether trying again is safe. The SDK is loaded lazily,
// so its error classes are recognised by shape (name/status) rather than instanceof.
import { BrokerError, type BrokerFailureCode } from "./port";

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
  if (!(error instanceof Error) || error.name !== "FetchError") return null;
  const cause = (error as { cause?: unknown }).cause;
  const causeName =
    cause instanceof Error || (typeof cause === "object" && cause !== null) ? (cause as Error).name : "";
  const detail = cause instanceof Error ? cause.message : error.message;
  return { timeout: causeName === "TimeoutError", detail };
}

/** True when a submit's outcome is unknown: no answer, a timeout, or a 5xx/408 from Alpaca. */
export function isAmbiguous(error: unknown): boolean {
  if (fetchFailure(error)) return true;
  const api = apiError(error);
  return api !== null && (api.status >= 500 || api.status === 408);
}

const RULES: readonly [RegExp, BrokerFailureCode, string][] = [
  [
    /client_order_id must be unique/i,
    "duplicate_client_order_id",
    "An order with this client order id already exists at Alpaca",
  ],
  [
    /insufficient.*buying power|buying power.*insufficient/i,
    "insufficient_buying_power",
    "Not enough options buying power for this order",
  ],
  [/pattern day trad/i, "pattern_day_trader", "Alpaca blocked the trade under pattern day trader protection"],
  [/wash trade/i, "wash_trade", "Alpaca flagged the order as a potential wash trade"],
  [
    /not tradable|not active|not found.*asset|asset.*not found/i,
    "not_tradable",
    "A contract in the order is not tradable at Alpaca",
  ],
  [
    /market (is )?closed|market hours|outside.*hours/i,
    "market_closed",
    "The market is closed, so Alpaca will not take the order now",
  ],
];

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
    return new BrokerError("unknown", `${action}: unexpected error from the Alpaca client (${detail}).`, false);
  }
  const { status, message } = api;
  const said = `Alpaca said: "${message}" (HTTP ${status})`;
  for (const [pattern, code, sentence] of RULES) {
    if (pattern.test(message)) return new BrokerError(code, `${action}: ${sentence}. ${said}.`, false, status);
  }
  if (status === 429) {
    const wait = api.retryAfterMs === undefined ? "" : ` Try again in ${Math.ceil(api.retryAfterMs / 1000)} s.`;
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
  return new BrokerError("rejected", `${action}: Alpaca refused the request. ${said}.`, false, status);
}
