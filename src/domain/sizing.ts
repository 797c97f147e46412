// How many contracts: a fixed share of equity at risk per trade (1×), an aggressive 2×, and
// the most the buying power and the contract cap allow. The person picks among these.

import { usd } from "./format";

export interface SizingInput {
  equity: number;
  buyingPower: number;
  /** Share of equity one trade may lose, 0.02 = 2 %. */
  riskPerTradePct: number;
  /** Dollars lost per contract if the spread expires fully against us. */
  maxLossPerContract: number;
  maxContracts: number;
}

export interface SizeChoice {
  label: "1×" | "2×" | "max";
  contracts: number;
}

export type Sizing =
  | { contracts: number; maxContracts: number; choices: SizeChoice[] }
  | { contracts: 0; reason: string };

export function sizeTrade(input: SizingInput): Sizing {
  const { equity, buyingPower, riskPerTradePct, maxLossPerContract, maxContracts } = input;
  if (![equity, buyingPower, riskPerTradePct, maxLossPerContract, maxContracts].every(Number.isFinite))
    return { contracts: 0, reason: "sizing inputs are not all numbers" };
  if (maxLossPerContract <= 0) return { contracts: 0, reason: "max loss per contract must be positive" };
  if (equity <= 0) return { contracts: 0, reason: `equity is ${usd(equity)}: nothing to risk` };
  const cap = Math.floor(maxContracts);
  if (cap < 1) return { contracts: 0, reason: "the contract cap is below 1" };

  const budget = equity * riskPerTradePct;
  // A hair of tolerance so $200.00 of budget buys a $200.00 contract despite float noise.
  const byRisk = Math.floor(budget / maxLossPerContract + 1e-9);
  const byBuyingPower = Math.floor(Math.max(buyingPower, 0) / maxLossPerContract + 1e-9);
  const most = Math.min(cap, byBuyingPower);
  if (byRisk < 1)
    return {
      contracts: 0,
      reason: `one contract risks ${usd(maxLossPerContract)}, more than the ${(riskPerTradePct * 100).toFixed(1)}% per-trade budget of ${usd(budget)}`,
    };
  if (most < 1)
    return {
      contracts: 0,
      reason: `buying power ${usd(buyingPower)} does not cover one contract's ${usd(maxLossPerContract)} at risk`,
    };

  const one = Math.min(byRisk, most);
  const candidates: SizeChoice[] = [
    { label: "1×", contracts: one },
    { label: "2×", contracts: Math.min(2 * byRisk, most) },
    { label: "max", contracts: most },
  ];
  const choices = candidates.filter((c, i) => candidates.findIndex((o) => o.contracts === c.contracts) === i);
  return { contracts: one, maxContracts: most, choices };
}
