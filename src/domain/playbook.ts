// The playbook's judgement, pure: the IV regime a trade was opened in, the rules the end of day
// proposes from the desk's reviewed trades, and which rules and lessons a new idea's analyst reads.
//
// Relevance, for an idea (symbol, strategy, IV regime, DTE):
//   rules    an active rule applies when every scope it names matches the idea (a rule with no
//            symbol is for every symbol); the most specific first, then the newest
//   lessons  scored 3 for the same symbol, 2 for the same strategy, 1 for the same IV regime and
//            1 for a DTE at entry within LESSON_DTE_BAND days; a lesson needs 4 to count: the same
//            symbol and one more, or another symbol's lesson of the same strategy, IV regime and
//            DTE; the highest scores first, then the latest closed
import { signedUsd as money } from "./format";
import type { Strategy } from "./recommendation-state";

export const IV_REGIMES = ["low", "normal", "high"] as const;
export type IvRegime = (typeof IV_REGIMES)[number];

/** Below it, premium is thin for the risk (the rule-based analyst's "low IV rank" risk). */
export const LOW_IV_RANK = 30;
/** From it, IV is rich against its own past year. */
export const HIGH_IV_RANK = 50;

/** The IV regime of a rank (0..100); null when the rank is unknown. */
export function ivRegime(rank: number | null): IvRegime | null {
  if (rank === null || !Number.isFinite(rank)) return null;
  return rank < LOW_IV_RANK ? "low" : rank < HIGH_IV_RANK ? "normal" : "high";
}

export type TradeOutcome = "win" | "loss" | "scratch";

export function outcomeOf(realizedPl: number): TradeOutcome {
  return realizedPl > 0 ? "win" : realizedPl < 0 ? "loss" : "scratch";
}

/** A closed trade with its lesson: what proposals group and what retrieval picks from. */
export interface ReviewedTrade {
  positionId: number;
  symbol: string;
  strategy: Strategy;
  ivRegime: IvRegime | null;
  /** Days to expiration when it was opened. */
  dte: number;
  realizedPl: number;
  /** Trading day it closed. */
  closedDay: string;
  lesson: string;
}

export interface RuleScope {
  symbol: string | null;
  strategy: Strategy | null;
  ivRegime: IvRegime | null;
}

export interface ActiveRule extends RuleScope {
  id: number;
  rule: string;
  supportingTrades: number[];
  createdAt: number;
}

export interface RuleProposal extends RuleScope {
  /** The same evidence proposes the same key: a key once proposed (even retired) is not proposed again. */
  key: string;
  rule: string;
  supportingTrades: number[];
}

/** Fewest reviewed trades of one kind before the end of day proposes a rule about them. */
export const MIN_TRADES_FOR_RULE = 3;
/** A "keep doing it" rule needs this many trades and this win rate: one good week is not an edge. */
export const MIN_TRADES_TO_FAVOUR = 4;
export const FAVOUR_WIN_RATE = 0.75;
export const LESSON_DTE_BAND = 10;

const STRATEGY_WORDS: Record<Strategy, string> = { bull_put: "bull puts", bear_call: "bear calls" };

/**
 * Rules the reviewed trades support and `known` does not hold yet. A group (symbol and strategy,
 * narrowed to an IV regime where one is known) with at least MIN_TRADES_FOR_RULE trades, at least
 * two of them losses and a negative expectancy asks for care; one with MIN_TRADES_TO_FAVOUR trades,
 * a FAVOUR_WIN_RATE win rate and a positive expectancy has earned a "keep doing it". The narrower
 * group speaks first: its broader group proposes nothing in the same direction in the same run.
 */
export function proposeRules(reviews: readonly ReviewedTrade[], known: ReadonlySet<string>): RuleProposal[] {
  const groups = new Map<string, { scope: RuleScope; trades: ReviewedTrade[] }>();
  const add = (scope: RuleScope, trade: ReviewedTrade) => {
    const id = scopeKey(scope);
    const group = groups.get(id) ?? { scope, trades: [] };
    group.trades.push(trade);
    groups.set(id, group);
  };
  for (const t of reviews) {
    if (t.ivRegime !== null) add({ symbol: t.symbol, strategy: t.strategy, ivRegime: t.ivRegime }, t);
    add({ symbol: t.symbol, strategy: t.strategy, ivRegime: null }, t);
  }
  const ordered = [...groups.values()].sort(
    (a, b) =>
      Number(b.scope.ivRegime !== null) - Number(a.scope.ivRegime !== null) ||
      scopeKey(a.scope).localeCompare(scopeKey(b.scope)),
  );
  const spoken = new Set<string>();
  const proposals: RuleProposal[] = [];
  for (const { scope, trades } of ordered) {
    const direction = verdict(trades);
    if (direction === null) continue;
    const broad = `${direction}|${scope.symbol}|${scope.strategy}`;
    if (spoken.has(broad)) continue;
    spoken.add(broad);
    const key = `${direction}|${scopeKey(scope)}`;
    if (known.has(key)) continue;
    proposals.push({
      key,
      ...scope,
      rule: ruleText(direction, scope, trades),
      supportingTrades: trades.map((t) => t.positionId).sort((a, b) => a - b),
    });
  }
  return proposals;
}

