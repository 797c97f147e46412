// /status and /portfolio: what a trader needs to see at a glance. Reads our records first;
// the broker is asked with a short timeout so the answer still comes within Discord's 3 s.
import type { App } from "../app";
import { spreadName } from "../discord/messages/format";
import type { PortfolioView } from "../discord/messages/portfolio";
import type { StatusView, TodayView } from "../discord/messages/status";
import { dailyLossBase, dayPl } from "../domain/breakers";
import { nextRuns } from "../domain/job-slots";
import { LIVE_STATUSES } from "../domain/recommendation-state";
import { errorFields, log } from "../log";
import { orNull } from "./or-null";
import { breakerLimits, type RiskNumbers, riskNumbers } from "./risk-state";

/** Broker reads inside an interaction answer get this long before the answer goes without them. */
const BROKER_WAIT_MS = 1500;
const brokerWait = (app: App) => (app.replyGivesUp ? { withinMs: BROKER_WAIT_MS } : {});

export async function statusView(app: App, now: number): Promise<StatusView> {
  const [clock, account, breaker, pending, runs, discordFailure, risk] = await Promise.all([
    orNull(app.broker.clock(), "clock", brokerWait(app)),
    orNull(app.broker.account(), "account", brokerWait(app)),
    app.breakers.read().catch((error: unknown) => {
      log.error("status: breaker state unreadable", errorFields(error));
      return null;
    }),
    app.recommendations.withStatus(LIVE_STATUSES, 10),
    app.jobRuns.recent(6),
    app.kv.lastDiscordFailure().catch(() => null),
    riskNumbers(app, now).catch((error: unknown) => {
      log.error("status: risk numbers unreadable", errorFields(error));
      return null;
    }),
  ]);
  return {
    mode: app.config.mode,
    market: clock && { isOpen: clock.isOpen, nextOpen: clock.nextOpen, nextClose: clock.nextClose },
    optionsLevel: account && { trading: account.optionsLevel, approved: account.optionsApprovedLevel },
    breaker: breaker
      ? { halted: breaker.halted, reasons: breaker.reasons, changedBy: breaker.changedBy, changedAt: breaker.changedAt }
      : { halted: true, reasons: ["breaker state unreadable: entries refused"], changedBy: null, changedAt: null },
    // An idea whose time is up is no longer waiting, though no run has swept it yet.
    pending: pending
      .filter((r) => r.status !== "pending" || r.expiresAt > now)
      .map((r) => ({
        id: r.id,
        title: `${spreadName(r)} (${r.status})`,
        expiresAt: r.expiresAt,
      })),
    // When each run happened (an end of day run on demand at 09:55 ran then, not at 16:15).
    lastRuns: runs.map((r) => ({
      job: r.job,
      startedAt: r.startedAt,
      scheduledTime: r.scheduledTime,
      outcome: r.outcome,
      reason: r.reason,
    })),
    nextRuns: nextRuns(now, app.config.schedule.scanTimes),
    today: risk && todayView(app, risk, account?.equity ?? null),
    // Within the last hour: older refusals are history, the logs keep them.
    discordFailure: discordFailure && now - discordFailure.at < 60 * 60_000 ? discordFailure : null,
    analyst: app.config.analyst.apiKey
      ? `Claude (${app.config.analyst.model})`
      : "Rule-based analyst (no Anthropic key)",
  };
}

/** The day's P/L and the open book against the limits, at the equity Alpaca reports now. */
function todayView(app: App, risk: RiskNumbers, equity: number | null): TodayView {
  const { dailyLossLimitPct, maxOpenPositions, maxTotalRiskPct } = breakerLimits(app);
  const known = equity !== null && equity > 0;
  return {
    pl: dayPl(risk),
    realized: risk.realizedPlToday,
    openSinceLastClose: Math.round((risk.unrealizedPl - risk.openPlAtLastClose) * 100) / 100,
    unmarked: risk.unmarkedPositions,
    lossLimit: known ? dailyLossBase({ equity, dayStartEquity: risk.dayStartEquity }) * dailyLossLimitPct : null,
    lossLimitPct: dailyLossLimitPct,
    openPositions: risk.openPositions,
    maxOpenPositions,
    openRisk: risk.openRisk,
    riskLimit: known ? equity * maxTotalRiskPct : null,
    riskLimitPct: maxTotalRiskPct,
  };
}

export async function portfolioView(app: App): Promise<PortfolioView> {
  const [positions, account] = await Promise.all([
    app.positions.active(),
    orNull(app.broker.account(), "account", brokerWait(app)),
  ]);
  return {
    positions,
    buyingPower: account?.optionsBuyingPower ?? null,
    equity: account?.equity ?? null,
    openRisk: positions.reduce((sum, p) => sum + p.maxLoss, 0),
  };
}
