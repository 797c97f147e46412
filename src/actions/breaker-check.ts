// The breaker check before opening a position. It reads the authoritative state in D1, the
// KV mirror, and evaluates the live limits on our records: the open-position and total-risk
// limits count the other entries in flight and this one. Any halted source halts; any
// unreadable source makes the answer null, which the recheck treats as "refuse".
import type { App } from "../app";
import { evaluateBreakersForEntry } from "../domain/breakers";
import { errorFields, log } from "../log";
import { breakerLimits, riskNumbers } from "./risk-state";

export interface EntryBreakers {
  halted: boolean;
  reasons: { code: string; message: string }[];
}

export async function readBreakersForEntry(
  app: App,
  live: {
    now: number;
    equity: number | null;
    dataAgeMs: number | null;
    /** The entry decided: its recommendation (not counted in flight) and the dollars it puts at risk. */
    entry: { recommendationId: string; risk: number };
  },
): Promise<EntryBreakers | null> {
  try {
    const [stored, mirror, numbers, load] = await Promise.all([
      app.breakers.read(),
      app.breakers.readMirror(),
      riskNumbers(app, live.now),
      app.recommendations.entryLoad(live.entry.recommendationId),
    ]);
    const evaluated = evaluateBreakersForEntry(
      {
        manualHalt: null,
        equity: live.equity ?? Number.NaN,
        dataAgeMs: live.dataAgeMs,
        ...numbers,
        // The same counts the claim decided on (one SQL definition of what is committed).
        openPositions: load.openPositions,
        openRisk: load.openRisk,
      },
      load,
      { risk: live.entry.risk },
      breakerLimits(app),
    );
    const reasons: EntryBreakers["reasons"] = [...evaluated.reasons];
    // A mirror older than D1 is a write that failed: D1 decides, and the mirror is repaired.
    const staleMirror = mirror !== null && mirror.version < stored.version;
    if (staleMirror || (mirror === null && stored.version > 0)) await app.breakers.repairMirror({ stored, mirror });
    if (stored.halted)
      reasons.unshift({ code: "halted", message: `halted: ${stored.reasons.join("; ") || "no reason given"}` });
    else if (mirror?.halted && !staleMirror)
      reasons.unshift({ code: "halted_mirror", message: `halted (KV mirror): ${mirror.reasons.join("; ")}` });
    return { halted: reasons.length > 0, reasons };
  } catch (error) {
    log.error("breaker state unreadable: refusing entries", errorFields(error));
    await app.breakers.repairMirror(); // an unreadable mirror is rewritten from D1 for the next tap
    return null;
  }
}
