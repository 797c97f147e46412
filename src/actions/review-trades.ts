// The playbook learning, run by the end of day: each closed trade gets a review (a reflection and
// a lesson, from Claude when configured, else the rules: the author says which), and the reviews
// propose rules (src/domain/playbook.ts), written active with the trades that support them.
import type { TradeReviewRow } from "../../drizzle/schema";
import type { ClosedTradeForReview } from "../analyst/port";
import type { App } from "../app";
import { daysToExpiration, tradingDay } from "../domain/market-time";
import { ivRegime, outcomeOf, proposeRules } from "../domain/playbook";
import type { ClosedForReview } from "../store/playbook";

/**
 * Reviews a run writes at most. A Claude review is about 6 subrequests (the spend ledger, the rate
 * limiter, the call, its record, the row), and the end of day shares one invocation's 50 on the
 * free plan with the summary, the reflection and the backup: 2 with Claude, 5 by the rules (one
 * insert each). The rest wait for the next run, oldest first.
 */
export const REVIEWS_PER_RUN = { claude: 2, rules: 5 } as const;

export async function reviewClosedTrades(
  app: App,
  now: number,
  limit = app.config.analyst.apiKey ? REVIEWS_PER_RUN.claude : REVIEWS_PER_RUN.rules,
): Promise<TradeReviewRow[]> {
  const written: TradeReviewRow[] = [];
  for (const closed of await app.playbook.unreviewed(limit)) {
    const trade = tradeForReview(closed);
    // The analyst falls back to the rules itself: a review always comes back.
    const review = await app.analyst.review(trade);
    const row: TradeReviewRow = {
      positionId: trade.positionId,
      symbol: trade.symbol,
      strategy: trade.strategy,
      ivRegime: ivRegime(trade.ivRank),
      dte: trade.dteAtEntry,
      outcome: outcomeOf(trade.realizedPl),
      realizedPl: trade.realizedPl,
      closedDay: tradingDay(closed.position.closedAt ?? now),
      reflection: review.reflection,
      lesson: review.lesson,
      author: review.author,
      createdAt: now,
    };
    if (await app.playbook.addReview(row)) written.push(row);
  }
  return written;
}

/** Proposes the rules the reviews now support and have not proposed before. */
export async function proposePlaybookRules(app: App, now: number) {
  const [reviews, known] = await Promise.all([app.playbook.reviews(), app.playbook.proposalKeys()]);
  return app.playbook.propose(proposeRules(reviews, known), now);
}

function tradeForReview({ position: p, idea }: ClosedForReview): ClosedTradeForReview {
  const opened = p.openedContracts ?? p.contracts;
  const closedAt = p.closedAt ?? p.updatedAt;
  return {
    positionId: p.id,
    symbol: p.symbol,
    strategy: p.strategy,
    expiration: p.expiration,
    shortStrike: p.shortStrike,
    longStrike: p.longStrike,
    contracts: opened,
    entryCredit: p.entryCredit,
    closePrice: p.closePrice,
    realizedPl: p.realizedPl ?? 0,
    // A closed row's max loss is the whole trade's (store/positions.ts bookCloseFill, settle).
    maxLoss: p.maxLoss,
    closeReason: p.closeReason ?? "manual",
    dteAtEntry: daysToExpiration(p.expiration, p.openedAt),
    daysHeld: calendarDays(tradingDay(p.openedAt), tradingDay(closedAt)),
    ivRank: idea.ivRank,
    probabilityOfProfit: idea.probabilityOfProfit,
    shortDelta: idea.shortDelta,
  };
}

function calendarDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
