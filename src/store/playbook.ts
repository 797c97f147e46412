// The playbook that learns: a review per closed position (reflection and lesson) and the rules,
// proposed by the end of day from those reviews or added by a person. A person's change to a
// rule and its audit row are written in one batch: no change without its record.
import { and, asc, desc, eq, gte, isNull, ne, sql } from "drizzle-orm";
import {
  auditLog,
  type PlaybookRuleRow,
  playbookRules,
  positions,
  recommendations,
  type TradeReviewRow,
  tradeReviews,
} from "../../drizzle/schema";
import type { RuleProposal } from "../domain/playbook";
import { changes, type Db } from "./db";

/** What a review is written from: the closed position and the idea it was opened on. */
export type ClosedForReview = Awaited<ReturnType<ReturnType<typeof playbookStore>["unreviewed"]>>[number];

export interface PersonsChange {
  actor: string;
  interactionId: string;
  now: number;
}

/** The latest reviews, newest closed first. */
export const latestReviews = (db: Db, limit: number) =>
  db.select().from(tradeReviews).orderBy(desc(tradeReviews.closedDay), desc(tradeReviews.positionId)).limit(limit);

/** The rules in force: what the analyst is given. */
export const activeRules = (db: Db) => db.select().from(playbookRules).where(eq(playbookRules.status, "active"));

/** How many of the latest reviews a scan's analyst may draw on. */
export const REVIEWS_FOR_ANALYSIS = 200;

export function playbookStore(db: Db) {
  return {
    /** Closed positions without a review yet, the earliest closed first. */
    async unreviewed(limit: number) {
      return db
        .select({
          position: positions,
          idea: {
            ivRank: recommendations.ivRank,
            probabilityOfProfit: recommendations.probabilityOfProfit,
            shortDelta: recommendations.shortDelta,
          },
        })
        .from(positions)
        .innerJoin(recommendations, eq(recommendations.id, positions.recommendationId))
        .leftJoin(tradeReviews, eq(tradeReviews.positionId, positions.id))
        .where(and(eq(positions.status, "closed"), isNull(tradeReviews.positionId)))
        .orderBy(asc(positions.closedAt), asc(positions.id))
        .limit(limit)
        .all();
    },

    /** Keeps a review once: false when the position already has one (a rerun wrote it). */
    async addReview(row: TradeReviewRow): Promise<boolean> {
      const inserted = await db
        .insert(tradeReviews)
        .values(row)
        .onConflictDoNothing()
        .returning({ id: tradeReviews.positionId })
        .all();
      return inserted.length === 1;
    },

    /** The latest reviews, newest first: what proposals and retrieval read. */
    async reviews(limit = 500): Promise<TradeReviewRow[]> {
      return latestReviews(db, limit).all();
    },

    /** Reviews written and rules proposed from `since` on (the Friday review names the rules). */
    async learnedSince(since: number): Promise<{ reviewed: number; proposed: PlaybookRuleRow[] }> {
      const [reviewed, proposed] = await Promise.all([
        db.$count(tradeReviews, gte(tradeReviews.createdAt, since)),
        db
          .select()
          .from(playbookRules)
          .where(and(eq(playbookRules.createdBy, PROPOSED_BY), gte(playbookRules.createdAt, since)))
          .orderBy(asc(playbookRules.id))
          .all(),
      ]);
      return { reviewed, proposed };
    },

    /** Every rule: the active first, then the retired, oldest first within each. */
    async rules(): Promise<PlaybookRuleRow[]> {
      return db.select().from(playbookRules).orderBy(asc(playbookRules.status), asc(playbookRules.id)).all();
    },

    async rule(id: number): Promise<PlaybookRuleRow | undefined> {
      return db.select().from(playbookRules).where(eq(playbookRules.id, id)).get();
    },

    /** Every proposal key ever written, retired ones included: a retired proposal stays retired. */
    async proposalKeys(): Promise<Set<string>> {
      const rows = await db.select({ key: playbookRules.proposalKey }).from(playbookRules).all();
      return new Set(rows.flatMap((r) => (r.key === null ? [] : [r.key])));
    },

    /** Writes the end of day's proposals as active rules, in one batch; returns those it wrote. */
    async propose(proposals: readonly RuleProposal[], now: number): Promise<PlaybookRuleRow[]> {
      const [first, ...rest] = proposals.map((p) =>
        db
          .insert(playbookRules)
          .values({
            rule: p.rule,
            symbol: p.symbol,
            strategy: p.strategy,
            ivRegime: p.ivRegime,
            supportingTrades: p.supportingTrades,
            proposalKey: p.key,
            createdBy: PROPOSED_BY,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning(),
      );
      if (!first) return [];
      return (await db.batch([first, ...rest])).flat();
    },

    /** A person's rule, with its audit row, in one batch. */
    async add(
      rule: Pick<PlaybookRuleRow, "rule" | "symbol" | "strategy" | "ivRegime">,
      by: PersonsChange,
    ): Promise<PlaybookRuleRow> {
      const [rows] = await db.batch([
        db
          .insert(playbookRules)
          .values({ ...rule, createdBy: by.actor, createdAt: by.now })
          .returning(),
        db.insert(auditLog).values({
          at: by.now,
          actor: by.actor,
          action: "playbook_add",
          interactionId: by.interactionId,
          outcome: "added",
          detail: { ...rule },
        }),
      ]);
      const [row] = rows;
      if (!row) throw new Error("playbook rule insert returned no row");
      return row;
    },

    /**
     * Retires or restores a rule. The change (only if the rule is not already so) and its audit
     * row go in one batch; `changed` is false when the rule was already in that state.
     */
    async setStatus(
      id: number,
      to: PlaybookRuleRow["status"],
      by: PersonsChange,
    ): Promise<{ changed: boolean; rule: PlaybookRuleRow | undefined }> {
      const [result, , rows] = await db.batch([
        db
          .update(playbookRules)
          .set({ status: to, changedBy: by.actor, changedAt: by.now })
          .where(and(eq(playbookRules.id, id), ne(playbookRules.status, to))),
        db.insert(auditLog).values({
          at: by.now,
          actor: by.actor,
          action: to === "retired" ? "playbook_retire" : "playbook_restore",
          interactionId: by.interactionId,
          // SQLite's changes() is the row count of the UPDATE just before it in this batch.
          outcome: sql`case when changes() = 1 then ${to} else 'unchanged' end`,
          detail: { ruleId: id },
        }),
        db.select().from(playbookRules).where(eq(playbookRules.id, id)),
      ]);
      return { changed: changes(result) === 1, rule: rows[0] };
    },
  };
}

export const PROPOSED_BY = "end of day";
