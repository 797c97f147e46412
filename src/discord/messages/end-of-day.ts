// The end-of-day summary: the day's P/L first, then activity, risk, breakers and the reflection.
import type { DailyPerformanceRow, PlaybookRuleRow, TradeReviewRow } from "../../../drizzle/schema";
import type { TrackRecord } from "../../domain/track-record";
import type { MessageBody } from "../port";
import { COLORS, money, percent, shortDate, signedMoney, strategyName } from "./format";
import { finalizeMessage, truncate } from "./limits";
import { ruleScope } from "./playbook";

export interface EndOfDayExtra {
  reflection: string | null;
  reflectionAuthor: string | null;
  /** One line per position that needs a person: books that disagree with Alpaca, shares held. */
  needsAttention?: string[];
  /** Approvals that placed nothing: refused at the recheck, or refused by Alpaca. */
  refusedApprovals?: number;
  /** Open positions without a mark (not marked yet, or their last quote was missing): not in the unrealized figure. */
  unmarkedPositions?: number;
  /** The name of the equity-curve image sent with the summary (the last 30 days), if one is. */
  chart?: string | null;
  /** Friday's review: the week's track record. */
  week?: TrackRecord | null;
  /** Friday's review: the week's reviewed trades and proposed rules, counted. */
  weekPlaybook?: { reviewed: number; proposed: PlaybookRuleRow[] } | null;
  /** The closed trades reviewed in this run (their lessons). */
  lessons?: TradeReviewRow[];
  /** The rules this run proposed from the reviews (active until a person retires them). */
  rulesProposed?: PlaybookRuleRow[];
}

const LESSONS_SHOWN = 3;

function lessonLines(lessons: TradeReviewRow[]): string {
  const shown = lessons
    .slice(0, LESSONS_SHOWN)
    .map(
      (r) =>
        `• #${r.positionId} ${r.symbol} ${strategyName(r.strategy)} ${signedMoney(r.realizedPl)}: ${truncate(r.lesson, 200)}`,
    );
  const more = lessons.length - shown.length;
  return [...shown, ...(more > 0 ? [`…and ${more} more in \`/playbook\``] : [])].join("\n");
}

function proposedLines(rules: PlaybookRuleRow[]): string {
  return [
    ...rules.map(
      (r) =>
        `• **Rule ${r.id}** (from trades ${r.supportingTrades.map((id) => `#${id}`).join(", ")}): ${truncate(r.rule, 220)}`,
    ),
    "The analyst reads them from now on; `/playbook action:retire id:<n>` retires one.",
  ].join("\n");
}

/** "5 trades · 60% won · +$120 · expectancy +$24 · max drawdown −$80": the week in one line. */
function weekLine(week: TrackRecord, playbook: EndOfDayExtra["weekPlaybook"]): string {
  const rules = playbook?.proposed.map((r) => `Rule ${r.id} (${ruleScope(r)})`) ?? [];
  const learned = playbook
    ? `${plural(playbook.reviewed, "trade")} reviewed · ${rules.length > 0 ? `rules proposed: ${rules.join(", ")}` : "no rule proposed"} (\`/playbook\`)`
    : null;
  if (week.trades === 0) return ["No trades closed this week.", ...(learned ? [learned] : [])].join("\n");
  const parts = [
    `${week.trades} trade${week.trades === 1 ? "" : "s"}`,
    `${percent(week.winRate ?? 0)} won`,
    signedMoney(week.realizedPl),
    `expectancy ${signedMoney(week.expectancy ?? 0)}`,
  ];
  if (week.maxDrawdown > 0) parts.push(`max drawdown −${money(week.maxDrawdown)}`);
  const best = week.bySymbol[0];
  const worst = week.bySymbol.at(-1);
  const lines = [parts.join(" · ")];
  if (best && worst && best !== worst)
    lines.push(`best ${best.key} ${signedMoney(best.pl)} · worst ${worst.key} ${signedMoney(worst.pl)}`);
  if (learned) lines.push(learned);
  return lines.join("\n");
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** Trades closed at exactly $0.00 after fees: counted as neither a win nor a loss. */
export function scratches(row: Pick<DailyPerformanceRow, "tradesClosed" | "wins" | "losses">): number {
  return Math.max(0, row.tradesClosed - row.wins - row.losses);
}

export function endOfDayMessage(row: DailyPerformanceRow, extra: EndOfDayExtra): MessageBody {
  const decided = row.wins + row.losses;
  const scratched = scratches(row);
  const scratchNote = scratched > 0 ? ` / ${scratched} scratch${scratched === 1 ? "" : "es"}` : "";
  const winRate =
    decided === 0
      ? scratched > 0
        ? `no wins or losses (${scratched} scratch${scratched === 1 ? "" : "es"})`
        : "no closed trades"
      : `${percent(row.wins / decided)} (${row.wins}W / ${row.losses}L${scratchNote})`;
  const refused = extra.refusedApprovals ?? 0;
  const unmarked = extra.unmarkedPositions ?? 0;
  const reflection =
    extra.reflection === null
      ? "_No reflection today._"
      : `${extra.reflection}\n— ${extra.reflectionAuthor ?? "unknown author"}`;
  return finalizeMessage({
    embeds: [
      {
        title: `End of day · ${shortDate(row.tradingDay)} ${row.tradingDay.slice(0, 4)}`,
        color: row.breakerHalted ? COLORS.bad : row.realizedPl < 0 ? COLORS.warn : COLORS.good,
        description: [
          // The trades closed today, each its whole P/L (a journal's figure; /status's day counts from the last close).
          `**Trades closed today ${signedMoney(row.realizedPl)}** · open positions ${signedMoney(row.unrealizedPl)} unrealized${unmarked > 0 ? ` (${unmarked} position${unmarked === 1 ? "" : "s"} without a mark, not counted)` : ""}`,
          `Total realized ${signedMoney(row.totalRealizedPl)}${row.equity === null ? "" : ` · equity ${money(row.equity)}`}`,
        ].join("\n"),
        fields: [
          { name: "Trades", value: `${row.tradesOpened} opened · ${row.tradesClosed} closed`, inline: true },
          { name: "Win rate", value: winRate, inline: true },
          { name: "Open risk", value: `${money(row.openRisk)} in ${row.openPositions} open`, inline: true },
          {
            name: "Recommendations",
            value: `${row.recommendationsPosted} posted · ${row.recommendationsApproved} approved and ordered${refused > 0 ? ` · ${refused} approval${refused === 1 ? "" : "s"} refused` : ""} · ${row.recommendationsRejected} rejected · ${row.recommendationsExpired} expired`,
          },
          { name: "Breakers", value: row.breakerHalted ? "🛑 HALTED at the close" : "🟢 clear" },
          ...(extra.needsAttention?.length
            ? [{ name: "⚠️ Needs attention", value: extra.needsAttention.map((line) => `• ${line}`).join("\n") }]
            : []),
          ...(extra.week ? [{ name: "📅 The week", value: weekLine(extra.week, extra.weekPlaybook) }] : []),
          { name: "Reflection", value: reflection },
          ...(extra.lessons?.length
            ? [
                {
                  name: `📝 Lessons from ${plural(extra.lessons.length, "closed trade")}`,
                  value: lessonLines(extra.lessons),
                },
              ]
            : []),
          ...(extra.rulesProposed?.length
            ? [{ name: "📘 Playbook: rules proposed", value: proposedLines(extra.rulesProposed) }]
            : []),
        ],
        ...(extra.chart ? { image: { url: `attachment://${extra.chart}` } } : {}),
      },
    ],
  });
}
