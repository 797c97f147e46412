// The midday scan first says what it sees in the open positions (one post, one line each). It
// reads only what the bot holds (the monitor marks every 5 minutes), so it costs one D1 read and
// one post. A failure here is logged and reported in the run, and the scan goes on.
import type { App } from "../app";
import { middayReviewMessage, reviewLine } from "../discord/messages/midday-review";
import { errorFields, log } from "../log";

export interface MiddayReview {
  lines: string[];
  /** Subrequests spent (the scan's Claude budget leaves them aside). */
  subrequests: number;
}

export async function reviewPositions(app: App, now: number): Promise<MiddayReview> {
  let subrequests = 0;
  try {
    subrequests++;
    const open = await app.positions.active();
    if (open.length === 0) return { lines: ["no open positions"], subrequests };
    const lines = open.map((p) => reviewLine(p, app.config.exits, now));
    const marked = open.filter((p) => p.unrealizedPl !== null);
    const openPl = marked.length === 0 ? null : marked.reduce((sum, p) => sum + (p.unrealizedPl ?? 0), 0);
    subrequests++;
    await app.discord.post(middayReviewMessage(lines, openPl));
    return { lines, subrequests };
  } catch (error) {
    log.error("midday review failed", errorFields(error));
    return { lines: [`review failed: ${error instanceof Error ? error.message : String(error)}`], subrequests };
  }
}
