// The Broker port on Alpaca, through the official SDK (@alpacahq/alpaca-trade-api). Every HTTP
// request goes through options.fetch (the real fetch in production, the simulator in the
// sandbox and tests) and is counted, because Workers cap subrequests per invocation.
// An order POST is sent once: unless Alpaca clearly refused it, the order is looked up by client
// order id.
import type { Alpaca } from "@alpacahq/alpaca-trade-api";
import type { OrderRequest, UnderlyingQuote } from "../domain/types";
import { errorFields, log } from "../log";
import { readCalendar } from "./alpaca-calendar";
import { fetchOptionChain, listedContracts, symbolSnapshots } from "./alpaca-chain";
import { loadAlpacaClient } from "./alpaca-client";
import { readExDividends } from "./alpaca-dividends";
import { isRefusal, toBrokerError } from "./alpaca-errors";
import { toAccount, toBrokerOrder, toClock, toOptionEvent, toOrderInput, toPosition } from "./alpaca-map";
import { type StockFeed, stockQuote, stockQuotes } from "./alpaca-stocks";
import { type Broker, BrokerError, type BrokerOrder, RequestBudgetExceeded, type SubmitOutcome } from "./port";

export interface AlpacaBrokerOptions {
  keyId: string;
  secretKey: string;
  paper: boolean;
  dataFeed: "indicative" | "opra";
  fetch: typeof fetch;
  /** Per-request deadline (default 10 s); a submit that misses it is resolved by lookup. */
  timeoutMs?: number;
  /** Whether the SDK's back-off before a GET's retry takes time (default true; false in the tests' sandbox). */
  retryWaits?: boolean;
}

