// Spreads we hold. Opening is keyed by the recommendation (one position per recommendation);
// a close is claimed with a conditional UPDATE so two Close clicks send one order. Fills arrive
// in parts: an entry grows the position to what filled, a close books each new part once.
import { and, count, desc, eq, gte, inArray, isNotNull, isNull, ne, type SQL, sql } from "drizzle-orm";
import { type NewPosition, type PositionRow, type PositionStatus, positions } from "../../drizzle/schema";
import { OUTSIDE_CLOSE } from "../domain/closed-outside";
import { closedSpreadPl, type FeeSettings } from "../domain/fees";
import type { WalkStep } from "../domain/limit-walk";
import { changes, type Db } from "./db";

/** Positions that hold risk (open, or with a close working), oldest first. */
export const activePositions = (db: Db) =>
  db
    .select()
    .from(positions)
    .where(inArray(positions.status, ["open", "closing"]))
    .orderBy(positions.openedAt);

/** Closed positions that left shares at the broker (assignment, exercise) not yet flattened. */
export const positionsWithShares = (db: Db) => db.select().from(positions).where(ne(positions.shares, 0));

/** Positions closed at or after `from`, newest first. */
export const positionsClosedSince = (db: Db, from: number | SQL) =>
  db
    .select()
    .from(positions)
    .where(and(eq(positions.status, "closed"), isNotNull(positions.closedAt), gte(positions.closedAt, from)))
    .orderBy(desc(positions.closedAt));

/** The `limit` positions closed last, newest first. */
export const recentlyClosedPositions = (db: Db, limit: number) =>
  db.select().from(positions).where(eq(positions.status, "closed")).orderBy(desc(positions.closedAt)).limit(limit);