type Direction = "avoid" | "favour";

function verdict(trades: readonly ReviewedTrade[]): Direction | null {
  if (trades.length < MIN_TRADES_FOR_RULE) return null;
  const { wins, losses, pl } = tally(trades);
  if (losses >= 2 && pl < 0) return "avoid";
  if (trades.length >= MIN_TRADES_TO_FAVOUR && wins / trades.length >= FAVOUR_WIN_RATE && pl > 0) return "favour";
  return null;
}

function tally(trades: readonly ReviewedTrade[]) {
  const wins = trades.filter((t) => t.realizedPl > 0).length;
  const losses = trades.filter((t) => t.realizedPl < 0).length;
  const pl = Math.round(trades.reduce((s, t) => s + t.realizedPl, 0) * 100) / 100;
  return { wins, losses, pl };
}

function ruleText(direction: Direction, scope: RuleScope, trades: readonly ReviewedTrade[]): string {
  const { wins, losses, pl } = tally(trades);
  const what = `${scope.symbol ?? "all"} ${scope.strategy ? STRATEGY_WORDS[scope.strategy] : "spreads"}${
    scope.ivRegime ? ` at ${scope.ivRegime} IV rank` : ""
  }`;
  const record = `${trades.length} trades, ${wins} won, ${losses} lost, ${money(pl)} (expectancy ${money(pl / trades.length)} a trade)`;
  return direction === "avoid"
    ? `Be wary of ${what}: ${record}. Ask for more credit or a farther short strike, or pass.`
    : `${capitalize(what)} have worked: ${record}. Keep the same filters.`;
}

/** The rules that apply to an idea, the most specific first, then the newest. */
export function relevantRules(idea: IdeaContext, rules: readonly ActiveRule[], limit: number): ActiveRule[] {
  return rules
    .filter(
      (r) =>
        (r.symbol === null || r.symbol === idea.symbol) &&
        (r.strategy === null || r.strategy === idea.strategy) &&
        (r.ivRegime === null || r.ivRegime === idea.ivRegime),
    )
    .sort((a, b) => specificity(b) - specificity(a) || b.createdAt - a.createdAt || b.id - a.id)
    .slice(0, limit);
}

const specificity = (r: RuleScope) =>
  (r.symbol === null ? 0 : 2) + (r.strategy === null ? 0 : 2) + (r.ivRegime === null ? 0 : 1);

export interface IdeaContext {
  symbol: string;
  strategy: Strategy;
  ivRegime: IvRegime | null;
  dte: number;
}

/** Relevance of a closed trade's lesson to an idea (see the header). */
export function lessonScore(idea: IdeaContext, trade: ReviewedTrade): number {
  return (
    (trade.symbol === idea.symbol ? 3 : 0) +
    (trade.strategy === idea.strategy ? 2 : 0) +
    (idea.ivRegime !== null && trade.ivRegime === idea.ivRegime ? 1 : 0) +
    (Math.abs(trade.dte - idea.dte) <= LESSON_DTE_BAND ? 1 : 0)
  );
}

export const MIN_LESSON_SCORE = 4;

export function relevantLessons(idea: IdeaContext, reviews: readonly ReviewedTrade[], limit: number): ReviewedTrade[] {
  return reviews
    .map((trade) => ({ trade, score: lessonScore(idea, trade) }))
    .filter((s) => s.score >= MIN_LESSON_SCORE)
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.trade.closedDay.localeCompare(a.trade.closedDay) ||
        b.trade.positionId - a.trade.positionId,
    )
    .slice(0, limit)
    .map((s) => s.trade);
}

/** The playbook lines an idea's analyst reads: the rules that apply, then the closest lessons. */
export function playbookFor(
  idea: IdeaContext,
  rules: readonly ActiveRule[],
  reviews: readonly ReviewedTrade[],
  limits = { rules: 5, lessons: 5 },
): string[] {
  return [
    ...relevantRules(idea, rules, limits.rules).map(
      (r) => `Rule ${r.id}${r.supportingTrades.length ? ` (${r.supportingTrades.length} trades)` : ""}: ${r.rule}`,
    ),
    ...relevantLessons(idea, reviews, limits.lessons).map(
      (t) =>
        `Lesson from ${t.symbol} ${STRATEGY_WORDS[t.strategy].slice(0, -1)} #${t.positionId} (closed ${t.closedDay}, ${money(t.realizedPl)}): ${t.lesson}`,
    ),
  ];
}

function scopeKey(scope: RuleScope): string {
  return `${scope.symbol ?? "*"}|${scope.strategy ?? "*"}|${scope.ivRegime ?? "*"}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
