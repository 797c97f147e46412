// What the broker should hold because of the bot's positions, leg by leg and in shares: the
// book reconcile compares Alpaca's with (jobs/reconcile.ts) and the early-assignment check reads
// (actions/early-assignment.ts). Pure.
import type { Strategy } from "./recommendation-state";

export interface HeldSpread {
  id: number;
  symbol: string;
  strategy: Strategy;
  shortSymbol: string;
  longSymbol: string;
  contracts: number;
}

/** An early assignment booked on a position: how many of its short contracts Alpaca assigned. */
export interface EarlyAssignment {
  positionId: number | null;
  qty: number;
}

/** The positions with a short leg assigned early, as booked: neither marked nor closed as a whole spread. */
export const assignedEarlyIds = (rows: readonly EarlyAssignment[]): Set<number | null> =>
  new Set(rows.map((row) => row.positionId));

/** What the broker holds, by symbol (signed: short legs negative). */
export const heldBySymbol = (held: readonly { symbol: string; qty: number }[]): Map<string, number> =>
  new Map(held.map((p) => [p.symbol, p.qty]));

/** A position's early assignments together: the contracts assigned in all, and the first day. */
export interface AssignedSoFar {
  qty: number;
  activityDate: string;
}

/** The early assignments booked, summed by position (Alpaca may assign a short leg in parts). */
export function earlyByPosition(
  rows: readonly (EarlyAssignment & { activityDate: string })[],
): Map<number, AssignedSoFar> {
  const byPosition = new Map<number, AssignedSoFar>();
  for (const row of rows) {
    if (row.positionId === null) continue;
    const seen = byPosition.get(row.positionId);
    byPosition.set(row.positionId, {
      qty: (seen?.qty ?? 0) + row.qty,
      activityDate: seen && seen.activityDate < row.activityDate ? seen.activityDate : row.activityDate,
    });
  }
  return byPosition;
}

/**
 * Shares an assignment of `contracts` short contracts delivers: a short put assigned buys 100
 * shares a contract at its strike, a short call assigned sells them (short shares).
 */
export const assignedShares = (strategy: Strategy, contracts: number): number =>
  (strategy === "bull_put" ? 100 : -100) * contracts;

/**
 * The signed option quantities (short −n, long +n) the open positions should leave at the broker,
 * less the short contracts assigned early, and the shares those assignments delivered.
 */
export function expectedBook(
  spreads: readonly HeldSpread[],
  assignedEarly: readonly EarlyAssignment[],
): { legs: Map<string, number>; shares: Map<string, number> } {
  const assigned = new Map<number, number>();
  for (const a of assignedEarly)
    if (a.positionId !== null) assigned.set(a.positionId, (assigned.get(a.positionId) ?? 0) + a.qty);
  const legs = new Map<string, number>();
  const shares = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, qty: number) => map.set(key, (map.get(key) ?? 0) + qty);
  for (const p of spreads) {
    const gone = Math.min(assigned.get(p.id) ?? 0, p.contracts);
    add(legs, p.shortSymbol, gone - p.contracts);
    add(legs, p.longSymbol, p.contracts);
    if (gone > 0) add(shares, p.symbol, assignedShares(p.strategy, gone));
  }
  return { legs, shares };
}
