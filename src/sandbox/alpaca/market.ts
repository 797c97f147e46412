// The simulated market's prices: every ticker follows a reproducible path (a sum of slow sine
// waves with phases drawn from the seed), times a factor that POST /control/market moves.
// Same seed, same instant, same price: tests and the sandbox can rely on it.

export interface MarketState {
  seed: number;
  /** Multiplier per symbol set by moves (1 when untouched). */
  factors: Record<string, number>;
  open: boolean;
}

export const DEFAULT_SEED = 20_261_127;

const BASE_PRICES: Record<string, number> = { SPY: 600, QQQ: 520, IWM: 230, GLD: 250 };
/** The tickers the simulated market has its own prices (and smiles) for: the sandbox watchlist. */
export const NAMED_TICKERS: readonly string[] = Object.keys(BASE_PRICES);
const BASE_VOLS: Record<string, number> = { SPY: 0.15, QQQ: 0.19, IWM: 0.22, GLD: 0.16 };
/**
 * The smile's tilt, IV points per unit of log-moneyness: negative is a put skew (the index ETFs,
 * where protection is bid), positive a call skew (gold lately, where upside is bid).
 */
const SKEWS: Record<string, number> = { SPY: -0.25, QQQ: -0.25, IWM: -0.2, GLD: 0.15 };
const DEFAULT_SKEW = -0.25;
/** Weekly options for the index ETFs, monthlies only for everything else. */
/** Symbols listed with weekly expiries (as these ETFs are); others get the monthly third Friday. */
export const WEEKLY_UNDERLYINGS = new Set(["SPY", "QQQ", "IWM", "DIA", "XLF", "XLE", "XLK", "TLT", "GLD", "EEM"]);

const DAY = 86_400_000;
// (amplitude of log price, period): a day's wiggle, a weekly swing, a monthly trend.
const WAVES: readonly [number, number][] = [
  [0.004, DAY],
  [0.01, 7 * DAY],
  [0.02, 29 * DAY],
];

export function initialMarket(seed = DEFAULT_SEED): MarketState {
  return { seed, factors: {}, open: true };
}

/** FNV-1a: a stable 32-bit hash of a string. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A reproducible number in [0, 1) for a seed and a key. */
export function unit(seed: number, key: string): number {
  return hash32(`${seed}:${key}`) / 4_294_967_296;
}

export function isTicker(symbol: string): boolean {
  return /^[A-Z]{1,5}$/.test(symbol);
}

/** The price a ticker's path is centred on: known for the ETFs, derived from a hash otherwise. */
export function basePrice(symbol: string, seed: number): number {
  return BASE_PRICES[symbol] ?? Math.round((20 + unit(seed, `base:${symbol}`) * 480) * 100) / 100;
}

/** At-the-money implied volatility of a ticker (15-25 % for the defaults). */
export function baseVolatility(symbol: string, seed: number): number {
  return BASE_VOLS[symbol] ?? 0.16 + unit(seed, `vol:${symbol}`) * 0.09;
}

/** How the ticker's smile tilts (see SKEWS). */
export function skewOf(symbol: string): number {
  return SKEWS[symbol] ?? DEFAULT_SKEW;
}

function pathMultiplier(symbol: string, seed: number, now: number): number {
  let logMove = 0;
  WAVES.forEach(([amplitude, period], i) => {
    const phase = unit(seed, `phase:${symbol}:${i}`) * 2 * Math.PI;
    logMove += amplitude * Math.sin((2 * Math.PI * now) / period + phase);
  });
  return Math.exp(logMove);
}

export function spotPrice(market: MarketState, symbol: string, now: number): number {
  const raw = basePrice(symbol, market.seed) * pathMultiplier(symbol, market.seed, now) * (market.factors[symbol] ?? 1);
  return Math.round(raw * 100) / 100;
}

/** Moves a symbol by a percentage from where it is now. */
export function moveByPercent(market: MarketState, symbol: string, pct: number): MarketState {
  const factor = (market.factors[symbol] ?? 1) * (1 + pct / 100);
  return { ...market, factors: { ...market.factors, [symbol]: factor } };
}

/** Sets a symbol's price now; the path keeps moving it from there. */
export function moveToPrice(market: MarketState, symbol: string, price: number, now: number): MarketState {
  const factor = price / (basePrice(symbol, market.seed) * pathMultiplier(symbol, market.seed, now));
  return { ...market, factors: { ...market.factors, [symbol]: factor } };
}