export function createAlpacaBroker(options: AlpacaBrokerOptions): Broker {
  let requests = 0;
  let client: Promise<Alpaca> | undefined;
  const sdk = () =>
    (client ??= loadAlpacaClient({
      keyId: options.keyId,
      secretKey: options.secretKey,
      paper: options.paper,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.retryWaits === false ? { retryWaits: false } : {}),
      fetch: (input, init) => {
        requests++;
        return options.fetch(input, init);
      },
    }));
  const feed = options.dataFeed;
  // Stocks: the free IEX feed with the free options feed, SIP with a paid OPRA subscription.
  const stockFeed: StockFeed = feed === "opra" ? "sip" : "iex";

  async function call<T>(action: string, work: (c: Alpaca) => Promise<T>): Promise<T> {
    const c = await sdk();
    try {
      return await work(c);
    } catch (error) {
      // Not Alpaca's failure: the caller's subrequest budget stopped the read.
      if (error instanceof RequestBudgetExceeded) throw error;
      throw toBrokerError(error, action);
    }
  }

  async function findByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    try {
      return await call("Looking up the order", async (c) =>
        toBrokerOrder(await c.trading.orders.getOrderByClientOrderId({ clientOrderId })),
      );
    } catch (error) {
      if (error instanceof BrokerError && error.code === "not_found") return null;
      throw error;
    }
  }

  async function underlyingQuote(symbol: string): Promise<UnderlyingQuote> {
    return call(`Getting the ${symbol} price`, async (c) => {
      const quote = await stockQuote(c, stockFeed, symbol);
      if (!quote) throw new BrokerError("unavailable", `Alpaca has no price for ${symbol} right now.`, true);
      return quote;
    });
  }

  const underlyingQuotes = (symbols: string[]) => call("Getting prices", (c) => stockQuotes(c, stockFeed, symbols));

  /** After an ambiguous failure: the order exists (placed) or we cannot tell (unknown). Never resubmits. */
  async function resolveByLookup(order: OrderRequest, cause: BrokerError): Promise<SubmitOutcome> {
    log.warn("order submit outcome unknown; looking it up", { clientOrderId: order.client_order_id, code: cause.code });
    try {
      const found = await findByClientId(order.client_order_id);
      if (found) return { kind: "placed", order: found };
      return {
        kind: "unknown",
        error: new BrokerError(
          cause.code,
          `${cause.message} Alpaca does not show the order (client id ${order.client_order_id}) yet; it may still appear. Check Alpaca before placing it again.`,
          false,
          cause.status,
        ),
      };
    } catch (error) {
      log.error("order lookup after an unknown submit failed", {
        clientOrderId: order.client_order_id,
        ...errorFields(error),
      });
      const lookup = toBrokerError(error, "Looking up the order");
      return {
        kind: "unknown",
        error: new BrokerError(
          cause.code,
          `${cause.message} The lookup failed too (${lookup.message}) Check Alpaca for client id ${order.client_order_id} before placing it again.`,
          false,
          cause.status,
        ),
      };
    }
  }

  return {
    clock: () => call("Reading the market clock", async (c) => toClock(await c.trading.clock.legacyClock())),

    // Asked by bare New York date (alpaca-calendar.ts says why a Date at UTC midnight is not).
    calendar: (from, to) => call("Reading the market calendar", (c) => readCalendar(c, from, to)),

    account: () => call("Reading the account", async (c) => toAccount(await c.trading.account.getAccount())),

    positions: () =>
      call("Reading positions", async (c) => (await c.trading.positions.getAllOpenPositions()).map(toPosition)),

    optionChain: (req) => {
      // The requests this chain made so far, its retries included, against the caller's cap.
      const before = requests;
      const { maxRequests } = req;
      const mayFetch = maxRequests === undefined ? undefined : () => requests - before < maxRequests;
      return call(`Getting the ${req.underlying} option chain`, (c) =>
        fetchOptionChain(
          c,
          feed,
          req,
          () => (req.underlyingQuote ? Promise.resolve(req.underlyingQuote) : underlyingQuote(req.underlying)),
          mayFetch,
        ),
      );
    },

    listedContracts: (req) => call(`Reading the ${req.underlying} contracts listing`, (c) => listedContracts(c, req)),

    underlyingQuote,
    underlyingQuotes,

    optionQuotes: (symbols) => call("Getting option quotes", (c) => symbolSnapshots(c, feed, symbols)),

    exDividends: (symbols, from, to) => call("Reading ex-dividend dates", (c) => readExDividends(c, symbols, from, to)),

    async submitOrder(order) {
      const c = await sdk();
      try {
        const placed = await c.trading.orders.submit(toOrderInput(order));
        return { kind: "placed", order: toBrokerOrder(placed) };
      } catch (error) {
        const mapped = toBrokerError(error, "Placing the order");
        if (mapped.code === "duplicate_client_order_id") {
          const existing = await findByClientId(order.client_order_id).catch((e: unknown) => {
            log.error("lookup of a duplicate client order id failed", {
              clientOrderId: order.client_order_id,
              ...errorFields(e),
            });
            return null;
          });
          return existing ? { kind: "already_submitted", order: existing } : { kind: "unknown", error: mapped };
        }
        // Unknown is unknown: only Alpaca's readable 4xx refusal means no order. Anything else
        // (no answer, a timeout, a 5xx, 408, 429, an unreadable 2xx, an error we cannot read)
        // may have left an order that fills, so it is looked up, never resent.
        if (isRefusal(error)) return { kind: "rejected", error: mapped };
        return resolveByLookup(order, mapped);
      }
    },

    orderByClientId: findByClientId,

    cancelOrder: (orderId) =>
      call("Canceling the order", async (c) => {
        await c.trading.orders.deleteOrderByOrderID({ orderId });
      }),

    optionEvents: (since) =>
      call("Reading option expirations and assignments", async (c) => {
        const activities = await c.trading.accountActivities.getAccountActivities({
          activityTypes: ["OPEXP", "OPASN", "OPEXC"],
          after: new Date(since),
          direction: "desc",
          pageSize: 100,
        });
        return activities.flatMap(toOptionEvent);
      }),

    recentOrders: (since) =>
      call("Listing recent orders", async (c) => {
        const orders = await c.trading.orders.getAllOrders({
          status: "closed",
          after: new Date(since).toISOString(),
          direction: "desc",
          limit: 500,
          nested: true,
        });
        return orders.map(toBrokerOrder);
      }),

    subrequestCount: () => requests,
  };
}
