// Fault knobs a test (or a person) sets on the simulator through POST /control/faults.
// Each one models a way the real Alpaca fails; the one-shot ones clear themselves when used.
import { z } from "zod";
import { REJECTIONS } from "./order-request";

const failure = z.object({
  status: z.number().int().min(400).max(599),
  code: z.number().int(),
  message: z.string().min(1),
});

export const FaultsInput = z
  .object({
    /** Delay of every answer (ms), after the work is done: a slow reply to an order POST still places it. */
    latency_ms: z.number().int().min(0).max(60_000),
    /** The next `count` matching requests answer `status` (429 adds Retry-After). */
    fail_next: z
      .object({
        count: z.number().int().min(1).max(100).default(1),
        status: z.number().int().min(400).max(599).default(503),
        retry_after: z.number().int().min(0).max(60).default(1),
        method: z.enum(["GET", "POST", "DELETE"]).optional(),
        path_prefix: z.string().startsWith("/").optional(),
      })
      .nullable(),
    /** The next order POST is stored (and may fill) but its response is lost: the caller sees a thrown error. */
    lose_next_order_response: z.boolean(),
    /** The next order POST is accepted and rests: nobody takes the other side until it is canceled. */
    no_fill_next_order: z.boolean(),
    /** The next order POST's answer keeps its status but its body is cut short (not JSON); a 200 still places the order. */
    garble_next_order_response: z.boolean(),
    /**
     * The next order fills floor(share × qty) contracts (at least 1) when it is marketable; the
     * rest rests until it is canceled or the day ends.
     */
    partial_fill_next_order: z.number().gt(0).lt(1).nullable(),
    /**
     * The next cancel answers 204 but the order stays pending_cancel for `requests` more API
     * requests, then ends canceled, or filled when the cancel came too late (`ends: "filled"`).
     */
    pending_cancel_next_cancel: z
      .object({
        requests: z.number().int().min(1).max(20).default(1),
        ends: z.enum(["canceled", "filled"]).default("canceled"),
      })
      .nullable(),
    /** The next order POST is refused with Alpaca's status and message. */
    reject_next_order: z.union([z.enum(Object.keys(REJECTIONS) as [keyof typeof REJECTIONS]), failure]).nullable(),
    /**
     * Dollars per share a counterparty wants past the mid: while this is set, a limit order fills
     * only when it gives at least that much (a credit at most mid − x, a debit at least mid + x),
     * as a real spread often does not fill at the mid. Not one-shot; 0 clears it.
     */
    fills_only_beyond_mid: z.number().min(0).max(100),
    /**
     * Option quotes (and their last trades) are dated this many seconds before now, as on a
     * delayed feed; the stock price stays current. Not one-shot; 0 clears it.
     */
    quote_age_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600),
    /** Quotes and trades, option and stock, carry no time at all (`t` absent). Not one-shot. */
    quotes_without_time: z.boolean(),
    /**
     * The first page of every option chain also carries three snapshot keys no OCC parser reads
     * and one adjusted contract (SPY1…), as a real feed may: an adjusted contract is listed for an
     * underlying a split or merger touched. Off by default: most chains have neither. Not one-shot.
     */
    odd_chain_entries: z.boolean(),
    /** Every request answers 401 (bad keys). */
    unauthorized: z.boolean(),
    /** Caps every page size, as if the server allowed fewer items per page. */
    page_cap: z.number().int().min(1).max(10_000).nullable(),
    /**
     * The account's options level (0-3, Alpaca's levels; default 3): /v2/account reports it as
     * approved and trading level, and below 3 an mleg entry is refused as Alpaca refuses it.
     * Not one-shot: it stays until changed or the faults are cleared.
     */
    options_level: z.number().int().min(0).max(3),
  })
  .partial()
  .strict();

/** What a caller may send (defaults omitted)... */
export type FaultsInput = z.input<typeof FaultsInput>;
/** ...and what it means once parsed. */
type ParsedFaults = z.output<typeof FaultsInput>;

export interface Faults {
  latency_ms: number;
  fail_next: { count: number; status: number; retry_after: number; method?: string; path_prefix?: string } | null;
  lose_next_order_response: boolean;
  no_fill_next_order: boolean;
  partial_fill_next_order: number | null;
  garble_next_order_response: boolean;
  pending_cancel_next_cancel: { requests: number; ends: "canceled" | "filled" } | null;
  reject_next_order: ParsedFaults["reject_next_order"] | null;
  fills_only_beyond_mid: number;
  quote_age_seconds: number;
  quotes_without_time: boolean;
  odd_chain_entries: boolean;
  unauthorized: boolean;
  page_cap: number | null;
  options_level: number;
}

export const NO_FAULTS: Faults = {
  latency_ms: 0,
  fail_next: null,
  lose_next_order_response: false,
  no_fill_next_order: false,
  partial_fill_next_order: null,
  garble_next_order_response: false,
  pending_cancel_next_cancel: null,
  reject_next_order: null,
  fills_only_beyond_mid: 0,
  quote_age_seconds: 0,
  quotes_without_time: false,
  odd_chain_entries: false,
  unauthorized: false,
  page_cap: null,
  options_level: 3,
};

export function mergeFaults(current: Faults, input: ParsedFaults): Faults {
  const merged = { ...current };
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/** Whether a one-shot failure applies to this request, and the faults left after it. */
export function takeFailure(
  faults: Faults,
  method: string,
  path: string,
): { status: number; retryAfter: number } | null {
  const f = faults.fail_next;
  if (!f) return null;
  if (f.method && f.method !== method) return null;
  if (f.path_prefix && !path.startsWith(f.path_prefix)) return null;
  return { status: f.status, retryAfter: f.retry_after };
}

export function afterFailure(faults: Faults): Faults {
  const f = faults.fail_next;
  if (!f) return faults;
  return { ...faults, fail_next: f.count > 1 ? { ...f, count: f.count - 1 } : null };
}
