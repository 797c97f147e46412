// What the recommendation embed needs beyond the row: the size buttons, the mode and the DTE
// now. One place, used by the scan (first post) and by every later edit.
import type { RecommendationRow } from "../../drizzle/schema";
import type { Config } from "../config";
import { daysToExpiration } from "../domain/market-time";
import type { RecommendationView } from "./messages/recommendation";

/**
 * 1×, 2× and max, without repeats: the contracts a person may approve. The label leads with the
 * number of contracts ("Approve 5 · 1×"), so nobody reads "1×" as one contract.
 */
export function sizeChoices(contracts: number, maxContracts: number): { label: string; contracts: number }[] {
  const choices = [
    { size: "1×", contracts },
    { size: "2×", contracts: Math.min(contracts * 2, maxContracts) },
    { size: "max", contracts: maxContracts },
  ];
  return choices
    .filter((c, i) => c.contracts >= 1 && choices.findIndex((d) => d.contracts === c.contracts) === i)
    .map((c) => ({ label: `${c.contracts} · ${c.size}`, contracts: c.contracts }));
}

export function recommendationView(rec: RecommendationRow, config: Config, now: number): RecommendationView {
  return {
    now,
    sizeChoices: sizeChoices(rec.contracts, rec.maxContracts),
    mode: config.mode,
    dte: daysToExpiration(rec.expiration, now),
    dataFeed: config.alpaca.dataFeed,
    exitDte: config.exits.exitDte,
  };
}
