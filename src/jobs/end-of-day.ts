// End of day, once per trading day after the close: the daily_performance row, the summary
// in the channel, the reflection on the day, a review of each closed trade and the rules they
// propose (the playbook), the archive copy in R2, and a backup
// of the whole database in R2 (restored with `npm run restore`).
// The row is written first and only once (its primary key is the day): a repeated run posts
// nothing new.
import type { DailyPerformanceRow, PositionRow, RecommendationRow } from "../../drizzle/schema";
import { trackRecordFor } from "../actions/performance";
import { proposePlaybookRules, reviewClosedTrades } from "../actions/review-trades";
import type { App } from "../app";
import { endOfDayMessage, scratches } from "../discord/messages/end-of-day";
import { humanize, lowerFirst, strategyName } from "../discord/messages/format";
import { EQUITY_CHART_FILE } from "../discord/messages/performance";
import { equityChartFile } from "../discord/png";
import type { MessageFile } from "../discord/port";
import { assignedEarlyIds } from "../domain/broker-book";
import { assignmentOutlook } from "../domain/exit-alerts";
import { signedUsd } from "../domain/format";
import { tradingDay, utcInstant } from "../domain/market-time";
import { inTheMoneyBy, optionTypeOf } from "../domain/recommendation-state";
import type { TrackRecord } from "../domain/track-record";
import { errorFields, log } from "../log";
import type { BreakerSnapshot } from "../store/breakers";

export interface EndOfDayReport {
  tradingDay: string;
  posted: boolean;
  realizedPl: number;
  reason?: string;
  /** Closed trades reviewed and rules proposed by this run (the playbook's learning). */
  reviewed?: number;
  rulesProposed?: number;
  /** The day's database backup in R2 (absent when it failed: see the log). */
  backup?: { key: string; bytes: number; pruned: number };
}

/**
 * An approval counts once it became an order at the broker (it has Alpaca's order id, whether
 * that order filled, works, or died unfilled); one the recheck or Alpaca refused placed nothing.
 */
const becameOrder = (r: RecommendationRow) => r.brokerOrderId !== null;
const refusedApproval = (r: RecommendationRow) =>
  r.status === "refused" || (r.status === "failed" && r.brokerOrderId === null);

