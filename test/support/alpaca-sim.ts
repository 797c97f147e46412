// Test helpers for the simulated Alpaca (the AlpacaSimulator Durable Object named "market"):
// reset it, set fault knobs, move the market, read what the broker received. The adapter under
// test talks to the same object through the real SDK, exactly as the sandbox does.
import { env } from "cloudflare:workers";
import { createAlpacaBroker } from "../../src/broker/alpaca-broker";
import type { Broker } from "../../src/broker/port";
import type { FaultsInput } from "../../src/sandbox/alpaca/faults";
import type { RequestRecord } from "../../src/sandbox/alpaca/simulator-object";
import { sandboxOutside } from "../../src/sandbox/outside";

/** The forwarder the sandbox passes as Outside.alpaca. */
export function simFetch(): typeof fetch {
  return sandboxOutside(env).alpaca;
}

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await simFetch()(`https://sim.control/control/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  if (!response.ok) throw new Error(`simulator control ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json<T>();
}

export function reset(seed?: number): Promise<unknown> {
  return control("POST", "reset", seed === undefined ? {} : { seed });
}

/** Stops the simulated market's clock at `at` (null lets it run): quotes stay put between requests. */
export function freezeClock(at: number | null): Promise<unknown> {
  return control("POST", "clock", { freeze_at: at });
}

/** Starts the simulated clock over at `at` (earlier than now too), frozen there and not moved. */
export function pinClock(at: number): Promise<unknown> {
  return control("POST", "clock", { pin_at: at });
}

export function setFaults(faults: FaultsInput): Promise<unknown> {
  return control("POST", "faults", faults);
}

export function clearFaults(): Promise<unknown> {
  return control("DELETE", "faults");
}

export interface MarketView {
  open: boolean;
  prices: Record<string, number>;
}

export function moveMarket(
  move: { symbol: string; move_pct: number } | { symbol: string; price: number },
): Promise<MarketView> {
  return control("POST", "market", move);
}

/** Alpaca assigns the account's short contracts in `symbol` (all, or `contracts` of them) now, before their expiration. */
export function assignEarly(symbol: string, contracts?: number): Promise<MarketView> {
  return control("POST", "market", { assign: symbol, ...(contracts === undefined ? {} : { contracts }) });
}

/** A person closes the spread with this short leg at Alpaca's page (all of it, or `contracts`): the order placed. */
export function closeByHand(
  shortSymbol: string,
  contracts?: number,
): Promise<{ id: string; filled_avg_price: string }> {
  return control("POST", "market", { close_by_hand: shortSymbol, ...(contracts === undefined ? {} : { contracts }) });
}

export function setOpen(open: boolean): Promise<MarketView> {
  return control("POST", "market", { open });
}

/** A symbol's ex-dividend dates from now on, replacing its default schedule ([] = it pays nothing). */
export function setDividends(symbol: string, exDates: string[], rate = 1): Promise<unknown> {
  return control("POST", "dividends", { symbol, ex_dates: exDates, rate });
}

/** The simulated broker's orders as Alpaca order objects, newest first. */
export function listOrders(): Promise<Record<string, unknown>[]> {
  return control("GET", "orders");
}

/** Every Alpaca API request the simulator received since the last reset. */
export function requests(): Promise<RequestRecord[]> {
  return control("GET", "requests");
}

/** The option chain requests the simulator saw, in order: each one's underlying and query. */
export async function chainRequests(): Promise<{ symbol: string; query: URLSearchParams }[]> {
  return (await requests()).flatMap((r) => {
    const symbol = /^\/v1beta1\/options\/snapshots\/(\w+)$/.exec(r.path)?.[1];
    return symbol ? [{ symbol, query: new URLSearchParams(r.query) }] : [];
  });
}

/** Empties the request log (DELETE /control/requests). */
export function clearRequests(): Promise<unknown> {
  return control("DELETE", "requests");
}

/**
 * A slow Alpaca without a race: each request reaches the simulator and is done (an order POST
 * places the order), and its reply is held until the caller gives up (its signal aborts), however
 * fast or loaded the machine. The simulator's latency_ms fault instead races a real delay against
 * the client's timeout, and a loaded machine can lose the request before the simulator sees it.
 */
export function repliesHeldUntilTimeout(): typeof fetch {
  const sim = simFetch();
  return async (input, init) => {
    const signal = init?.signal ?? null;
    await sim(input, { ...init, signal: null });
    return new Promise<Response>((_, reject) => {
      if (!signal) return; // no deadline: the reply never comes
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  };
}

/**
 * An Alpaca whose answers stall after their headers and a first piece of body, as workerd's fetch
 * behaves then (checked against a real server in \`wrangler dev\`): the body read fails with the
 * request signal's reason when it aborts, and never ends without one.
 */
export function bodiesHeldUntilTimeout(): typeof fetch {
  const sim = simFetch();
  return async (input, init) => {
    const signal = init?.signal ?? null;
    const answer = await sim(input, { ...init, signal: null });
    const text = await answer.text();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text.slice(0, Math.ceil(text.length / 2))));
        if (!signal) return;
        if (signal.aborted) controller.error(signal.reason);
        signal.addEventListener("abort", () => controller.error(signal.reason), { once: true });
      },
    });
    return new Response(body, { status: answer.status, headers: answer.headers });
  };
}

/** The adapter under test on the simulator, with the sandbox's credentials. */
export function simBroker(overrides: { timeoutMs?: number; paper?: boolean; fetch?: typeof fetch } = {}): Broker {
  return createAlpacaBroker({
    keyId: "sandbox-key",
    secretKey: "sandbox-secret",
    paper: overrides.paper ?? true,
    dataFeed: "indicative",
    fetch: overrides.fetch ?? simFetch(),
    ...(overrides.timeoutMs === undefined ? {} : { timeoutMs: overrides.timeoutMs }),
  });
}

/** A raw, authenticated request to the simulator's Alpaca API (for shape checks). */
export async function alpacaGet(url: string): Promise<Response> {
  return simFetch()(url, { headers: { "APCA-API-KEY-ID": "k", "APCA-API-SECRET-KEY": "s" } });
}
