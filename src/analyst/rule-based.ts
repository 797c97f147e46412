// The analyst that needs no key: a thesis written from the idea's own numbers, the same words
// for the same numbers. It is what the sandbox uses, and what takes over when Claude cannot
// answer, so it states plainly what it did not check.
import { OUTSIDE_CLOSE } from "../domain/closed-outside";
import { signedUsd as money, usd } from "../domain/format";
import { normalCdf } from "../domain/option-math";
import { ivRegime } from "../domain/playbook";
import { optionTypeOf } from "../domain/recommendation-state";
import type {
  Analyst,
  ClosedTradeForReview,
  DaySummaryForReflection,
  IdeaForAnalysis,
  Thesis,
  TradeReview,
} from "./port";

export const RULES_AUTHOR = "Rule-based analyst";
const MAX_RISKS = 5;
const MAX_TEXT = 600;

/** What the thesis and the confidence are computed from. */
export interface IdeaFigures {
  creditToWidth: number;
  /** Signed distance of the short strike from the price, in % of the price: > 0 is out of the money. */
  distancePct: number;
  /** The same distance in expected moves to expiry (1 standard deviation), or null if unknown. */
  expectedMoves: number | null;
}

export function ideaFigures(idea: IdeaForAnalysis): IdeaFigures {
  const signed =
    idea.strategy === "bull_put" ? idea.underlyingPrice - idea.shortStrike : idea.shortStrike - idea.underlyingPrice;
  return {
    creditToWidth: idea.width > 0 ? idea.credit / idea.width : 0,
    distancePct: (signed / idea.underlyingPrice) * 100,
    expectedMoves: expectedMoves(idea, signed),
  };
}

/**
 * From the short leg's IV when known (move = price × IV × √(DTE/365)); otherwise from its delta,
 * whose |Δ| is close to the chance of finishing past the strike, i.e. N(-z) for z moves away.
 */
function expectedMoves(idea: IdeaForAnalysis, signedDistance: number): number | null {
  const iv = idea.impliedVolatility;
  if (iv != null && iv > 0 && idea.dte > 0)
    return signedDistance / (idea.underlyingPrice * iv * Math.sqrt(idea.dte / 365));
  const delta = idea.shortDelta == null ? null : Math.abs(idea.shortDelta);
  if (delta != null && delta > 0 && delta < 1) return inverseNormal(1 - delta);
  return null;
}

