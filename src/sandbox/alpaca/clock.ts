// The sandbox's one clock, kept by the simulated market and read by the bot (sandbox/outside.ts),
// so prices, sessions, day ends, expirations and the bot's own "now" agree. It follows the wall
// clock until it is first moved (then the market keeps NYSE hours); it only moves forward.
import { z } from "zod";

export interface SimClock {
  /** Added to the wall clock. */
  offsetMs: number;
  /** Moved at least once: from then on the market opens and closes on NYSE hours. */
  moved: boolean;
}

export const START_CLOCK: SimClock = { offsetMs: 0, moved: false };

export function simulatedNow(clock: SimClock, frozenAt: number | null, wallNow: number): number {
  return frozenAt ?? wallNow + clock.offsetMs;
}

const ClockInput = z.union([
  z
    .object({
      advance_minutes: z
        .number()
        .min(0)
        .max(366 * 24 * 60),
    })
    .strict(),
  z.object({ to: z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)) }).strict(),
  // Tests: stop the clock at an instant (null lets it run again); not a move.
  z.object({ freeze_at: z.number().finite().nullable() }).strict(),
  // Tests: start the clock over at an instant (earlier than now too), frozen there and not moved,
  // so that a test sees the same days and hours whenever it runs.
  z.object({ pin_at: z.number().finite() }).strict(),
]);
export type ClockInput = z.output<typeof ClockInput>;

export function parseClockInput(body: unknown): { ok: true; value: ClockInput } | { ok: false; message: string } {
  const parsed = ClockInput.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    message: 'body must be {"advance_minutes": <minutes ≥ 0>} or {"to": "<ISO instant>"} (forward only)',
  };
}
