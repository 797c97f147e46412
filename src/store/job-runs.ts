// Job runs, one row per job slot. The unique (job, slot_key) makes a repeated cron firing do
// nothing; a slot whose run failed, or has been "running" for too long (the isolate died
// mid-way), may be claimed again so the work is not lost.
import { and, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import { type JobOutcome, type JobRunRow, jobRuns } from "../../drizzle/schema";
import type { JobName } from "../domain/job-slots";
import { batchPrepared, type Db, perDatabase } from "./db";

/**
 * A run still "running" after this long is treated as crashed (the isolate died, or waitUntil's
 * 30 s cut off a /scan): its slot may be claimed again and the monitor marks it failed.
 */
export const STALE_RUN_MS = 10 * 60 * 1000;

/**
 * Marks runs stuck in "running" past STALE_RUN_MS as failed, returning them. One conditional
 * UPDATE: two monitors at once each get only the rows they changed, so each run is told once.
 */
export const failStaleRuns = (db: Db, now: number | SQL, reason: string | SQL) =>
  db
    .update(jobRuns)
    .set({ outcome: "failed", finishedAt: now, reason })
    .where(and(eq(jobRuns.outcome, "running"), lt(jobRuns.startedAt, sql`${now} - ${STALE_RUN_MS}`)))
    .returning();

/**
 * The statements every run makes (its claim, its record at the end), built once per database
 * (isolate) rather than once per run: what varies is a placeholder. A JSON summary is bound as
 * its text (the column's own encoding: JSON.stringify), a missing one as NULL.
 */
function runStatements(db: Db) {
  const p = (name: string) => sql`${sql.placeholder(name)}`;
  const now = p("now");
  return {
    claim: db
      .insert(jobRuns)
      .values({
        job: sql.placeholder("job"),
        slotKey: sql.placeholder("slotKey"),
        scheduledTime: sql.placeholder("scheduledTime"),
        startedAt: now,
        outcome: "running",
      })
      .onConflictDoNothing()
      .returning({ id: jobRuns.id })
      .prepare(),
    reclaim: db
      .update(jobRuns)
      .set({ outcome: "running", startedAt: now, finishedAt: null, reason: null })
      .where(
        and(
          eq(jobRuns.job, p("job")),
          eq(jobRuns.slotKey, p("slotKey")),
          or(
            eq(jobRuns.outcome, "failed"),
            and(eq(jobRuns.outcome, "running"), lt(jobRuns.startedAt, sql`${now} - ${STALE_RUN_MS}`)),
          ),
        ),
      )
      .returning({ id: jobRuns.id })
      .prepare(),
    finish: db
      .update(jobRuns)
      .set({ outcome: p("outcome"), finishedAt: now, reason: p("reason"), summary: p("summary") })
      .where(eq(jobRuns.id, p("id")))
      .returning({ id: jobRuns.id })
      .prepare(),
  };
}
const statementsOf = perDatabase(runStatements);

export function jobRunStore(db: Db) {
  const statements = () => statementsOf(db);
  return {
    /** Claims the slot; returns the run id, or null when another firing already has it. */
    async claim(job: JobName, slotKey: string, scheduledTime: number, now: number): Promise<number | null> {
      const { claim, reclaim } = statements();
      const [inserted] = await batchPrepared(db, [claim], { job, slotKey, scheduledTime, now });
      if (inserted[0]) return inserted[0].id;
      // A slot whose run failed, or has been running too long, may be claimed again.
      const [retried] = await batchPrepared(db, [reclaim], { job, slotKey, now });
      return retried[0]?.id ?? null;
    },

    async finish(
      id: number,
      outcome: Exclude<JobOutcome, "running">,
      now: number,
      reason: string | null,
      summary: Record<string, unknown> | null,
    ): Promise<void> {
      await batchPrepared(db, [statements().finish], {
        id,
        outcome,
        now,
        reason,
        summary: summary === null ? null : JSON.stringify(summary),
      });
    },

    /** Records a firing that did no work (not its slot, market closed…), visible in /status. */
    async skipped(job: JobName, scheduledTime: number, now: number, reason: string): Promise<void> {
      await db
        .insert(jobRuns)
        .values({
          job,
          slotKey: `skip:${scheduledTime}`,
          scheduledTime,
          startedAt: now,
          finishedAt: now,
          outcome: "skipped",
          reason,
        })
        .onConflictDoNothing()
        .run();
    },

    async recent(limit = 20): Promise<JobRunRow[]> {
      return db.select().from(jobRuns).orderBy(desc(jobRuns.startedAt), desc(jobRuns.id)).limit(limit).all();
    },

    async lastOf(job: JobName): Promise<JobRunRow | undefined> {
      return db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(desc(jobRuns.startedAt)).limit(1).get();
    },
  };
}
