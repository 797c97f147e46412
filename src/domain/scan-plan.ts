// The scan's own decisions, pure: which ideas across the watchlist it posts (the best by score,
// at most the configured number), how many of them Claude may write within the invocation's
// subrequest budget, until when a recommendation may be approved, and the row each becomes.
// jobs/scan.ts reads the world, calls these, and writes what they return.
import type { EventsChecked } from "./events";
import { clientOrderId } from "./orders";
import { quotesAsOf, type SpreadCandidate } from "./screener";

/** The best ideas first, at most `max` of them; the rest lost the scan's last slot to a better one. */
export function rankIdeas<I extends { candidate: Pick<SpreadCandidate, "score"> }>(
  ideas: readonly I[],
  max: number,
): { chosen: I[]; crowdedOut: I[] } {
  const best = [...ideas].sort((a, b) => b.candidate.score - a.candidate.score);
  return { chosen: best.slice(0, max), crowdedOut: best.slice(max) };
}

/**
 * True when `slots` of the scores are above `bound`: an idea scoring at most `bound` would lose
 * the last slot to them (rankIdeas; on a tie the earlier idea keeps it, so a tie is not above).
 */
export function slotsFilledAbove(scores: readonly number[], slots: number, bound: number): boolean {
  return scores.filter((score) => score > bound).length >= slots;
}

/** A Claude call's subrequests: D1 read, KV read and write, the API call, D1 write (analyst/claude.ts). */
export const SUBREQUESTS_PER_CLAUDE_CALL = 5;
/**
 * D1, KV and R2 operations of a whole scan besides its Claude calls: the run's claim, the opening
 * read (store/scan-book.ts), the day's IVs, the inserts, the message ids, the run's end (one D1
 * batch each) and the R2 archive: 7 on the sandbox's 10 symbols (scan-budget.test.ts, which fails
 * when this falls behind). 2 to spare: a /scan's own interaction record and reply edit (the
 * invocation's, not counted in `spent`), a Claude call's retry, or the retries of a read made at
 * the budget's edge (readsLeft is asked before a request, not before the SDK's retries of it).
 */
export const SCAN_STORAGE_OPS = 9;

/** A once-a-day notice: the KV mark's read and write, and the post (store/kv-state.ts postOncePerDay). */
export const NOTICE_OPS = 3;

export interface ReadBudget {
  /** Subrequests the invocation has spent so far. */
  spent: number;
  /** The Worker's subrequests per invocation (SUBREQUEST_BUDGET). */
  budget: number;
  /** The ideas it may post (MAX_RECOMMENDATIONS_PER_SCAN, or fewer symbols): a post each, and a listing each while chains are read. */
  slots: number;
  /** Whether open-interest listings are still to come (MIN_OPEN_INTEREST above 0, chains being read). */
  listingsToCome: boolean;
}

/**
 * Requests the scan's broker reads may still make: the budget less what was spent and what must
 * follow the reads whatever they find: the storage, a post a slot, a listing a slot while chains
 * are read, and the notice that the budget cut the scan short. Past the budget the Worker's next
 * fetch or D1 call throws, and the ideas already found would be lost with the run.
 */
export function readsLeft({ spent, budget, slots, listingsToCome }: ReadBudget): number {
  return budget - spent - SCAN_STORAGE_OPS - NOTICE_OPS - slots * (listingsToCome ? 2 : 1);
}

export interface SideSplitBudget {
  /** What readsLeft gives before this chain. */
  readsLeft: number;
  /** Chains still to read after this one. */
  chainsAfter: number;
  /** Ideas Claude would write, a call each (0 without Claude: the rules cost nothing). */
  claudeIdeas: number;
}

/** Requests a chain read by side is planned at: two sides, each with a second page. */
export const REQUESTS_PER_SIDED_CHAIN = 4;

