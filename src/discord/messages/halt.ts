// What /halt says: the notice that answers the command at once, and the follow-up that lists
// the entry orders it canceled at Alpaca once the broker has answered.
import type { RecommendationRow } from "../../../drizzle/schema";
import type { MessageBody } from "../port";
import { mention, spreadName } from "./format";
import { noticeMessage } from "./notice";

/** What became of one approved entry when /halt looked at it. */
export type EntryOutcome =
  /** Canceled at Alpaca before anything filled: nothing was opened. */
  | "canceled"
  /** Canceled after part of it filled: those contracts are held at Alpaca. */
  | "canceled_partly_filled"
  /** It filled before the cancel reached it: a position is open (Close still works). */
  | "filled"
  /** Alpaca still shows it working after the cancel (e.g. pending_cancel, or the cancel failed). */
  | "still_working"
  /** No order at Alpaca by its client order id: the approval's recheck will see the halt. */
  | "no_order"
  /** Alpaca could not be asked; a person should look. */
  | "unchecked";

export interface EntryCancel {
  /** The recommendation as it ends up. */
  rec: RecommendationRow;
  outcome: EntryOutcome;
  /** For "unchecked": what went wrong. */
  error?: string;
}

export function haltedNotice(userId: string, reason: string): MessageBody {
  return noticeMessage(
    "Trading halted",
    `${mention(userId)} halted new trades: ${reason}\nNo recommendation can be approved until /resume. ` +
      "Entry orders still working at Alpaca are being canceled. Exits and Close still work.",
    "danger",
  );
}

const SAYS: Record<EntryOutcome, string> = {
  canceled: "canceled at Alpaca; nothing was opened.",
  canceled_partly_filled: "canceled, but part of it had filled: those contracts are held at Alpaca. Check them there.",
  filled: "filled before the cancel reached it: the position is open (Close still works).",
  still_working: "still working at Alpaca after the cancel. Check it there.",
  no_order: "no order at Alpaca yet; its approval rechecks the breaker before sending and will be refused.",
  unchecked: "could not be checked or canceled at Alpaca. Check it there.",
};

/** The follow-up: one line per entry /halt looked at, or that there was none. */
export function entryCancelReport(results: readonly EntryCancel[], now: number): MessageBody {
  if (results.length === 0) {
    return noticeMessage(
      "Halt: no working entry orders",
      "No entry order was working at Alpaca: nothing to cancel.",
      "info",
    );
  }
  const lines = results.map(
    (r) => `• ${spreadName(r.rec, now)} ×${r.rec.contracts}: ${SAYS[r.outcome]}${r.error ? ` (${r.error})` : ""}`,
  );
  const allCanceled = results.every((r) => r.outcome === "canceled");
  const title = allCanceled ? "Halt: entry orders canceled" : "Halt: entry orders need a look";
  return noticeMessage(title, `${lines.join("\n")}\nCloses were not touched.`, allCanceled ? "info" : "warn");
}
