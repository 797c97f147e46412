// What the Claude adapter needs to keep its daily budget: a ledger of spend per trading day
// (implemented over D1 in src/store/analyst-usage.ts). Prices per model live in models.ts.

export interface UsageLedger {
  /** US dollars spent on all models on that trading day ('YYYY-MM-DD', New York). */
  spentToday(tradingDay: string): Promise<number>;
  /** Adds one request with its tokens and cost to the day's row for that model. */
  record(tradingDay: string, model: string, tokensIn: number, tokensOut: number, costUsd: number): Promise<void>;
}
