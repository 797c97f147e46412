// How many contracts: a fixed share of equity at risk per trade (1×), an aggressive 2×, and
// the most the buying power, the contract cap and the total-risk headroom allow. The person
// picks among these; no choice offered puts more at risk than the total-risk limit has left.

import { RISK_TOLERANCE } from "./breakers";
import { usd } from "./format";

export interface SizingInput {
  equity: number;
  buyingPower: number;
  /** Share of equity one trade may lose, 0.02 = 2 %. */
  riskPerTradePct: number;
  /** Dollars lost per contract if the spread expires fully against us. */
  maxLossPerContract: number;
  maxContracts: number;
  /**
   * Dollars the total-risk limit has left: its share of equity less what is at risk in open
   * positions and in entries in flight (see riskHeadroom in ./breakers).
   */
  riskHeadroom: number;
}

export interface SizeChoice {
  label: "1×" | "2×" | "max";
  contracts: number;
}

export type Sizing =
  | { contracts: number; maxContracts: number; choices: SizeChoice[] }
  | { contracts: 0; reason: string };

export function sizeTrade(input: SizingInput): Sizing {
  const { equity, buyingPower, riskPerTradePct, maxLossPerContract, maxContracts, riskHeadroom } = input;
  if (![equity, buyingPower, riskPerTradePct, maxLossPerContract, maxContracts, riskHeadroom].every(Number.isFinite))
    return { contracts: 0, reason: "sizing inputs are not all numbers" };
  if (maxLossPerContract <= 0) return { contracts: 0, reason: "max loss per contract must be positive" };
  if (equity <= 0) return { contracts: 0, reason: `equity is ${usd(equity)}: nothing to risk` };
  const cap = Math.floor(maxContracts);
  if (cap < 1) return { contracts: 0, reason: "the contract cap is below 1" };

  const budget = equity * riskPerTradePct;
  // A hair of tolerance so $200.00 of budget buys a $200.00 contract despite float noise.
  const byRisk = Math.floor(budget / maxLossPerContract + 1e-9);
  const byBuyingPower = Math.floor(Math.max(buyingPower, 0) / maxLossPerContract + 1e-9);
  // The same tolerance as the approval's limit check: what the scan offers, the claim accepts.
  const byHeadroom = Math.floor((Math.max(riskHeadroom, 0) + RISK_TOLERANCE) / maxLossPerContract);
  const most = Math.min(cap, byBuyingPower, byHeadroom);
  if (byRisk < 1)
    return {
      contracts: 0,
      reason: `one contract risks ${usd(maxLossPerContract)}, more than the ${(riskPerTradePct * 100).toFixed(1)}% per-trade budget of ${usd(budget)}`,
    };
  if (byHeadroom < 1)
    return {
      contracts: 0,
      reason: `the total-risk limit has ${usd(Math.max(riskHeadroom, 0))} left counting open positions and orders in flight, less than one contract's ${usd(maxLossPerContract)} at risk`,
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
