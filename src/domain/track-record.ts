// The track record over a period: what a trader asks after a month ("how am I doing?"), from
// the closed trades' realized P/L (fees included) and the account's end-of-day equity. Pure.
//
//   win rate       wins / trades (a $0.00 trade is a scratch: neither a win nor a loss)
//   expectancy     average P/L per trade
//   profit factor  gross wins / gross losses (null without a loss: it would be infinite)
//   max drawdown   the deepest fall of cumulative realized P/L from its running peak, in dollars,
//                  trade by trade in the order they closed (the curve starts at 0)
//   equity change  the account's last end-of-day equity in the period less the first point's,
//                  the close before the period when there is one (so its first day counts): what
//                  the broker says happened, beside what the bot booked (they differ by open P/L,
//                  trades made by hand, deposits and withdrawals)
import type { Strategy } from "./recommendation-state";

export const PERIODS = ["week", "month", "year", "all"] as const;
export type Period = (typeof PERIODS)[number];

/** The period a person asked for; anything else (or nothing) is the last 30 days. */
export function parsePeriod(value: unknown): Period {
  return (PERIODS as readonly unknown[]).includes(value) ? (value as Period) : "month";
}

const PERIOD_DAYS: Record<Period, number | null> = { week: 7, month: 30, year: 365, all: null };
const DAY_MS = 86_400_000;

/** The first instant a period covers, ending `now`; null for all time. */
export function periodStart(period: Period, now: number): number | null {
  const days = PERIOD_DAYS[period];
  return days === null ? null : now - days * DAY_MS;
}

export interface ClosedTrade {
  symbol: string;
  strategy: Strategy;
  realizedPl: number;
  closedAt: number;
}

export interface EquityPoint {
  tradingDay: string;
  equity: number;
}

export interface Breakdown {
  key: string;
  trades: number;
  pl: number;
}

export interface TrackRecord {
  trades: number;
  wins: number;
  losses: number;
  scratches: number;
  winRate: number | null;
  realizedPl: number;
  expectancy: number | null;
  averageWin: number | null;
  averageLoss: number | null;
  profitFactor: number | null;
  maxDrawdown: number;
  /** Cumulative realized P/L after each trade, oldest first (the curve the chart draws). */
  curve: { at: number; pl: number }[];
  bySymbol: Breakdown[];
  byStrategy: Breakdown[];
  equityChange: number | null;
  equityFrom: EquityPoint | null;
  equityTo: EquityPoint | null;
}

const cents = (x: number) => Math.round(x * 100) / 100;
const mean = (xs: number[]) => (xs.length === 0 ? null : cents(xs.reduce((s, x) => s + x, 0) / xs.length));

function breakdown(trades: ClosedTrade[], keyOf: (t: ClosedTrade) => string): Breakdown[] {
  const groups = new Map<string, Breakdown>();
  for (const t of trades) {
    const key = keyOf(t);
    const g = groups.get(key) ?? { key, trades: 0, pl: 0 };
    groups.set(key, { key, trades: g.trades + 1, pl: cents(g.pl + t.realizedPl) });
  }
  // Biggest earners first, biggest losers last: what a trader scans for.
  return [...groups.values()].sort((a, b) => b.pl - a.pl || a.key.localeCompare(b.key));
}

export function trackRecord(trades: readonly ClosedTrade[], equity: readonly EquityPoint[]): TrackRecord {
  const ordered = [...trades].sort((a, b) => a.closedAt - b.closedAt);
  const wins = ordered.filter((t) => t.realizedPl > 0).map((t) => t.realizedPl);
  const losses = ordered.filter((t) => t.realizedPl < 0).map((t) => t.realizedPl);
  const grossWin = wins.reduce((s, x) => s + x, 0);
  const grossLoss = -losses.reduce((s, x) => s + x, 0);

  let cumulative = 0;
  let peak = 0;
  let maxDrawdown = 0;
  const curve: TrackRecord["curve"] = [];
  for (const t of ordered) {
    cumulative += t.realizedPl;
    peak = Math.max(peak, cumulative);
    maxDrawdown = Math.max(maxDrawdown, peak - cumulative);
    curve.push({ at: t.closedAt, pl: cents(cumulative) });
  }

  const days = [...equity].sort((a, b) => a.tradingDay.localeCompare(b.tradingDay));
  const equityFrom = days[0] ?? null;
  const equityTo = days.at(-1) ?? null;
  const decided = wins.length + losses.length;
  return {
    trades: ordered.length,
    wins: wins.length,
    losses: losses.length,
    scratches: ordered.length - decided,
    winRate: ordered.length === 0 ? null : wins.length / ordered.length,
    realizedPl: cents(cumulative),
    expectancy: mean(ordered.map((t) => t.realizedPl)),
    averageWin: mean(wins),
    averageLoss: mean(losses),
    profitFactor: grossLoss > 0 ? Math.round((grossWin / grossLoss) * 100) / 100 : null,
    maxDrawdown: cents(maxDrawdown),
    curve,
    bySymbol: breakdown(ordered, (t) => t.symbol),
    byStrategy: breakdown(ordered, (t) => t.strategy),
    equityChange: equityFrom && equityTo && equityFrom !== equityTo ? cents(equityTo.equity - equityFrom.equity) : null,
    equityFrom,
    equityTo,
  };
}
