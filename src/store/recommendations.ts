// Recommendations in D1. Every status change is one conditional UPDATE whose WHERE names the
// statuses the domain's state machine lets it leave (fromStatusesFor in
// src/domain/recommendation-state.ts): an illegal move, or one that lost a race, changes no row
// and answers false. `transition` is the one way to move a row (the claim is the way into
// approving, `expireDue` the expiry of unanswered ideas); `noteStatus`, `recordEntryPrice` and
// `walkTo` write a row only while it is still in the status named, and never move it.
import { and, asc, desc, eq, gt, inArray, lte, type SQL, sql } from "drizzle-orm";
import {
  auditLog,
  LIVE_IDEA_WHERE,
  type NewAudit,
  type NewRecommendation,
  type RecommendationRow,
  type RecommendationStatus,
  recommendations,
} from "../../drizzle/schema";
import { ENTRY_IN_FLIGHT, type EntryLimits, type EntryLoad, RISK_TOLERANCE } from "../domain/breakers";
import { tradingDay } from "../domain/market-time";
import {
  type FromStatus,
  fromStatusesFor,
  type LiveStatus,
  type ReachableStatus,
} from "../domain/recommendation-state";
import { batchPrepared, changes, type Db, perDatabase, type SqlValues, sqlPlaceholders, sqlValues } from "./db";
import { recordedEquitySql } from "./performance";
import { type Seen, seenStatements } from "./seen-interactions";

export type RecommendationPatch = Partial<
  Pick<
    RecommendationRow,
    | "statusReason"
    | "brokerOrderId"
    | "limitPrice"
    | "filledContracts"
    | "fillCredit"
    | "limitWalk"
    | "limitFloor"
    | "contracts"
    | "decidedBy"
    | "decidedAt"
    | "discordChannelId"
    | "discordMessageId"
  >
>;

/** A status `transition` may move a row to: approving is entered only by the claim. */
export type TransitionTarget = Exclude<ReachableStatus, "approving">;

/**
 * The WHERE on status for a move to `to`: the domain's from-statuses, or the part of them a
 * caller narrowed to (narrowing can only drop statuses, never add one the table lacks).
 */
function leaving<To extends ReachableStatus>(to: To, onlyFrom?: readonly FromStatus<To>[]) {
  const legal = fromStatusesFor(to);
  return inArray(recommendations.status, onlyFrom ? legal.filter((s) => onlyFrom.includes(s)) : legal);
}

/** Recommendations in these statuses, oldest first (at most `limit`). */
export const recommendationsWithStatus = (db: Db, statuses: readonly RecommendationStatus[], limit = 100) =>
  db
    .select()
    .from(recommendations)
    .where(inArray(recommendations.status, [...statuses]))
    .orderBy(asc(recommendations.createdAt))
    .limit(limit);

/** What is committed beside an entry (see the store's entryLoad), as one row: read it with entryLoadOf. */
export const entryLoadQuery = (db: Db, excludeId: string | null) =>
  db.select(loadFields(entryLoadSql(excludeId === null ? null : sql`${excludeId}`))).from(sql`(select 1)`);

/** The committed load from entryLoadQuery's rows (it always returns exactly one). */
export function entryLoadOf([row]: EntryLoad[]): EntryLoad {
  if (!row) throw new Error("the entry load query returned no row");
  return row;
}

/** Expires the pending recommendations whose time is up (recommendationStore.expireDue), returning them. */
export const expireDueRecommendations = (db: Db, now: number | SQL) =>
  db
    .update(recommendations)
    .set({ status: "expired", statusReason: "Nobody decided before it expired.", updatedAt: now })
    .where(and(leaving("expired", ["pending"]), lte(recommendations.expiresAt, now)))
    .returning();

