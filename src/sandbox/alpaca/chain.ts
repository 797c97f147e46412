// The simulated option chains: which contracts are listed (weekly or monthly Fridays out to
// ~70 days, strikes within ±20 % of the listing price) and how each is quoted (Black-Scholes
// on a tilted smile: a put skew for the index ETFs, a call skew for gold; bid/ask around the
// model price, open interest peaking at the money).
// Like a real feed it leaves gaps: far strikes carry no greeks or IV, and neither does a
// fixed, seeded share of the liquid contracts near the money (the bot computes them).

import { addDays, weekdayOf } from "../../domain/dates";
import { tradingDay } from "../../domain/market-time";
import { buildOccSymbol } from "../../domain/occ";
import { greeks as modelGreeks, normalCdf, price } from "../../domain/option-math";
import type { Greeks, OptionType } from "../../domain/types";
import { basePrice, skewOf, unit, WEEKLY_UNDERLYINGS } from "./market";
import { closeInstant, listedExpiration } from "./trading-days";

export interface ContractSpec {
  symbol: string;
  underlying: string;
  type: OptionType;
  strike: number;
  expiration: string;
}

export interface SimQuote {
  bid: number;
  ask: number;
  mid: number;
  last: number;
  /** null on far, illiquid strikes and on a seeded share of the rest (GAP_SHARE): a real feed's gaps. */
  impliedVolatility: number | null;
  greeks: (Greeks & { rho: number }) | null;
  openInterest: number;
  volume: number;
}

export const RATE = 0.04;
export const DIVIDEND_YIELD = 0.012;
const HORIZON_DAYS = 70;
const RANGE = 0.2;
/** Beyond this distance from the listing price a strike is illiquid: no greeks, no open interest. */
const ILLIQUID = 0.15;
/** The share of liquid contracts published without greeks or IV, chosen by symbol and seed. */
export const GAP_SHARE = 0.2;
const YEAR = 365 * 86_400_000;

export function strikeStep(underlying: string, listing: number): number {
  if (WEEKLY_UNDERLYINGS.has(underlying) || (listing >= 50 && listing < 200)) return 1;
  if (listing < 50) return 0.5;
  return listing < 400 ? 2.5 : 5;
}

export function strikes(underlying: string, seed: number): number[] {
  const listing = basePrice(underlying, seed);
  const step = strikeStep(underlying, listing);
  const out: number[] = [];
  for (let k = Math.ceil((listing * (1 - RANGE)) / step); k * step <= listing * (1 + RANGE); k++) {
    out.push(Math.round(k * step * 1000) / 1000);
  }
  return out;
}

/**
 * Expiry dates from today to ~70 days out: every Friday for SPY/QQQ/IWM, third Fridays
 * otherwise. A Friday that is a market holiday expires on the trading day before it, as real
 * listings do (Friday 2027-01-01 becomes Thursday 2026-12-31).
 */
export function expirations(underlying: string, now: number): readonly string[] {
  const today = tradingDay(now);
  const afterClose = now >= closeInstant(today);
  // Every quote asks: one answer per underlying and day (a pure function, so kept; bounded).
  const key = `${underlying}|${today}|${afterClose}`;
  const known = listed.get(key);
  if (known) return known;
  if (listed.size > 1000) listed.clear();
  const out = listExpirations(underlying, today, afterClose);
  listed.set(key, out);
  return out;
}

const listed = new Map<string, readonly string[]>();

function listExpirations(underlying: string, today: string, afterClose: boolean): string[] {
  const weekly = WEEKLY_UNDERLYINGS.has(underlying);
  const out: string[] = [];
  for (let i = 0; i <= HORIZON_DAYS; i++) {
    const friday = addDays(today, i);
    if (weekdayOf(friday) !== 5) continue;
    const day = Number(friday.slice(8, 10));
    if (!weekly && (day < 15 || day > 21)) continue;
    const expiration = listedExpiration(friday);
    if (expiration < today || (expiration === today && afterClose)) continue; // already expired
    out.push(expiration);
  }
  return out;
}

/** Which listed contracts a request asks for, judged before any symbol is built. */
export type ContractFilter = (contract: Omit<ContractSpec, "symbol">) => boolean;

/**
 * The listed contracts of an underlying that `keep` asks for (all of them without it), in OCC
 * symbol order (expiry, call before put, strike). The filter runs first: a request names a few
 * expiries and strikes of thousands, and building every symbol to drop most was the
 * simulator's time in a scan.
 */
