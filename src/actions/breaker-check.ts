// The breaker check before opening a position. It reads the authoritative state in D1, the
// KV mirror, and evaluates the live limits on our records. Any halted source halts; any
// unreadable source makes the answer null, which the recheck treats as "refuse".
import type { App } from "../app";
import { evaluateBreakers } from "../domain/breakers";
import { errorFields, log } from "../log";
import { breakerLimits, riskNumbers } from "./risk-state";

export interface EntryBreakers {
  halted: boolean;
  reasons: { code: string; message: string }[];
}

export async function readBreakersForEntry(
  app: App,
  live: { now: number; equity: number | null; dataAgeMs: number | null },
): Promise<EntryBreakers | null> {
  try {
    const [stored, mirror, numbers] = await Promise.all([
      app.breakers.read(),
      app.breakers.readMirror(),
      riskNumbers(app, live.now),
    ]);
    const evaluated = evaluateBreakers(
      {
        manualHalt: null,
        equity: live.equity ?? Number.NaN,
        dataAgeMs: live.dataAgeMs,
        ...numbers,
      },
      breakerLimits(app),
    );
    const reasons: EntryBreakers["reasons"] = [...evaluated.reasons];
    if (stored.halted)
      reasons.unshift({ code: "halted", message: `halted: ${stored.reasons.join("; ") || "no reason given"}` });
    else if (mirror?.halted)
      reasons.unshift({ code: "halted_mirror", message: `halted (KV mirror): ${mirror.reasons.join("; ")}` });
    return { halted: reasons.length > 0, reasons };
  } catch (error) {
    log.error("breaker state unreadable: refusing entries", errorFields(error));
    return null;
  }
}