export async function runEndOfDay(app: App, now: number): Promise<EndOfDayReport> {
  const day = tradingDay(now);
  const dayStart = utcInstant(day, "00:00");
  const existing = await app.performance.day(day);
  if (existing?.summaryMessageId)
    return { tradingDay: day, posted: false, realizedPl: existing.realizedPl, reason: "already summarized" };

  const [recs, opened, closed, active, breaker, totalBefore, withShares] = await Promise.all([
    app.recommendations.createdBetween(dayStart, now),
    // Entries that filled today, in full or in part: the positions they opened.
    app.positions.countOpenedSince(dayStart),
    app.positions.closedSince(dayStart),
    app.positions.active(),
    app.breakers.read(),
    app.performance.totalRealized(),
    app.positions.withShares(),
  ]);
  const equity = await app.broker.account().then(
    (a) => a.equity,
    (error) => {
      log.warn("end of day: account unavailable", errorFields(error));
      return null;
    },
  );
  const realizedPl = existing?.realizedPl ?? round(closed.reduce((s, p) => s + (p.realizedPl ?? 0), 0));
  // A trade closed at exactly $0.00 (after fees) is a scratch: neither a win nor a loss.
  const wins = closed.filter((p) => (p.realizedPl ?? 0) > 0).length;
  const losses = closed.filter((p) => (p.realizedPl ?? 0) < 0).length;
  const row: DailyPerformanceRow = {
    tradingDay: day,
    realizedPl,
    unrealizedPl: round(active.reduce((s, p) => s + (p.unrealizedPl ?? 0), 0)),
    totalRealizedPl: round(totalBefore),
    tradesOpened: opened,
    tradesClosed: closed.length,
    wins,
    losses,
    openPositions: active.length,
    openRisk: round(active.reduce((s, p) => s + p.maxLoss, 0)),
    equity,
    recommendationsPosted: recs.filter((r) => r.discordMessageId !== null).length,
    recommendationsApproved: recs.filter(becameOrder).length,
    recommendationsRejected: recs.filter((r) => r.status === "rejected").length,
    // Past the close no monitor runs to mark a pending idea expired: one past its time counts so.
    recommendationsExpired: recs.filter((r) => r.status === "expired" || (r.status === "pending" && r.expiresAt <= now))
      .length,
    breakerHalted: breaker.halted,
    summaryMessageId: null,
    createdAt: now,
  };
  // Where tomorrow's daily loss starts: each open position's P/L at its last mark now.
  await app.positions.recordCloseMarks(day);
  // A run that crashed after writing the row but before posting finds it here and posts it.
  if (existing) Object.assign(row, existing);
  else if (!(await app.performance.recordDay(row)))
    return { tradingDay: day, posted: false, realizedPl, reason: "already summarized" };

  // A rerun after a crash reuses the reflection the first run kept: one per day in the playbook.
  const kept = existing ? await app.performance.playbookEntry(day, "reflection") : undefined;
  const reflection = kept
    ? { author: kept.author, content: kept.content }
    : await reflect(app, day, row, closed, breaker);
  if (reflection && !kept)
    await app.performance.addPlaybook({
      tradingDay: day,
      kind: "reflection",
      author: reflection.author,
      content: reflection.content,
      createdAt: now,
    });

  const learned = await learn(app, now);
  const needsAttention = [...attentionLines(active, withShares), ...(await expiredInTheMoney(app, day, active))];
  const { files, week } = await charts(app, day, now);
  const weekPlaybook = week ? await app.playbook.learnedSince(now - 7 * 86_400_000).catch(() => null) : null;
  const { id } = await app.discord.post(
    endOfDayMessage(row, {
      reflection: reflection?.content ?? null,
      reflectionAuthor: reflection?.author ?? null,
      needsAttention,
      refusedApprovals: recs.filter(refusedApproval).length,
      unmarkedPositions: active.filter((p) => p.unrealizedPl === null).length,
      chart: files[0]?.name ?? null,
      week,
      weekPlaybook,
      ...learned,
    }),
    files,
  );
  await app.performance.setSummaryMessage(day, id);
  await app.archive.put(`days/${day}.json`, {
    row,
    reflection,
    recommendations: recs.map((r) => ({ id: r.id, status: r.status })),
    needsAttention,
  });
  const backup = await backUp(app, day, now);
  return {
    tradingDay: day,
    posted: true,
    realizedPl,
    reviewed: learned.lessons.length,
    rulesProposed: learned.rulesProposed.length,
    ...(backup ? { backup } : {}),
  };
}

/**
 * The playbook's learning: a review for each newly closed trade, then the rules they propose.
 * Best effort: the day's summary posts without it, and tomorrow's run picks up what is left.
 */
async function learn(app: App, now: number) {
  try {
    const lessons = await reviewClosedTrades(app, now);
    const rulesProposed = await proposePlaybookRules(app, now);
    return { lessons, rulesProposed };
  } catch (error) {
    log.warn("end of day: playbook not updated", errorFields(error));
    return { lessons: [], rulesProposed: [] };
  }
}

/**
 * The last 30 days' equity curve as an image (when a trade closed in them) and, on Fridays, the
 * week's track record. Best effort: without them the summary still posts.
 */
async function charts(app: App, day: string, now: number): Promise<{ files: MessageFile[]; week: TrackRecord | null }> {
  try {
    const isFriday = new Date(`${day}T12:00:00Z`).getUTCDay() === 5;
    const [month, week] = await Promise.all([
      trackRecordFor(app, "month", now),
      isFriday ? trackRecordFor(app, "week", now) : null,
    ]);
    const files =
      month.trades > 0
        ? [
            await equityChartFile(
              month.curve.map((p) => p.pl),
              EQUITY_CHART_FILE,
            ),
          ]
        : [];
    return { files, week };
  } catch (error) {
    log.warn("end of day: chart unavailable", errorFields(error));
    return { files: [], week: null };
  }
}