export function listContracts(underlying: string, seed: number, now: number, keep?: ContractFilter): ContractSpec[] {
  const ks = strikes(underlying, seed);
  const out: ContractSpec[] = [];
  for (const expiration of expirations(underlying, now)) {
    for (const type of ["call", "put"] as const) {
      for (const strike of ks) {
        const contract = { underlying, type, strike, expiration };
        if (keep && !keep(contract)) continue;
        out.push({ symbol: buildOccSymbol(contract), ...contract });
      }
    }
  }
  return out;
}

/** Implied volatility on a tilted smile: `skew` < 0 is higher below the money (see market.ts). */
export function smileVolatility(atm: number, strike: number, spot: number, skew = -0.25): number {
  const x = Math.log(strike / spot);
  return Math.min(1.5, Math.max(0.08, atm + skew * x + 0.8 * x * x));
}

const floor2 = (x: number) => Math.floor(x * 100 + 1e-9) / 100;
const ceil2 = (x: number) => Math.ceil(x * 100 - 1e-9) / 100;
/** A price rounded to the cent, as quotes are. */
export const cents = (x: number) => Math.round(x * 100) / 100;

/** Quotes a contract; `atmVol` is the underlying's at-the-money IV now (volatility-path.ts). */
export function quoteContract(spec: ContractSpec, spot: number, now: number, seed: number, atmVol: number): SimQuote {
  const listing = basePrice(spec.underlying, seed);
  const years = Math.max(0, (closeInstant(spec.expiration) - now) / YEAR);
  const volatility = smileVolatility(atmVol, spec.strike, spot, skewOf(spec.underlying));
  const input = {
    type: spec.type,
    spot,
    strike: spec.strike,
    years,
    volatility,
    rate: RATE,
    dividendYield: DIVIDEND_YIELD,
  };
  const theo = price(input);
  const illiquid = Math.abs(Math.log(spec.strike / listing)) > ILLIQUID;
  const half = illiquid ? Math.max(0.05, theo * 0.2) : Math.max(0.01, theo * 0.03 + 0.01);
  const bid = Math.max(0, floor2(theo - half));
  const ask = Math.max(bid + 0.01, ceil2(theo + half));
  const jitter = unit(seed, `oi:${spec.symbol}`);
  const x = Math.log(spec.strike / spot);
  const openInterest = illiquid ? 0 : Math.round(4000 * Math.exp(-((x / 0.07) ** 2)) * (0.5 + jitter)) + 100;
  const unpublished = illiquid || unit(seed, `gap:${spec.symbol}`) < GAP_SHARE;
  return {
    bid: cents(bid),
    ask: cents(ask),
    mid: cents((bid + ask) / 2),
    last: Math.max(0.01, cents(theo * (0.99 + 0.02 * jitter))),
    impliedVolatility: unpublished ? null : Math.round(volatility * 10_000) / 10_000,
    greeks: unpublished ? null : alpacaGreeks(input),
    openInterest,
    volume: illiquid ? 0 : Math.round(openInterest * 0.1 * unit(seed, `vol:${spec.symbol}`)),
  };
}

/** Greeks in the units Alpaca publishes: theta per day, vega and rho per 1 point (0.01). */
function alpacaGreeks(input: Parameters<typeof price>[0]): Greeks & { rho: number } {
  const g = modelGreeks(input);
  let rho = 0;
  if (input.years > 0) {
    const sqrtT = Math.sqrt(input.years);
    const d2 =
      (Math.log(input.spot / input.strike) +
        (input.rate - input.dividendYield - 0.5 * input.volatility ** 2) * input.years) /
      (input.volatility * sqrtT);
    const k = input.strike * input.years * Math.exp(-input.rate * input.years);
    rho = input.type === "call" ? k * normalCdf(d2) : -k * normalCdf(-d2);
  }
  const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
  return { delta: r6(g.delta), gamma: r6(g.gamma), theta: r6(g.theta), vega: r6(g.vega / 100), rho: r6(rho / 100) };
}

/** A stock's quote (for stock orders: flattening shares an assignment delivered): a cent each side. */
export function stockQuote(price: number): SimQuote {
  return {
    bid: cents(price - 0.01),
    ask: cents(price + 0.01),
    mid: price,
    last: price,
    impliedVolatility: null,
    greeks: null,
    openInterest: 0,
    volume: 0,
  };
}