export function positionStore(db: Db) {
  return {
    /**
     * Opens the position of a recommendation whose entry filled (in full or in part), or grows it
     * to what the entry has filled by now. Contracts closed since stay closed; a repeat changes nothing.
     */
    async openOrGrow(position: NewPosition & { openedContracts: number }): Promise<void> {
      const riskPerContract = position.maxLoss / position.openedContracts;
      await db
        .insert(positions)
        .values(position)
        .onConflictDoUpdate({
          target: positions.recommendationId,
          set: {
            contracts: sql`${position.openedContracts} - (coalesce(${positions.openedContracts}, ${positions.contracts}) - ${positions.contracts})`,
            openedContracts: position.openedContracts,
            entryCredit: position.entryCredit,
            maxLoss: sql`round(${riskPerContract} * (${position.openedContracts} - (coalesce(${positions.openedContracts}, ${positions.contracts}) - ${positions.contracts})), 2)`,
            updatedAt: position.updatedAt,
          },
          setWhere: sql`${positions.status} <> 'closed' and coalesce(${positions.openedContracts}, ${positions.contracts}) < ${position.openedContracts}`,
        })
        .run();
    },

    async get(id: number): Promise<PositionRow | undefined> {
      return db.select().from(positions).where(eq(positions.id, id)).get();
    },

    async byRecommendation(recommendationId: string): Promise<PositionRow | undefined> {
      return db.select().from(positions).where(eq(positions.recommendationId, recommendationId)).get();
    },

    async active(): Promise<PositionRow[]> {
      return activePositions(db).all();
    },

    async mark(id: number, mark: number | null, unrealizedPl: number | null, now: number): Promise<void> {
      await this.markMany([{ id, mark, unrealizedPl }], now);
    },

    /**
     * Marks several positions in one statement, whatever their number: the marks travel as one
     * JSON parameter (nothing built again per position), joined to their rows by id.
     */
    async markMany(marks: { id: number; mark: number | null; unrealizedPl: number | null }[], now: number) {
      if (marks.length === 0) return;
      const column = (c: { name: string }) => sql.identifier(c.name);
      await db.run(
        sql`update ${positions} set ${column(positions.mark)} = m.value ->> 'mark',
          ${column(positions.unrealizedPl)} = m.value ->> 'unrealizedPl',
          ${column(positions.markedAt)} = ${now}, ${column(positions.updatedAt)} = ${now}
        from json_each(${JSON.stringify(marks)}) as m where ${positions.id} = m.value ->> 'id'`,
      );
    },

    /** Records that an exit alert was posted for this trigger, and when (it repeats from there). */
    async setExitAlert(id: number, trigger: string, messageId: string | null, now: number): Promise<boolean> {
      const result = await db
        .update(positions)
        .set({ exitAlert: trigger, exitAlertMessageId: messageId, exitAlertAt: now, updatedAt: now })
        .where(and(eq(positions.id, id), eq(positions.status, "open")))
        .run();
      return changes(result) === 1;
    },

    /** Records that the expiry-day warning was posted (it repeats from there until closed). */
    async setExpiryAlert(id: number, messageId: string | null, now: number): Promise<void> {
      await db
        .update(positions)
        .set({ expiryAlertAt: now, exitAlertMessageId: messageId, updatedAt: now })
        .where(eq(positions.id, id))
        .run();
    },

    /** Claims an open position for closing. Exactly one caller gets true. */
    async claimForClose(id: number, clientOrderId: string, reason: string, now: number): Promise<boolean> {
      const result = await db
        .update(positions)
        .set({ status: "closing", closeClientOrderId: clientOrderId, closeReason: reason, updatedAt: now })
        .where(and(eq(positions.id, id), eq(positions.status, "open")))
        .run();
      return changes(result) === 1;
    },

    /**
     * Moves a working close to its next walk step (a new order under a new client id), only while
     * it is still closing under the order the walk canceled. True when this call made the change.
     */
    async setCloseOrder(
      id: number,
      fromClientOrderId: string,
      next: { closeClientOrderId: string; closeWalk: WalkStep[] },
      now: number,
    ): Promise<boolean> {
      const result = await db
        .update(positions)
        .set({ ...next, updatedAt: now })
        .where(
          and(
            eq(positions.id, id),
            eq(positions.status, "closing"),
            eq(positions.closeClientOrderId, fromClientOrderId),
            eq(positions.closeBookedQty, 0),
          ),
        )
        .run();
      return changes(result) === 1;
    },

    /**
     * A close that did not go through (or went through in part): open again for what is left.
     * Its message is edited with the reason and a fresh Close button, so the alert's repeat
     * interval starts over.
     */
    async reopen(id: number, now: number): Promise<void> {
      await db
        .update(positions)
        .set({
          status: "open",
          closeClientOrderId: null,
          closeWalk: null,
          closeBookedQty: 0,
          closeOrderAvg: null,
          exitAlertAt: now,
          updatedAt: now,
        })
        .where(and(eq(positions.id, id), eq(positions.status, "closing")))
        .run();
    },

    /**
     * Books the contracts a close order filled since the last booking: fewer contracts, their
     * P/L realized (net of the entry's and the close's fees for them), and the position closed
     * when none are left. Conditional on what was booked before, so the same fill applied twice
     * books once. True when this call booked.
     */
    async bookCloseFill(
      position: PositionRow,
      fill: { filledQty: number; debit: number; at: number },
      fees: FeeSettings,
      now: number,
    ): Promise<boolean> {
      const part = fill.filledQty - position.closeBookedQty;
      if (part <= 0) return false;
      const booked = { closeBookedQty: fill.filledQty, closeOrderAvg: fill.debit };
      const from: PositionStatus[] = ["open", "closing"];
      return bookClosedPart(
        db,
        position,
        { part, debit: addedDebit(position, fill), at: fill.at, booked, from },
        fees,
        now,
      );
    },

    /**
     * Books spreads a person closed at Alpaca, outside the bot, as bookCloseFill books the bot's
     * own: only while the position is open (no close of the bot's working), and with what is left
     * ready for the bot's next close (nothing of an order of its own booked).
     */
    async bookOutsideClose(
      position: PositionRow,
      close: { contracts: number; debit: number; at: number; orderIds: readonly string[] },
      fees: FeeSettings,
      now: number,
    ): Promise<boolean> {
      if (close.contracts <= 0) return false;
      const left = position.contracts - close.contracts;
      // Reconcile's line about the legs it saw missing is answered by this booking.
      const booked = {
        closeBookedQty: 0,
        closeOrderAvg: null,
        attention: null,
        outsideOrderIds: [...(position.outsideOrderIds ?? []), ...close.orderIds],
        ...(left <= 0 ? { closeReason: OUTSIDE_CLOSE } : {}),
      };
      const part = { part: close.contracts, debit: close.debit, at: close.at, booked, from: ["open" as const] };
      return bookClosedPart(db, position, part, fees, now);
    },

    /**
     * Closes a position the broker settled on its own (expiry, assignment, exercise) with the
     * P/L of what was left. True when this call closed it.
     */
    /** Closed by the broker at expiry; `delivered` are the shares it left and their mark. */
    async settle(
      id: number,
      reason: string,
      closePrice: number,
      pl: number,
      now: number,
      delivered: { shares: number; mark: number | null } = { shares: 0, mark: null },
    ): Promise<boolean> {
      const result = await db
        .update(positions)
        .set({
          status: "closed",
          // The whole trade's max loss, as when a close order closes it (bookCloseFill).
          maxLoss: sql`round(${positions.maxLoss} * coalesce(${positions.openedContracts}, ${positions.contracts}) / ${positions.contracts}, 2)`,
          shares: delivered.shares,
          sharesMark: delivered.mark,
          closeReason: reason,
          closePrice,
          realizedPl: sql`round(coalesce(${positions.realizedPl}, 0) + ${pl}, 2)`,
          closedAt: now,
          attention: null,
          updatedAt: now,
        })
        .where(and(eq(positions.id, id), inArray(positions.status, ["open", "closing"])))
        .run();
      return changes(result) === 1;
    },

    /** Closed positions that left shares at the broker (assignment, exercise) not yet flattened. */
    async withShares(): Promise<PositionRow[]> {
      return positionsWithShares(db).all();
    },

    /** Claims the flattening of a position's shares for one order. Exactly one caller gets true. */
    async claimFlatten(id: number, clientOrderId: string, now: number): Promise<boolean> {
      const result = await db
        .update(positions)
        .set({ flattenClientOrderId: clientOrderId, updatedAt: now })
        .where(and(eq(positions.id, id), ne(positions.shares, 0), isNull(positions.flattenClientOrderId)))
        .run();
      return changes(result) === 1;
    },

    /**
     * Books a flattening order that ended: the shares it traded leave the position, their P/L
     * against the mark they were booked at (less the trade's `fees`, dollars) joins the realized
     * P/L, and the claim is released (shares left over can be flattened again). Conditional on
     * the claim: booked once. An order that traded nothing books nothing and has no fees.
     */
    async bookFlatten(
      id: number,
      clientOrderId: string,
      fill: { shares: number; price: number | null; fees?: number },
      now: number,
    ): Promise<boolean> {
      const pl =
        fill.price === null || fill.shares === 0
          ? sql`0`
          : sql`(${fill.price} - coalesce(${positions.sharesMark}, ${fill.price})) * ${fill.shares} - ${fill.fees ?? 0}`;
      const result = await db
        .update(positions)
        .set({
          shares: sql`${positions.shares} - ${fill.shares}`,
          realizedPl: sql`round(coalesce(${positions.realizedPl}, 0) + ${pl}, 2)`,
          flattenClientOrderId: null,
          updatedAt: now,
        })
        .where(and(eq(positions.id, id), eq(positions.flattenClientOrderId, clientOrderId)))
        .run();
      return changes(result) === 1;
    },

    /** Remembers which message shows the position now (its alert, or the notice of its shares). */
    async trackMessage(id: number, messageId: string, now: number): Promise<void> {
      await db
        .update(positions)
        .set({ exitAlertMessageId: messageId, updatedAt: now })
        .where(eq(positions.id, id))
        .run();
    },

    /** Marks (or clears, with null) a disagreement with the broker's book. */
    async setAttention(id: number, attention: string | null, now: number): Promise<void> {
      await db.update(positions).set({ attention, updatedAt: now }).where(eq(positions.id, id)).run();
    },

    async closedSince(from: number): Promise<PositionRow[]> {
      return positionsClosedSince(db, from).all();
    },

    /**
     * The end of day's marks: each open position's P/L at its mark (none without one) and what its
     * partial closes have realized are where tomorrow's daily loss starts.
     */
    async recordCloseMarks(day: string): Promise<void> {
      await db
        .update(positions)
        .set({
          plAtLastClose: sql`${positions.unrealizedPl}`,
          realizedAtLastClose: sql`coalesce(${positions.realizedPl}, 0)`,
          plAtLastCloseDay: day,
        })
        .where(inArray(positions.status, ["open", "closing"]))
        .run();
    },

    /** How many positions opened (an entry filled, in full or in part) at or after `from`. */
    async countOpenedSince(from: number): Promise<number> {
      const [row] = await db.select({ n: count() }).from(positions).where(gte(positions.openedAt, from)).all();
      return row?.n ?? 0;
    },

    async recentClosed(limit: number): Promise<PositionRow[]> {
      return recentlyClosedPositions(db, limit).all();
    },
  };
}

