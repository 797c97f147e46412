// The midday scan's look at the open positions: one line each, from what the bot already holds
// (the monitor's last mark, the entry credit, the exit rules), before the scan's new ideas.
import type { PositionRow } from "../../../drizzle/schema";
import type { ExitRules } from "../../domain/exits";
import { daysToExpiration } from "../../domain/market-time";
import type { MessageBody } from "../port";
import { COLORS, discordTime, humanize, price, signedMoney, spreadName } from "./format";
import { finalizeMessage } from "./limits";

/** "SPY bull put 580/575 · 20 Feb ×2: P/L +$42 at the mark $0.80 (<t:…:R>) · 34 DTE, time exit in 13 days · natural target $0.55, stop $3.30". */
export function reviewLine(p: PositionRow, rules: ExitRules, now: number): string {
  const dte = daysToExpiration(p.expiration, now);
  const toTimeExit = dte - rules.exitDte;
  const timeExit = toTimeExit > 0 ? `time exit in ${toTimeExit} day${toTimeExit === 1 ? "" : "s"}` : "time exit due";
  const target = p.entryCredit * (1 - rules.profitTargetPct);
  const stop = p.entryCredit * (1 + rules.stopLossPct);
  const marked =
    p.mark === null || p.unrealizedPl === null
      ? "not marked yet"
      : `P/L ${signedMoney(p.unrealizedPl)} at the mark ${price(p.mark)}${p.markedAt === null ? "" : ` (${discordTime(p.markedAt)})`}`;
  const flags = [
    p.status === "closing" ? "⏳ closing" : null,
    p.exitAlert ? `⚠️ ${humanize(p.exitAlert)}` : null,
    p.attention ? `❗ ${p.attention}` : null,
  ].filter((f) => f !== null);
  const line = `**${spreadName(p, now)}** ×${p.contracts}: ${marked} · ${dte} DTE, ${timeExit} · natural target ${price(target)}, stop ${price(stop)}`;
  return flags.length > 0 ? `${line} · ${flags.join(" · ")}` : line;
}

export function middayReviewMessage(lines: string[], openPl: number | null): MessageBody {
  const total = openPl === null ? "" : ` · open P/L ${signedMoney(openPl)}`;
  // The exits are judged at the natural (what a close pays at once), the mark is the mid: a mark
  // already past the target is no missed alert while the natural is not.
  const head = `${lines.length} open position${lines.length === 1 ? "" : "s"}${total}. The mark is the mid; the target and stop are debits at the natural price (what a close pays at once), where the monitor alerts.`;
  return finalizeMessage({
    embeds: [
      { title: "Midday review", color: COLORS.info, description: [head, ...lines.map((l) => `• ${l}`)].join("\n") },
    ],
  });
}