export function recommendationStore(db: Db) {
  /** Writes `patch` while the row is still `status`; its status stays. True when a row changed. */
  const noteStatus = async (id: string, status: LiveStatus, now: number, patch: RecommendationPatch) => {
    const result = await db
      .update(recommendations)
      .set({ ...patch, updatedAt: now })
      .where(and(eq(recommendations.id, id), eq(recommendations.status, status)))
      .run();
    return changes(result) === 1;
  };

  return {
    /**
     * Stores new ideas; a symbol that already has a live one (another scan got there first)
     * is skipped by the unique index, not duplicated. Returns the rows actually stored.
     */
    async insert(rows: NewRecommendation[]): Promise<RecommendationRow[]> {
      // One atomic batch, one round trip. Only the one-live-idea index is a quiet skip (its
      // conflict target, with the index's WHERE, and an update that never applies: SQLite's
      // "do nothing" for a partial index, which drizzle's onConflictDoNothing cannot write).
      // Any other conflict (a client order id used twice) is a bug, and the whole batch fails;
      // SQLite checks the target index first, so a row that breaks both is skipped as a live idea.
      const [first, ...rest] = rows.map((row) =>
        db
          .insert(recommendations)
          .values(row)
          .onConflictDoUpdate({
            target: recommendations.symbol,
            targetWhere: sql.raw(LIVE_IDEA_WHERE),
            set: { id: sql`id` },
            setWhere: sql`0`,
          })
          .returning(),
      );
      if (!first) return [];
      try {
        return (await db.batch([first, ...rest])).flat();
      } catch (error) {
        // D1's own error (a CHECK or UNIQUE constraint), not drizzle's wrapper with the query.
        throw error instanceof Error && error.cause instanceof Error ? error.cause : error;
      }
    },

    async get(id: string): Promise<RecommendationRow | undefined> {
      return db.select().from(recommendations).where(eq(recommendations.id, id)).get();
    },

    /**
     * Claims a pending, unexpired recommendation for approval. Exactly one caller gets true:
     * the UPDATE only matches while the row is in a status the domain lets approving be entered
     * from (pending), has not expired and the entry
     * fits the limits beside everything open and in flight.
     */
    async claimForApproval(
      id: string,
      by: string,
      contracts: number,
      now: number,
      limits: EntryLimits,
    ): Promise<boolean> {
      return (await this.claimForApprovalAudited(id, by, contracts, now, limits, null)).claimed;
    },

    /**
     * The claim, its audit row and the row as it is after, in one atomic batch (one round trip
     * while Discord waits). The claim refuses, in the same conditional UPDATE, an entry that
     * would take the positions open or in flight past maxOpenPositions, or the dollars at risk
     * in them past maxTotalRiskPct of equity (SQLite runs one write at a time: two claims cannot
     * both see the room only one of them fits), nor while the breaker is halted. The audit row
     * records "claimed", "halted" or "over_limit" (still pending and unexpired, so only the halt
     * or a limit stopped it) or "not_claimed", the row's own
     * prices and the numbers the limits were checked on; the result carries the same numbers.
     *
     * A click (`click`) adds what the Approve button needs in the same batch: its interaction id
     * recorded as seen (the replay refusal: a replay claims nothing, writes no audit row and
     * answers "replay"), and the checks that the button is this row's (message id) and the size
     * one it offers (1 to maxContracts). Nothing is claimed or audited when they fail; the row
     * read back says which failed.
     *
     * Order in the batch, chained by SQLite's changes() (the rows the statement just before
     * changed): seen insert (1: first delivery) → audit insert, only then and only for an
     * existing row the click may claim (1: audited) → the claim, only then (1: claimed) → the
     * audit row's outcome and limits, from that → the read → the prune of old seen ids.
     */
    async claimForApprovalAudited(
      id: string,
      by: string,
      contracts: number,
      now: number,
      limits: EntryLimits,
      audit: Omit<NewAudit, "outcome"> | null,
      click: ApprovalClick = {},
    ): Promise<ClaimOutcome> {
      const values: ClaimValues = {
        id,
        by,
        contracts,
        now,
        day: tradingDay(now),
        maxOpenPositions: limits.maxOpenPositions,
        maxTotalRiskPct: limits.maxTotalRiskPct,
        messageId: click.messageId ?? null,
      };
      const outcome = (rows: ReadRow[], claimed: boolean): ClaimOutcome => {
        const [first] = rows;
        if (!first) return { outcome: "not_claimed", claimed: false, row: undefined, load: null, haltReasons: null };
        const { row, haltReasons: halt, ...numbers } = first;
        const haltReasons = halt === null ? null : (JSON.parse(halt) as string[]);
        const stillOpen = row.status === "pending" && row.expiresAt > now;
        const refused = haltReasons ? "halted" : "over_limit";
        return {
          outcome: claimed ? "claimed" : stillOpen ? refused : "not_claimed",
          claimed,
          row,
          load: numbers,
          haltReasons,
        };
      };
      const replay = (rows: ReadRow[]): ClaimOutcome => ({
        outcome: "replay",
        claimed: false,
        row: rows[0]?.row,
        load: null,
        haltReasons: null,
      });
      if (audit && click.seen) {
        // The Approve click's own batch, every click: its statements are prepared once per
        // isolate (building this SQL was a third of a click's CPU) and filled with the click's values.
        const [first, , result, , rows] = (await batchPrepared(db, clickClaimOf(db), {
          ...values,
          ...auditValues(audit, contracts),
          seenId: click.seen.interactionId,
          seenAt: click.seen.seenAt,
        })) as unknown as [D1Result, D1Result, D1Result, D1Result, ReadRow[], D1Result];
        return changes(first) === 1 ? outcome(rows, changes(result) === 1) : replay(rows);
      }
      const seen = click.seen ? seenStatements(db, sqlValues(click.seen)) : null;
      const { claim, read, record, decide } = claimStatements(
        db,
        sqlValues(values),
        audit ? sqlValues(auditValues(audit, contracts)) : null,
        seen !== null,
      );
      // An audited claim here has no seen id (a click's, with one, took the prepared batch above).
      if (record && decide) {
        const [, result, , rows] = await db.batch([record, claim, decide, read]);
        return outcome(rows, changes(result) === 1);
      }
      if (seen) {
        const [first, result, rows] = await db.batch([seen.record, claim, read, seen.prune]);
        return changes(first) === 1 ? outcome(rows, changes(result) === 1) : replay(rows);
      }
      const [result, rows] = await db.batch([claim, read]);
      return outcome(rows, changes(result) === 1);
    },

    /**
     * What is committed beside an entry (excluded: the recommendation `excludeId`, whose own
     * size the caller adds): positions open or closing and entries in flight, by the same SQL
     * the claim decides on.
     */
    async entryLoad(excludeId: string | null): Promise<EntryLoad> {
      return entryLoadOf(await entryLoadQuery(db, excludeId).all());
    },

    /**
     * Moves a recommendation to `to` from any status the domain's table allows, or only from
     * `onlyFrom` (a subset of those, checked by the type) where the caller's own read says more:
     * e.g. only a submitted entry's ended day order makes it expired. True when this call made
     * the change; false when the row was in no such status (an illegal move, or a race lost).
     */
    async transition<To extends TransitionTarget>(
      id: string,
      to: To,
      now: number,
      patch: RecommendationPatch = {},
      onlyFrom?: readonly FromStatus<To>[],
    ): Promise<boolean> {
      const result = await db
        .update(recommendations)
        .set({ ...patch, status: to, updatedAt: now })
        .where(and(eq(recommendations.id, id), leaving(to, onlyFrom)))
        .run();
      return changes(result) === 1;
    },

    /**
     * Notes something on a recommendation that stays where it is (a reason, the order it is
     * working), only while it is still `status`: a status to itself is not a move of the
     * state machine. True when this call changed the row.
     */
    noteStatus,

    /**
     * Notes the price an approved entry is about to be sent at (its walk's first step and the
     * lowest credit the walk may reach), before the submit, while it is still approving.
     */
    async recordEntryPrice(
      id: string,
      price: Required<Pick<RecommendationRow, "limitPrice" | "limitWalk" | "limitFloor">>,
      now: number,
    ): Promise<boolean> {
      return noteStatus(id, "approving", now, price);
    },

    /**
     * Moves a working entry to its next walk step: the new order's client id, limit and walk,
     * only while it is still submitted under the order the walk canceled. True when this call
     * made the change (one monitor run walks; a halt or a second run in between wins instead).
     */
    async walkTo(
      id: string,
      fromClientOrderId: string,
      next: Required<Pick<RecommendationRow, "clientOrderId" | "limitPrice" | "limitWalk">>,
      now: number,
    ): Promise<boolean> {
      const result = await db
        .update(recommendations)
        .set({ ...next, brokerOrderId: null, updatedAt: now })
        .where(
          and(
            eq(recommendations.id, id),
            eq(recommendations.status, "submitted"),
            eq(recommendations.clientOrderId, fromClientOrderId),
          ),
        )
        .run();
      return changes(result) === 1;
    },

    /** Keeps the message id of each posted embed, in one atomic batch. */
    async setMessages(posted: { id: string; messageId: string }[], channelId: string, now: number): Promise<void> {
      const [first, ...rest] = posted.map(({ id, messageId }) =>
        db
          .update(recommendations)
          .set({ discordChannelId: channelId, discordMessageId: messageId, updatedAt: now })
          .where(eq(recommendations.id, id)),
      );
      if (first) await db.batch([first, ...rest]);
    },

    async withStatus(statuses: readonly RecommendationStatus[], limit = 100): Promise<RecommendationRow[]> {
      return recommendationsWithStatus(db, statuses, limit).all();
    },

    /**
     * Pending recommendations whose time is up become expired (a move the table allows, narrowed
     * to pending: a submitted entry expires only when its day order ends); returns the rows it changed.
     */
    async expireDue(now: number): Promise<RecommendationRow[]> {
      return expireDueRecommendations(db, now).all();
    },

    async createdBetween(from: number, to: number): Promise<RecommendationRow[]> {
      return db
        .select()
        .from(recommendations)
        .where(and(gt(recommendations.createdAt, from - 1), lte(recommendations.createdAt, to)))
        .orderBy(desc(recommendations.createdAt))
        .all();
    },
  };
}