/**
 * Whether a chain may be fetched as a put and a call request (chain-interest.ts sideStrikes): a
 * request more for a chain of one page, and about a fifth less of the scan's CPU (BENCHMARKS.md).
 * Only when the budget would still hold this chain and every one after it read by side at
 * REQUESTS_PER_SIDED_CHAIN, beside Claude for every slot, so that splitting does not spend what
 * a later chain or a thesis is planned to get (a chain of more pages than planned takes from the
 * later ones, read by side or whole). On the paid plan (SUBREQUEST_BUDGET=1000) every chain comes
 * by side; on the free plan's 50 a 10-symbol scan reads its chains whole, as far as the last few.
 */
export function chainBySide({ readsLeft, chainsAfter, claudeIdeas }: SideSplitBudget): boolean {
  return readsLeft - claudeIdeas * SUBREQUESTS_PER_CLAUDE_CALL >= REQUESTS_PER_SIDED_CHAIN * (chainsAfter + 1);
}

export interface AnalystBudget {
  /** Whether Claude is configured at all: without it the rules write every idea, at no cost. */
  claude: boolean;
  ideas: number;
  /** Subrequests the invocation has spent so far (the broker's, and any job's before the scan). */
  spent: number;
  /** The Worker's subrequests per invocation (50 on the free plan). */
  budget: number;
}

/**
 * How many ideas (the best first) Claude may write: what is left of the budget after what was
 * spent, the scan's storage and one post per idea, at SUBREQUESTS_PER_CLAUDE_CALL a call.
 */
export function claudeCallsWithinBudget({ claude, ideas, spent, budget }: AnalystBudget): number {
  if (!claude) return ideas;
  const left = budget - spent - SCAN_STORAGE_OPS - ideas;
  return Math.max(0, Math.min(ideas, Math.floor(left / SUBREQUESTS_PER_CLAUDE_CALL)));
}

/** Approvable for the configured minutes, never past the close: a day order after it would wait at a stale price. */
export function recommendationExpiry(now: number, ttlMinutes: number, nextClose: number): number {
  return Math.min(now + ttlMinutes * 60_000, nextClose);
}

export interface RecommendationInput {
  id: string;
  now: number;
  scanRunId: number | null;
  candidate: SpreadCandidate;
  /** The underlying's price the idea was found at. */
  underlyingPrice: number;
  /** Days of IV history behind the candidate's IV rank (null: no rank). */
  ivRankDays: number | null;
  events: EventsChecked;
  sizing: { contracts: number; maxContracts: number };
  thesis: { author: string; thesis: string; confidence: number; risks: string[] };
  expiresAt: number;
  /** The chance of being in profit at the bot's time exit (screener.ts profitAtExitProbability), or null. */
  profitAtExitProbability: number | null;
}

/** The pending recommendation an idea becomes: its prices, odds, size and thesis, as stored and posted. */
export function recommendationRow(input: RecommendationInput) {
  const { id, now, candidate: c, sizing, thesis } = input;
  return {
    id,
    createdAt: now,
    updatedAt: now,
    scanRunId: input.scanRunId,
    symbol: c.underlying,
    strategy: c.strategy,
    expiration: c.expiration,
    shortSymbol: c.short.symbol,
    longSymbol: c.long.symbol,
    shortStrike: c.short.strike,
    longStrike: c.long.strike,
    width: c.width,
    underlyingPrice: input.underlyingPrice,
    credit: c.credit,
    shortDelta: c.shortDelta,
    maxLoss: c.maxLoss,
    breakeven: c.breakeven,
    probabilityOfProfit: c.probabilityOfProfit,
    midCredit: c.midCredit,
    naturalCredit: c.naturalCredit,
    edge: c.edge,
    referenceVolatility: c.referenceVolatility,
    profitAtExitProbability: input.profitAtExitProbability,
    ivRank: c.ivRank,
    ivRankDays: input.ivRankDays,
    quotesAt: quotesAsOf(c),
    events: input.events,
    score: c.score,
    contracts: sizing.contracts,
    maxContracts: sizing.maxContracts,
    analyst: thesis.author,
    thesis: thesis.thesis,
    confidence: thesis.confidence,
    risks: thesis.risks,
    status: "pending" as const,
    expiresAt: input.expiresAt,
    clientOrderId: clientOrderId(id, "open"),
  };
}
