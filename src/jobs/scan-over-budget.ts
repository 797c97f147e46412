// What a scan tells when the invocation's subrequest budget left symbols unread (domain/scan-plan.ts
// readsLeft decides where it stops): the run's record names each, and the channel hears once a day.
import { noticeMessage } from "../discord/messages/notice";
import type { MessageBody } from "../discord/port";
import type { ScanReport } from "./scan";

/** The symbols the subrequest budget left unread, in the run's record: a chain, or the open interest of its spread. */
export function recordOverBudget(report: ScanReport, chains: string[], listings: string[], budget: number): void {
  const kept = `the rest of the scan's ${budget} subrequests (SUBREQUEST_BUDGET) is kept for posting and recording ideas`;
  for (const symbol of chains) report.skipped.push({ symbol, reason: `not read: ${kept}` });
  for (const symbol of listings)
    report.skipped.push({ symbol, reason: `open interest not read (no spread is offered without it): ${kept}` });
}

/** The paid plan's subrequests per invocation, as the notice suggests setting them. */
const PAID_PLAN_BUDGET = 1000;

/**
 * The day's notice (the scan posts it once a day): a trader whose watchlist outgrew the free plan
 * learns why some symbols never get ideas, and what to do.
 */
export function overBudgetNotice(symbols: string[], watched: number, budget: number): MessageBody {
  const paid =
    budget < PAID_PLAN_BUDGET ? `, or on the Workers Paid plan set SUBREQUEST_BUDGET=${PAID_PLAN_BUDGET}` : "";
  const text =
    `${symbols.join(", ")} (${symbols.length} of ${watched} symbols) were not read in full: that would have spent ` +
    `the subrequests kept for posting and recording ideas (SUBREQUEST_BUDGET=${budget}; the free plan stops a Worker ` +
    `after 50). Watch fewer symbols${paid}.`;
  return noticeMessage("Scan cut short by the subrequest budget", text, "warn");
}