/**
 * The whole database to R2, and backups older than BACKUP_DAYS deleted. After the summary:
 * a failed backup is logged and retried by tomorrow's, it never holds back the day's post.
 */
async function backUp(app: App, day: string, now: number): Promise<EndOfDayReport["backup"] | null> {
  try {
    const saved = await app.backups.save(await app.backups.take(day, now));
    const pruned = await app.backups.prune(day, app.config.backups.keepDays);
    return { ...saved, pruned: pruned.length };
  } catch (error) {
    log.error("end of day: backup failed", errorFields(error));
    return null;
  }
}

/** The analyst's reflection on the day, or null when it has none (logged, never fatal). */
function reflect(
  app: App,
  day: string,
  row: DailyPerformanceRow,
  closed: PositionRow[],
  breaker: BreakerSnapshot,
): Promise<{ author: string; content: string } | null> {
  return app.analyst
    .reflect({
      tradingDay: day,
      realizedPl: row.realizedPl,
      tradesOpened: row.tradesOpened,
      tradesClosed: row.tradesClosed,
      wins: row.wins,
      losses: row.losses,
      notes: [
        ...closed.map(
          (p) =>
            `${p.symbol} ${strategyName(p.strategy)} closed (${lowerFirst(humanize(p.closeReason ?? "manual"))}): ${signedUsd(p.realizedPl ?? 0)}`,
        ),
        ...(scratches(row) > 0 ? [`${scratches(row)} closed at $0.00 (scratch: neither win nor loss)`] : []),
        ...(breaker.halted ? [`breaker halted: ${breaker.reasons.join("; ")}`] : []),
      ],
    })
    .catch((error: unknown) => {
      log.warn("end of day: reflection unavailable", errorFields(error));
      return null;
    });
}

/**
 * Positions that expired today with the short leg in the money: Alpaca assigns it overnight and
 * the bot books it at the next monitor run, so until then the summary says what that leaves,
 * at the underlying's last price. A price Alpaca cannot give leaves the line out (logged).
 */
async function expiredInTheMoney(app: App, day: string, active: PositionRow[]): Promise<string[]> {
  const expiring = active.filter((p) => p.expiration === day);
  if (expiring.length === 0) return [];
  // One whose short leg was assigned early already says what it holds (its attention line).
  const assigned = assignedEarlyIds(await app.brokerActivities.earlyAssignments());
  const expired = expiring.filter((p) => !assigned.has(p.id));
  if (expired.length === 0) return [];
  const prices = await app.broker.underlyingQuotes([...new Set(expired.map((p) => p.symbol))]).catch((error) => {
    log.warn("end of day: no prices for today's expirations", errorFields(error));
    return new Map<string, { price: number }>();
  });
  return expired.flatMap((p) => {
    const price = prices.get(p.symbol)?.price;
    if (price === undefined) return [];
    if (inTheMoneyBy(p.strategy, p.shortStrike, price) <= 0) return [];
    const leg = `${optionTypeOf(p.strategy)} ${p.shortStrike}`;
    return [
      `Position ${p.id} (${p.symbol} ${p.shortStrike}/${p.longStrike}) expired today with the short ${leg} in the money (${p.symbol} $${price.toFixed(2)}): Alpaca assigns it overnight (the bot books it at the next monitor run): ${assignmentOutlook(p, price)}`,
    ];
  });
}

/** What a person must look at, until it is resolved: every summary lists it again. */
function attentionLines(active: PositionRow[], withShares: PositionRow[]): string[] {
  const name = (p: PositionRow) => `Position ${p.id} (${p.symbol} ${p.shortStrike}/${p.longStrike})`;
  return [
    ...active.filter((p) => p.attention).map((p) => `${name(p)}: ${p.attention}`),
    ...withShares.map(
      (p) =>
        `${name(p)}: Alpaca holds ${Math.abs(p.shares)} ${p.symbol} shares ${p.shares > 0 ? "long" : "short"} from its ${p.closeReason ?? "expiry"}; flatten them with the button on its message.`,
    ),
  ];
}

const round = (n: number) => Math.round(n * 100) / 100;
