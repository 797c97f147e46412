// The Analyst port: a thesis for an idea the core already found and priced. The analyst never
// decides prices or size; it writes why (or why not) and how confident, and names the risks.
import type { Strategy } from "../domain/types";

export interface IdeaForAnalysis {
  symbol: string;
  strategy: Strategy;
  expiration: string;
  dte: number;
  shortStrike: number;
  longStrike: number;
  width: number;
  credit: number;
  maxLoss: number;
  breakeven: number;
  /** 0..1 */
  probabilityOfProfit: number | null;
  /** 0..100; null when there is not enough IV history to rank. */
  ivRank: number | null;
  underlyingPrice: number;
  shortDelta: number | null;
  /** The short leg's implied volatility (annualised, 0.18 = 18 %), for the expected move. */
  impliedVolatility?: number | null;
}

export interface Thesis {
  /** Who wrote it, shown in the embed: e.g. "Claude (claude-sonnet-5-5)" or "Rule-based analyst". */
  author: string;
  kind: "llm" | "rules";
  thesis: string;
  /** 0..1 */
  confidence: number;
  risks: string[];
}

export interface DaySummaryForReflection {
  tradingDay: string;
  realizedPl: number;
  tradesOpened: number;
  tradesClosed: number;
  wins: number;
  losses: number;
  notes: string[];
}

export interface AnalyseOptions {
  /** Aborts when the caller can wait no longer (an interactive /scan inside waitUntil's 30 s). */
  signal?: AbortSignal;
}

export interface Analyst {
  analyse(idea: IdeaForAnalysis, playbook: string[], options?: AnalyseOptions): Promise<Thesis>;
  reflect(day: DaySummaryForReflection): Promise<{ author: string; content: string }>;
}
