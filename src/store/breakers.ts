// Circuit-breaker state. D1 holds the authoritative row; KV holds a mirror under
// `circuit_breaker` that is cheap to read but eventually consistent (another location may
// see a write a minute late). Writers update D1 (state + event, one atomic batch) and then the
// mirror. An approval reads both and refuses if either says halted or cannot be read.
// D1 stays the authority when the mirror write fails: the command succeeds, the failure is
// logged, and the mirror is repaired from D1 (by version) on the next approval or monitor run.
import { desc, eq, sql } from "drizzle-orm";
import { type BreakerEventRow, type BreakerStateRow, breakerEvents, breakerState } from "../../drizzle/schema";
import { errorFields, log } from "../log";
import type { Db } from "./db";
import { KV_KEYS } from "./kv-state";

const GLOBAL = "global";

export interface BreakerSnapshot {
  halted: boolean;
  reasons: string[];
  source: string | null;
  changedBy: string | null;
  changedAt: number | null;
  version: number;
}

const CLEAR: BreakerSnapshot = {
  halted: false,
  reasons: [],
  source: null,
  changedBy: null,
  changedAt: null,
  version: 0,
};

function toSnapshot(row: BreakerStateRow): BreakerSnapshot {
  const { halted, reasons, source, changedBy, changedAt, version } = row;
  return { halted, reasons, source, changedBy, changedAt, version };
}

/** The authoritative state's row (none until the first halt). */
export const breakerStateRows = (db: Db) => db.select().from(breakerState);

/** The state a read of `breakerStateRows` says: clear when there is no row. */
export const breakerSnapshotOf = (rows: BreakerStateRow[]): BreakerSnapshot => (rows[0] ? toSnapshot(rows[0]) : CLEAR);

/** The newest reset event: when trading was last resumed. */
export const lastResumeRows = (db: Db) =>
  db
    .select({ at: breakerEvents.at })
    .from(breakerEvents)
    .where(eq(breakerEvents.kind, "reset"))
    .orderBy(desc(breakerEvents.at))
    .limit(1);

export function breakerStore(db: Db, kv: KVNamespace) {
  /** True when written. A failure is logged, never thrown: D1 already holds the state. */
  async function mirror(snapshot: BreakerSnapshot): Promise<boolean> {
    try {
      await kv.put(KV_KEYS.breakerMirror, JSON.stringify(snapshot));
      return true;
    } catch (error) {
      log.error("breaker mirror write to KV failed; D1 holds the state, the next run repairs it", {
        version: snapshot.version,
        halted: snapshot.halted,
        ...errorFields(error),
      });
      return false;
    }
  }

  async function readState(): Promise<BreakerSnapshot> {
    return breakerSnapshotOf(await breakerStateRows(db).all());
  }

  async function readMirror(): Promise<BreakerSnapshot | null> {
    const raw = await kv.get(KV_KEYS.breakerMirror);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<BreakerSnapshot>;
    if (typeof parsed.halted !== "boolean") throw new Error("circuit_breaker mirror in KV is not a breaker snapshot");
    return { ...CLEAR, ...parsed };
  }

  async function write(
    halted: boolean,
    reasons: string[],
    source: string,
    actor: string,
    now: number,
  ): Promise<BreakerSnapshot> {
    const [, , rows] = await db.batch([
      db
        .insert(breakerState)
        .values({ id: GLOBAL, halted, reasons, source, changedBy: actor, changedAt: now, version: 1 })
        .onConflictDoUpdate({
          target: breakerState.id,
          set: { halted, reasons, source, changedBy: actor, changedAt: now, version: sql`${breakerState.version} + 1` },
        }),
      db.insert(breakerEvents).values({
        at: now,
        kind: halted ? "trip" : "reset",
        source,
        reason: reasons.join("; ") || "resumed",
        actor,
      }),
      db.select().from(breakerState),
    ]);
    const row = rows[0];
    const snapshot: BreakerSnapshot = row
      ? toSnapshot(row)
      : { halted, reasons, source, changedBy: actor, changedAt: now, version: 1 };
    await mirror(snapshot);
    return snapshot;
  }

  return {
    /** The authoritative state. Throws if D1 cannot be read: callers treat that as halted. */
    read: readState,

    /** The KV mirror; null when it was never written. Throws if KV cannot be read. */
    readMirror,

    /**
     * Writes D1's state to the mirror when the mirror is missing, unreadable or of an older
     * version (a write that failed). True when it wrote. Never throws.
     */
    async repairMirror(known?: { stored: BreakerSnapshot; mirror?: BreakerSnapshot | null }): Promise<boolean> {
      try {
        // A caller that has just read D1 (and the mirror) passes them: no second round trip.
        const stored = known?.stored ?? (await readState());
        let current: BreakerSnapshot | null = known?.mirror ?? null;
        let unreadable = false;
        if (known?.mirror === undefined)
          try {
            current = await readMirror();
          } catch {
            unreadable = true;
          }
        if (current && current.version >= stored.version) return false;
        if (!current && !unreadable && stored.version === 0) return false; // never halted: nothing to mirror
        return mirror(stored);
      } catch (error) {
        log.warn("breaker mirror repair skipped: D1 unreadable", errorFields(error));
        return false;
      }
    },

    halt: (reasons: string[], source: string, actor: string, now: number) => write(true, reasons, source, actor, now),
    resume: (actor: string, now: number) => write(false, [], "manual", actor, now),

    /**
     * When trading was last resumed (the newest reset event), or null if never. Losses before it
     * were seen by the person who resumed: the losing streak starts counting again from here.
     */
    async lastResumeAt(): Promise<number | null> {
      return (await lastResumeRows(db).all())[0]?.at ?? null;
    },

    async events(limit = 20): Promise<BreakerEventRow[]> {
      return db.select().from(breakerEvents).orderBy(desc(breakerEvents.at)).limit(limit).all();
    },
  };
}