/** What an Approve click adds to its claim (claimForApprovalAudited). */
export interface ApprovalClick {
  /** Record this interaction as seen in the claim's batch; a replay claims nothing. */
  seen?: Seen;
  /** The message the button was on: the claim takes only its own row's (or one not posted yet). */
  messageId?: string | null;
}

export interface ClaimOutcome {
  /**
   * "replay": the click's interaction id was already seen; nothing was claimed or audited.
   * "halted": still pending and unexpired, but the breaker (D1's, the authoritative one) is
   * halted; `haltReasons` says why. The entry stays approvable for after /resume.
   */
  outcome: "claimed" | "halted" | "over_limit" | "not_claimed" | "replay";
  claimed: boolean;
  row: RecommendationRow | undefined;
  /** What was committed beside this entry when the claim was decided, and the equity it used. */
  load: (EntryLoad & { equity: number | null }) | null;
  /** The halt's reasons when the breaker was halted at the claim, else null. */
  haltReasons: string[] | null;
}

type ReadRow = { row: RecommendationRow } & EntryLoad & { equity: number | null; haltReasons: string | null };

/** An audit row's outcome only inside the claim's batch, before the claim decides it. */
const DECIDING = "deciding";

/**
 * What a click may claim, beside status, expiry and limits: a size the row offers, and the row
 * of the message the button was on (a row not posted yet has no message id and counts; a claim
 * from no message, messageId NULL, is not held to one).
 */