/** Bisection on the CDF: plenty precise for a sentence, and deterministic. */
function inverseNormal(p: number): number {
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function ruleBasedConfidence(idea: IdeaForAnalysis, f: IdeaFigures = ideaFigures(idea)): number {
  let c = 0.5;
  if (idea.probabilityOfProfit != null) c += (idea.probabilityOfProfit - 0.6) * 0.8;
  c += (f.creditToWidth - 0.25) * 0.6;
  if (f.expectedMoves == null) c -= 0.05;
  else if (f.expectedMoves >= 1) c += 0.1;
  else if (f.expectedMoves < 0.5) c -= 0.15;
  if (idea.ivRank == null) c -= 0.05;
  else if (idea.ivRank >= 50) c += 0.05;
  else if (idea.ivRank < 20) c -= 0.05;
  if (idea.dte < 14) c -= 0.1;
  return Math.round(Math.min(0.95, Math.max(0.05, c)) * 100) / 100;
}

export function ruleBasedRisks(idea: IdeaForAnalysis, f: IdeaFigures = ideaFigures(idea)): string[] {
  const risks: string[] = [];
  if (f.distancePct <= 0) risks.push("short strike already in the money");
  else if (f.expectedMoves != null && f.expectedMoves < 1) risks.push("short strike within 1 expected move");
  if (idea.ivRank == null) risks.push("IV rank unavailable");
  else if (idea.ivRank < 30) risks.push(`low IV rank (${idea.ivRank.toFixed(0)}): thin premium for the risk`);
  // The scan checks ex-dividend dates and BLACKOUT_DATES (the card lists them); nothing else.
  risks.push("earnings and news not checked beyond BLACKOUT_DATES");
  if (idea.probabilityOfProfit == null) risks.push("probability of profit unavailable");
  if (f.creditToWidth < 0.2) risks.push(`thin credit: ${pct(f.creditToWidth)} of width`);
  if (idea.dte < 14) risks.push(`short time to expiry (${idea.dte} DTE): gamma risk`);
  if (f.expectedMoves == null) risks.push("expected move unknown (no IV or delta)");
  return risks.slice(0, MAX_RISKS);
}

export function ruleBasedThesis(idea: IdeaForAnalysis, author = RULES_AUTHOR): Thesis {
  const f = ideaFigures(idea);
  const name = idea.strategy === "bull_put" ? "bull put" : "bear call";
  const side = idea.strategy === "bull_put" ? "below" : "above";
  const where =
    f.distancePct > 0
      ? `Short strike ${f.distancePct.toFixed(1)}% ${side} the price`
      : `Short strike in the money (${Math.abs(f.distancePct).toFixed(1)}%)`;
  const moves = f.expectedMoves == null ? "expected move unknown" : `${f.expectedMoves.toFixed(2)} expected moves`;
  // The bot alerts to close at its time exit: the odds there are the ones the trade lives by.
  const exit = idea.profitAtExit
    ? `, ${pct(idea.profitAtExit.probability)} in profit at the ${idea.profitAtExit.exitDte}-DTE exit`
    : "";
  const parts = [
    `${idea.symbol} ${name} ${num(idea.shortStrike)}/${num(idea.longStrike)} exp ${idea.expiration} (${idea.dte} DTE):`,
    // Money rounded as the card rounds it (usd, not toFixed: 1.015 is $1.02 on both).
    `${usd(idea.credit)} credit on a $${num(idea.width)} wide spread (${pct(f.creditToWidth)} of width),`,
    `max loss ${usd(idea.maxLoss)}, breakeven ${usd(idea.breakeven)}.`,
    idea.probabilityOfProfit == null ? "POP unavailable." : `POP ${pct(idea.probabilityOfProfit)} at expiry${exit}.`,
    `${where} (${moves}).`,
    idea.ivRank == null ? "IV rank unavailable." : `IV rank ${idea.ivRank.toFixed(0)}.`,
  ];
  return {
    author,
    kind: "rules",
    thesis: clip(parts.join(" ")),
    confidence: ruleBasedConfidence(idea, f),
    risks: ruleBasedRisks(idea, f),
  };
}

export function ruleBasedReflection(day: DaySummaryForReflection): string {
  const closed = day.wins + day.losses;
  const record =
    closed > 0
      ? `${day.wins} win${day.wins === 1 ? "" : "s"}, ${day.losses} loss${day.losses === 1 ? "" : "es"}, win rate ${pct(day.wins / closed)}`
      : "no wins or losses";
  const lesson =
    day.tradesClosed === 0 && closed === 0
      ? "No positions closed, so no P/L lesson today."
      : day.losses > day.wins
        ? "Losses outnumbered wins: favour short strikes beyond one expected move and skip ideas without an IV rank."
        : day.realizedPl < 0
          ? "Losses were larger than wins: respect the stop and the credit-to-width floor."
          : "The rules held up: keep the same filters.";
  const notes = day.notes.length > 0 ? ` Notes: ${day.notes.join("; ")}.` : "";
  return clip(
    `${day.tradingDay}: realized P/L ${money(day.realizedPl)}; ${day.tradesOpened} opened, ${day.tradesClosed} closed (${record}). ${lesson}${notes}`,
  );
}

const CLOSE_WORDS: Record<string, string> = {
  profit_target: "at the profit target",
  stop_loss: "at the stop",
  time_exit: "at the time exit",
  expiry_day: "on expiry day",
  expiry_auto_close: "on expiry day (closed by the bot)",
  manual: "by hand",
  [OUTSIDE_CLOSE]: "at Alpaca (not by the bot)",
};

/**
 * A closed trade's reflection (what happened against what was expected) and lesson, from its
 * numbers alone: the same words for the same numbers.
 */
export function ruleBasedReview(t: ClosedTradeForReview, author = RULES_AUTHOR): TradeReview {
  const name = t.strategy === "bull_put" ? "bull put" : "bear call";
  const regime = ivRegime(t.ivRank);
  const opened = [
    `${t.dteAtEntry} DTE`,
    t.ivRank === null ? "no IV rank" : `IV rank ${t.ivRank.toFixed(0)} (${regime})`,
    t.probabilityOfProfit === null ? null : `POP ${pct(t.probabilityOfProfit)}`,
    t.shortDelta === null ? null : `short delta ${Math.abs(t.shortDelta).toFixed(2)}`,
  ].filter((x): x is string => x !== null);
  const how = CLOSE_WORDS[t.closeReason] ?? t.closeReason;
  const held = t.daysHeld === 0 ? "under a day" : `${t.daysHeld} day${t.daysHeld === 1 ? "" : "s"}`;
  const ofRisk = t.maxLoss > 0 ? ` (${pct(t.realizedPl / t.maxLoss)} of the ${usd(t.maxLoss)} at risk)` : "";
  const reflection = clip(
    `${t.symbol} ${name} ${num(t.shortStrike)}/${num(t.longStrike)} ×${t.contracts} for ${usd(t.entryCredit)}, opened at ${opened.join(", ")}; closed ${how} after ${held}: ${money(t.realizedPl)}${ofRisk}.`,
  );
  const at = regime ? ` at ${regime} IV rank` : " without an IV rank";
  let lesson: string;
  if (t.realizedPl > 0)
    lesson = `${t.symbol} ${name}s${at} paid ${usd(t.realizedPl)} in ${held}: the filters held; keep them.`;
  else if (t.realizedPl === 0)
    lesson = `A scratch: fees took what the ${name} made. Ask for a credit that pays for both fills.`;
  else if (t.closeReason === "stop_loss")
    lesson = `The stop held the ${name} loss to ${money(t.realizedPl)}. On ${t.symbol}${at}, ask for a farther short strike or more credit.`;
  else if (/assign|exercis/.test(t.closeReason))
    lesson = `Assigned: the short ${optionTypeOf(t.strategy)} finished in the money. Close ${t.symbol} spreads before expiry when the short is tested.`;
  else if (t.closeReason === "manual" || t.closeReason === OUTSIDE_CLOSE)
    // A person's exit before any rule called one: what it says is in why they closed, not in the setup.
    lesson = `Closed ${how} before any exit rule, at ${money(t.realizedPl)}: note why, and make it a rule if it should be one.`;
  else lesson = `${t.symbol} ${name}${at} lost ${money(t.realizedPl)} ${how}. Be slower to offer the same setup.`;
  return { author, reflection, lesson: clip(lesson) };
}

export function createRuleBasedAnalyst(): Analyst {
  return {
    analyse: async (idea) => ruleBasedThesis(idea),
    reflect: async (day) => ({ author: RULES_AUTHOR, content: ruleBasedReflection(day) }),
    review: async (trade) => ruleBasedReview(trade),
  };
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}
