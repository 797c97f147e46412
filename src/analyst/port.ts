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
  /**
   * The chance (0..1) of being in profit at the bot's time exit, `exitDte` days before expiry,
   * when it alerts to close: the horizon the trade is managed to, beside the POP at expiry.
   */
  profitAtExit?: { probability: number; exitDte: number } | null;
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

/** A closed trade, for its review: what was expected when it opened and what happened. */
export interface ClosedTradeForReview {
  positionId: number;
  symbol: string;
  strategy: Strategy;
  expiration: string;
  shortStrike: number;
  longStrike: number;
  /** Contracts the entry filled. */
  contracts: number;
  /** Per share. */
  entryCredit: number;
  /** Per share; null when the broker settled it without a price. */
  closePrice: number | null;
  /** Dollars, fees included: the whole trade. */
  realizedPl: number;
  /** Dollars at risk for the contracts opened. */
  maxLoss: number;
  /** Why it closed: profit_target, stop_loss, time_exit, expiry_day, manual, "expired worthless"… */
  closeReason: string;
  dteAtEntry: number;
  daysHeld: number;
  ivRank: number | null;
  probabilityOfProfit: number | null;
  shortDelta: number | null;
}

export interface TradeReview {
  author: string;
  /** What happened, against what was expected. */
  reflection: string;
  /** One thing to carry into the next ideas like it. */
  lesson: string;
}

export interface AnalyseOptions {
  /** Aborts when the caller can wait no longer (an interactive /scan inside waitUntil's 30 s). */
  signal?: AbortSignal;
}

export interface Analyst {
  /** `playbook`: the rules and lessons relevant to this idea (src/domain/playbook.ts), best first. */
  analyse(idea: IdeaForAnalysis, playbook: string[], options?: AnalyseOptions): Promise<Thesis>;
  reflect(day: DaySummaryForReflection): Promise<{ author: string; content: string }>;
  review(trade: ClosedTradeForReview): Promise<TradeReview>;
}

/** The analyst the jobs hold (with-fallback.ts): an Analyst that also writes by the rules on request. */
export interface JobAnalyst extends Analyst {
  /**
   * The rule-based thesis at once, without asking Claude (the scan's subrequest budget left no
   * call for this idea): the author line says why, unless no Claude is configured at all.
   */
  byRules(idea: IdeaForAnalysis, reason: string): Thesis;
}