/**
 * Books `part` of the position's contracts closed at `debit` a share: their P/L realized (net of
 * the entry's and the close's fees for them), fewer contracts, the average close price over every
 * contract closed, and the position closed when none are left. `booked` is what the caller keeps
 * of the order. Conditional on the row as read, so a repeat books nothing. True when it booked.
 */
async function bookClosedPart(
  db: Db,
  position: PositionRow,
  close: {
    part: number;
    debit: number;
    at: number;
    booked: Pick<
      Partial<PositionRow>,
      "closeBookedQty" | "closeOrderAvg" | "closeReason" | "attention" | "outsideOrderIds"
    >;
    /** The statuses the row may be in. */
    from: PositionStatus[];
  },
  fees: FeeSettings,
  now: number,
): Promise<boolean> {
  const { part, debit } = close;
  const pl = closedSpreadPl(position.entryCredit, debit, part, fees);
  const left = position.contracts - part;
  const perContractRisk = position.contracts > 0 ? position.maxLoss / position.contracts : 0;
  // Closed, the row's max loss is the whole trade's (the contracts the entry filled), as its card says.
  const riskOf = (contracts: number) => Math.round(perContractRisk * contracts * 100) / 100;
  // The close price is the average over every contract closed so far, whichever order closed it.
  const closedBefore = (position.openedContracts ?? position.contracts) - position.contracts;
  const closePrice =
    closedBefore > 0 && position.closePrice !== null
      ? Math.round(((position.closePrice * closedBefore + debit * part) / (closedBefore + part)) * 10_000) / 10_000
      : debit;
  const result = await db
    .update(positions)
    .set({
      contracts: Math.max(left, 1), // a closed position keeps its last size for the record
      maxLoss: riskOf(left > 0 ? left : (position.openedContracts ?? position.contracts)),
      // What is left is worth its share of the last mark until the monitor marks it again.
      unrealizedPl:
        left > 0 && position.unrealizedPl !== null
          ? Math.round(((position.unrealizedPl * left) / position.contracts) * 100) / 100
          : null,
      realizedPl: sql`round(coalesce(${positions.realizedPl}, 0) + ${pl}, 2)`,
      ...close.booked,
      closePrice,
      ...(left <= 0 ? { status: "closed" as const, closedAt: close.at } : {}),
      updatedAt: now,
    })
    .where(
      and(
        eq(positions.id, position.id),
        eq(positions.closeBookedQty, position.closeBookedQty),
        eq(positions.contracts, position.contracts),
        inArray(positions.status, close.from),
      ),
    )
    .run();
  return changes(result) === 1;
}

/**
 * The debit per share of the contracts a close order's booking adds: its fill's average is over
 * all the order's fills, so those booked before at the older average are taken out of it.
 */
function addedDebit(
  position: Pick<PositionRow, "closeBookedQty" | "closeOrderAvg">,
  fill: { filledQty: number; debit: number },
): number {
  if (position.closeBookedQty <= 0 || position.closeOrderAvg === null) return fill.debit;
  const added = fill.filledQty - position.closeBookedQty;
  const debit = (fill.debit * fill.filledQty - position.closeOrderAvg * position.closeBookedQty) / added;
  return Math.round(debit * 10_000) / 10_000;
}