function clickable(contracts: SQL, messageId: SQL) {
  return sql`${contracts} between 1 and ${recommendations.maxContracts} and (${messageId} is null
    or ${recommendations.discordMessageId} is null or ${recommendations.discordMessageId} = ${messageId})`;
}

/** What a claim is decided on, by name (bound as SQL values, or placeholders of the prepared click). */
interface ClaimValues {
  id: string;
  by: string;
  contracts: number;
  now: number;
  /** The trading day of `now`: whose recorded equity the risk limit is a share of. */
  day: string;
  maxOpenPositions: number;
  maxTotalRiskPct: number;
  messageId: string | null;
}

/** The audit row's values; `detail` is its JSON text, with the click's size. */
interface AuditValues {
  at: number;
  actor: string;
  action: string;
  recommendationId: string | null;
  positionId: number | null;
  interactionId: string | null;
  detail: string;
}

function auditValues(audit: Omit<NewAudit, "outcome">, contracts: number): AuditValues {
  return {
    at: audit.at,
    actor: audit.actor,
    action: audit.action,
    recommendationId: audit.recommendationId ?? null,
    positionId: audit.positionId ?? null,
    interactionId: audit.interactionId ?? null,
    detail: JSON.stringify({ ...(audit.detail ?? {}), contracts }),
  };
}

