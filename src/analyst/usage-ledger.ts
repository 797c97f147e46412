// What the Claude adapter needs to keep its daily budget: a ledger of spend per trading day
// (implemented over D1 in src/store/analyst-usage.ts) and a price for the tokens it used.

export interface UsageLedger {
  /** US dollars spent on all models on that trading day ('YYYY-MM-DD', New York). */
  spentToday(tradingDay: string): Promise<number>;
  /** Adds one request with its tokens and cost to the day's row for that model. */
  record(tradingDay: string, model: string, tokensIn: number, tokensOut: number, costUsd: number): Promise<void>;
}

/** US dollars per million tokens. */
interface Price {
  input: number;
  output: number;
}

// Published list prices by family, first match wins. A model we do not recognise is priced as
// the most expensive family, so an unknown name can only make the budget run out sooner.
const PRICES: ReadonlyArray<readonly [RegExp, Price]> = [
  [/haiku-3(?!-5)/, { input: 0.25, output: 1.25 }],
  [/haiku/, { input: 1, output: 5 }],
  [/sonnet/, { input: 3, output: 15 }],
  [/opus-(4-[5-9]|[5-9])/, { input: 5, output: 25 }],
  [/opus/, { input: 15, output: 75 }],
];
const CONSERVATIVE: Price = { input: 15, output: 75 };

export function priceFor(model: string): Price {
  return PRICES.find(([family]) => family.test(model))?.[1] ?? CONSERVATIVE;
}

export function costUsd(model: string, tokensIn: number, tokensOut: number): number {
  const p = priceFor(model);
  return (tokensIn * p.input + tokensOut * p.output) / 1_000_000;
}
