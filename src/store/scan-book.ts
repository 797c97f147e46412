// What a scan reads before it screens, in one D1 round trip (as the monitor's opening read,
// monitor-book.ts), where it took six: first it expires the ideas whose time is up (as the
// monitor does, so that an idea nobody swept, after hours or in a monitor's outage, does not keep
// its symbol from the scan), then the breaker's state, the ideas and positions that keep a
// symbol from being offered again, the load the total-risk limit counts, the playbook the
// analyst writes with and each watchlist symbol's IV history. On the free plan every round trip
// is a subrequest of the scan's 50, and each costs CPU to send and read.
import type { PlaybookRuleRow, PositionRow, RecommendationRow, TradeReviewRow } from "../../drizzle/schema";
import type { EntryLoad } from "../domain/breakers";
import { LIVE_STATUSES } from "../domain/recommendation-state";
import { type BreakerSnapshot, breakerSnapshotOf, breakerStateRows } from "./breakers";
import type { Db } from "./db";
import { ivHistoriesOf, newestIvs } from "./iv-history";
import { activeRules, latestReviews, REVIEWS_FOR_ANALYSIS } from "./playbook";
import { activePositions } from "./positions";
import { entryLoadOf, entryLoadQuery, expireDueRecommendations, recommendationsWithStatus } from "./recommendations";

export interface ScanBook {
  /** Pending recommendations whose time was up: this read expired them (their cards still say pending). */
  expired: RecommendationRow[];
  /** The breaker's authoritative state. */
  breaker: BreakerSnapshot;
  /** Ideas waiting for a person or being placed. */
  live: RecommendationRow[];
  /** Open and closing positions. */
  held: PositionRow[];
  /** Positions and entries in flight, as the total-risk limit counts them. */
  committed: EntryLoad;
  /** The active rules and the latest reviews (actions/playbook.ts). */
  playbook: { rules: PlaybookRuleRow[]; reviews: TradeReviewRow[] };
  /** Each symbol's newest `ivDays` IVs, newest first (symbols without any are absent). */
  ivHistories: Map<string, number[]>;
}

export function scanBookStore(db: Db) {
  return {
    async open(watchlist: string[], ivDays: number, now: number): Promise<ScanBook> {
      // D1 runs a batch's statements in order: the reads after the expiry see it.
      const [expired, state, live, held, load, rules, reviews, ivs] = await db.batch([
        expireDueRecommendations(db, now),
        breakerStateRows(db),
        recommendationsWithStatus(db, LIVE_STATUSES),
        activePositions(db),
        entryLoadQuery(db, null),
        activeRules(db),
        latestReviews(db, REVIEWS_FOR_ANALYSIS),
        newestIvs(db, watchlist, ivDays),
      ]);
      return {
        expired,
        breaker: breakerSnapshotOf(state),
        live,
        held,
        committed: entryLoadOf(load),
        playbook: { rules, reviews },
        ivHistories: ivHistoriesOf(ivs),
      };
    },
  };
}