/**
 * The claim's statements (claimForApprovalAudited says what each does and in what order), over
 * values that are either bound as they are or placeholders. `afterSeen`: a seen insert runs just
 * before, and the audit insert (or, without one, the claim) requires its changes() = 1.
 */
function claimStatements(db: Db, v: SqlValues<ClaimValues>, audit: SqlValues<AuditValues> | null, afterSeen: boolean) {
  const load = entryLoadSql(v.id);
  const equity = recordedEquitySql(v.day);
  const fits = sql`${load.openPositions} + ${load.inFlightEntries} + 1 <= ${v.maxOpenPositions}
    and (${equity} is null
      or ${load.openRisk} + ${load.inFlightRisk} + ${recommendations.maxLoss} * ${v.contracts}
        <= ${v.maxTotalRiskPct} * ${equity} + ${RISK_TOLERANCE})`;
  const mayClaim = clickable(v.contracts, v.messageId);
  // A halted breaker (D1's row is the authoritative one) refuses the claim and leaves the entry
  // pending, approvable again after /resume; the recheck after the answer reads KV's mirror too.
  const haltReasons = sql<string | null>`(select reasons from breaker_state where halted = 1)`;
  /** The statement before this one changed a row (the first delivery; the audit written). */
  const chained = afterSeen || audit ? sql`changes() = 1` : sql`1`;
  const claim = db
    .update(recommendations)
    .set({ status: "approving", decidedBy: v.by, decidedAt: v.now, contracts: v.contracts, updatedAt: v.now })
    .where(
      and(
        eq(recommendations.id, v.id),
        leaving("approving"),
        gt(recommendations.expiresAt, v.now),
        mayClaim,
        sql`${haltReasons} is null`,
        fits,
        chained,
      ),
    );
  const read = db
    .select({ row: recommendations, ...loadFields(load), equity: equity.mapWith(Number), haltReasons })
    .from(recommendations)
    .where(eq(recommendations.id, v.id));
  if (!audit) return { claim, read, record: null, decide: null };
  // The audit row is written before the claim (so the claim can require it) with the outcome
  // "deciding", and finished right after it; both are in this atomic batch, so "deciding" is
  // never seen outside it. last_insert_rowid() is the row just written, when one was.
  // Every column in the table's order (drizzle lists them all for an INSERT … SELECT); id: null.
  const record = db.insert(auditLog).select(sql`select null, ${audit.at}, ${audit.actor}, ${audit.action},
      ${audit.recommendationId}, ${audit.positionId}, ${audit.interactionId}, ${DECIDING},
      json_set(${audit.detail}, '$.seenUnderlying', ${recommendations.underlyingPrice},
        '$.seenCredit', ${recommendations.credit}, '$.expiresAt', ${recommendations.expiresAt})
    from ${recommendations}
    where ${recommendations.id} = ${v.id} and ${mayClaim} and ${afterSeen ? sql`changes() = 1` : sql`1`}`);
  const decide = db
    .update(auditLog)
    .set({
      outcome: sql`case when changes() = 1 then 'claimed'
        when not exists (select 1 from recommendations where id = ${v.id} and status = 'pending' and expires_at > ${v.now})
        then 'not_claimed' when ${haltReasons} is not null then 'halted' else 'over_limit' end`,
      detail: sql`json_set(${auditLog.detail}, '$.limits', json_object(
        'openPositions', ${load.openPositions}, 'openRisk', ${load.openRisk},
        'inFlightEntries', ${load.inFlightEntries}, 'inFlightRisk', ${load.inFlightRisk},
        'equity', ${equity}, 'maxOpenPositions', ${v.maxOpenPositions},
        'maxTotalRiskPct', ${v.maxTotalRiskPct}))`,
    })
    .where(and(sql`${auditLog.id} = last_insert_rowid()`, eq(auditLog.outcome, DECIDING)));
  return { claim, read, record, decide };
}

/** The Approve click's batch (seen, audit, claim, decision, read, prune), prepared once per isolate. */
const clickClaimOf = perDatabase((db) => {
  const v = sqlPlaceholders(
    "id",
    "by",
    "contracts",
    "now",
    "day",
    "maxOpenPositions",
    "maxTotalRiskPct",
    "messageId",
    "at",
    "actor",
    "action",
    "recommendationId",
    "positionId",
    "interactionId",
    "detail",
    "seenId",
    "seenAt",
  );
  const seen = seenStatements(db, { interactionId: v.seenId, seenAt: v.seenAt });
  const { claim, read, record, decide } = claimStatements(db, v, v, true);
  if (!record || !decide) throw new Error("the click's claim has an audit row");
  return [
    seen.record.prepare(),
    record.prepare(),
    claim.prepare(),
    decide.prepare(),
    read.prepare(),
    seen.prune.prepare(),
  ] as const;
});

/** Position statuses that hold risk (as positionStore.active()). */
const HELD = ["open", "closing"] as const;

const list = (values: readonly string[]) =>
  sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/**
 * The committed load as SQL scalars (the rule is the domain's: see src/domain/breakers.ts).
 * An entry in flight counts as a position until its position exists (settle opens the position
 * before the recommendation leaves approving/submitted, so none is ever counted in neither);
 * its risk counts the contracts not yet in a position, so a partly filled order still working
 * counts what it may still add.
 */
function entryLoadSql(excludeId: SQL | null) {
  const held = list(HELD);
  const flying = list(ENTRY_IN_FLIGHT);
  const others = excludeId === null ? sql`` : sql` and f.id <> ${excludeId}`;
  return {
    openPositions: sql<number>`(select count(*) from positions where status in ${held})`,
    openRisk: sql<number>`(select coalesce(sum(max_loss), 0) from positions where status in ${held})`,
    inFlightEntries: sql<number>`(select count(*) from recommendations f where f.status in ${flying}${others}
      and not exists (select 1 from positions p where p.recommendation_id = f.id and p.status in ${held}))`,
    inFlightRisk: sql<number>`(select coalesce(sum(f.max_loss * max(f.contracts - coalesce(
        (select coalesce(p.opened_contracts, p.contracts) from positions p where p.recommendation_id = f.id), 0), 0)), 0)
      from recommendations f where f.status in ${flying}${others})`,
  };
}

function loadFields(load: ReturnType<typeof entryLoadSql>) {
  return {
    openPositions: load.openPositions.mapWith(Number),
    openRisk: load.openRisk.mapWith(Number),
    inFlightEntries: load.inFlightEntries.mapWith(Number),
    inFlightRisk: load.inFlightRisk.mapWith(Number),
  };
}
