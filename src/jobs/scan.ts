// The scan: for each watchlist symbol, fetch the chain, screen it with the core, skip what is
// already pending or held, ask the analyst, size, store, post one embed per idea, archive.
// It decides nothing itself: every judgement is a core function (the screener, sizing, events, and
// the scan's own ranking, analyst budget and row in domain/scan-plan.ts); this file orchestrates.
import type { NewRecommendation, RecommendationRow } from "../../drizzle/schema";
import { type LoadedPlaybook, playbookLines } from "../actions/playbook";
import { refreshRecommendationMessage } from "../actions/refresh-messages";
import type { IdeaForAnalysis, Thesis } from "../analyst/port";
import type { App } from "../app";
import { RequestBudgetExceeded } from "../broker/port";
import { haltedScanNotice, noticeMessage } from "../discord/messages/notice";
import { recommendationMessage, recommendationView } from "../discord/messages/recommendation";
import { DiscordError, type MessageBody } from "../discord/port";
import { ATM_IV_TENOR_DAYS, atmImpliedVolatility } from "../domain/atm-iv";
import { riskHeadroom } from "../domain/breakers";
import { chainInterest, sideStrikes } from "../domain/chain-interest";
import { addDays } from "../domain/dates";
import { type EventsChecked, type ExDividend, firstAllowed, judgeEvents } from "../domain/events";
import { MODEL_RATES } from "../domain/greeks-from-quotes";
import { tradingDay } from "../domain/market-time";
import { optionsLevelProblem } from "../domain/options-level";
import { newestQuoteAt, quoteFreshness, staleQuoteReason } from "../domain/quote-age";
import {
  chainBySide,
  claudeCallsWithinBudget,
  NOTICE_OPS,
  rankIdeas,
  readsLeft,
  recommendationExpiry,
  recommendationRow,
} from "../domain/scan-plan";
import { profitAtExitProbability, type SpreadCandidate, screenCreditSpreads } from "../domain/screener";
import { type Sizing, sizeTrade } from "../domain/sizing";
import { strikeWindow } from "../domain/strike-window";
import type { UnderlyingQuote } from "../domain/types";
import { IV_RANK_DAYS, ivRank } from "../domain/volatility";
import { errorFields, log } from "../log";
import { checkOpenInterest, type Screened, skipUnavailable } from "./scan-open-interest";
import { overBudgetNotice, recordOverBudget } from "./scan-over-budget";

/** Why a symbol with an idea posted none: the scan's slots went to better ones (rankIdeas). */
const CROWDED_OUT = "a better idea took this scan's last slot";

/** Days short of the 30-day ATM IV the chain also reaches: one weekly expiry's spacing. */
const ATM_IV_REACH_DAYS = 7;

interface Idea {
  candidate: SpreadCandidate;
  price: number;
  /** Days of IV history behind the candidate's IV rank (null: no rank). */
  ivRankDays: number | null;
  /** The ex-dividend and blackout dates checked before its expiry (events.ts). */
  events: EventsChecked;
}
type Sized = Exclude<Sizing, { reason: string }>;
/** A sized idea, with its chance of being in profit at the bot's time exit (the thesis and the card both say it). */
type SizedIdea = Idea & { sizing: Sized; profitAtExit: number | null };

export interface ScanReport {
  tradingDay: string;
  posted: { id: string; symbol: string; title: string }[];
  skipped: { symbol: string; reason: string }[];
  subrequests: number;
}

export interface ScanOptions {
  /**
   * Aborts when the ideas must be written without waiting any longer for Claude: /scan runs in
   * waitUntil, which the platform cuts 30 s after the response, and posting still has to follow.
   */
  analysisDeadline?: AbortSignal;
  /** Subrequests the invocation spent before the scan (the midday review's): Claude gets fewer. */
  spentBefore?: number;
}

export async function runScan(
  app: App,
  now: number,
  scanRunId: number | null,
  options: ScanOptions = {},
): Promise<ScanReport> {
  const day = tradingDay(now);
  const report: ScanReport = { tradingDay: day, posted: [], skipped: [], subrequests: 0 };
  const { config, broker } = app;

  // Everything the scan reads from D1 before it screens, in one round trip (store/scan-book.ts),
  // read before the halted, options-level and market checks: one subrequest either way, and a
  // halted or closed scan is rare enough that reading the rest for nothing costs less than a second trip.
  const book = await app.scanBook.open(config.watchlist, IV_RANK_DAYS, now);
  // Ideas this read expired (nobody swept them: after hours, or a monitor missed) say so on their cards.
  for (const rec of book.expired) await refreshRecommendationMessage(app, rec, now);
  if (book.breaker.halted) {
    report.skipped.push({ symbol: "*", reason: `circuit breaker halted: ${book.breaker.reasons.join("; ")}` });
    // A halt lasts until a person resumes, days if nobody does: the channel hears so once a day
    // after the day it came (that day, the halt or the breaker's trip said so already).
    const haltedToday = book.breaker.changedAt !== null && tradingDay(book.breaker.changedAt) === day;
    if (!haltedToday) await noticeOncePerDay(app, "halted", day, haltedScanNotice(book.breaker));
    return report;
  }
  const [clock, account] = await Promise.all([broker.clock(), broker.account()]);
  // Below options level 3 every Approve would fail at Alpaca: one notice a day instead of ideas.
  const levelProblem = optionsLevelProblem({ trading: account.optionsLevel, approved: account.optionsApprovedLevel });
  if (levelProblem) {
    report.skipped.push({ symbol: "*", reason: levelProblem });
    const notice = noticeMessage("Spreads need options level 3 at Alpaca", levelProblem, "warn");
    await noticeOncePerDay(app, "options-level", day, notice);
    return report;
  }
  if (!clock.isOpen) {
    report.skipped.push({ symbol: "*", reason: "market closed" });
    return report;
  }

  // Symbols with an idea waiting for a person, or a position held, are not offered again.
  const { live, held, playbook, ivHistories, committed } = book;
  // What the total-risk limit leaves beside open positions and entries in flight: no size
  // offered (1×, 2×, max) may exceed it. The claim checks again at the click.
  const headroom = riskHeadroom(committed, account.equity, config.risk.maxTotalRiskPct);
  const busy = new Set([...live.map((r) => r.symbol), ...held.map((p) => p.symbol)]);
  // Never past the close: a day order approved after it would wait for tomorrow at a stale price.
  const expiresAt = recommendationExpiry(now, config.risk.recommendationTtlMinutes, clock.nextClose);

  const candidates = config.watchlist.filter((symbol) => {
    if (!busy.has(symbol)) return true;
    report.skipped.push({ symbol, reason: "already has a pending recommendation or an open position" });
    return false;
  });
  // One request for every underlying's price, beside the ex-dividend dates (neither needs the
  // other); then one or more per chain.
  const [prices, exDividends] = await Promise.all([
    candidates.length > 0 ? broker.underlyingQuotes(candidates) : new Map<string, UnderlyingQuote>(),
    readExDividends(app, candidates, day),
  ]);

  // Only the strikes the screener can use, sized on each symbol's newest ATM IV (strike-window.ts),
  // and of those only the contracts it reads (chain-interest.ts); by side when the budget allows.
  const strikeRange = (spot: number, atmIv: number | null, bySide: boolean) => {
    const window = strikeWindow({
      spot,
      atmIv,
      dteMax: config.strategy.dteMax,
      shortDeltaMin: config.strategy.shortDeltaMin,
      widths: config.strategy.widths,
      rate: MODEL_RATES.rate,
    });
    const wingsFrom = addDays(day, config.strategy.dteMin);
    const interest = { spot, atmIv, dteMax: config.strategy.dteMax, rate: MODEL_RATES.rate, wingsFrom };
    const sides = bySide ? sideStrikes(interest, window) : null;
    return {
      strikeFrom: window.from,
      strikeTo: window.to,
      select: chainInterest(interest),
      ...(sides ? { sides } : {}),
    };
  };
  // What the reads may still spend of the invocation's subrequests (scan-plan.ts readsLeft).
  const budget = config.risk.subrequestBudget;
  // One idea a symbol at most: a watchlist shorter than the slots needs fewer posts.
  const slots = Math.min(config.risk.maxRecommendationsPerScan, candidates.length);
  const readsLeftNow = (listingsToCome: boolean) =>
    readsLeft({ spent: (options.spentBefore ?? 0) + broker.subrequestCount(), budget, slots, listingsToCome });
  const claudeIdeas = config.analyst.apiKey ? slots : 0;
  const listingsToCome = config.strategy.minOpenInterest > 0;
  /** Symbols whose chain the budget left unread: once one is, the rest are, in watchlist order. */
  const chainsUnread: string[] = [];
  const ivToday: { symbol: string; iv: number }[] = [];
  // First every chain, screened: each symbol's best spread that no event refuses.
  const pool: Screened[] = [];
  for (const [index, symbol] of candidates.entries()) {
    const quote = prices.get(symbol);
    if (!quote) {
      report.skipped.push({ symbol, reason: "no price from the broker" });
      continue;
    }
    // After a chain the budget stopped, none is left for the next either: say so without asking.
    const maxRequests = chainsUnread.length > 0 ? 0 : readsLeftNow(listingsToCome);
    if (maxRequests < 1) {
      chainsUnread.push(symbol);
      continue;
    }
    try {
      const chain = await broker.optionChain({
        underlying: symbol,
        underlyingQuote: quote,
        // A week short of the 30-day ATM IV too, so an expiry on each side of it can be read.
        expirationFrom: addDays(day, Math.min(config.strategy.dteMin, ATM_IV_TENOR_DAYS - ATM_IV_REACH_DAYS)),
        expirationTo: addDays(day, config.strategy.dteMax),
        ...strikeRange(
          quote.price,
          ivHistories.get(symbol)?.[0] ?? null,
          chainBySide({ readsLeft: maxRequests, chainsAfter: candidates.length - index - 1, claudeIdeas }),
        ),
        // Looked up for the chosen spreads' legs only, below.
        openInterest: false,
        maxRequests,
      });
      const atm = atmImpliedVolatility(chain, now);
      const atmIv = atm?.iv ?? null;
      if (atmIv !== null) ivToday.push({ symbol, iv: atmIv });
      const rank = atmIv === null ? null : ivRank(ivHistories.get(symbol) ?? [], atmIv);
      const screened = screenCreditSpreads(
        chain,
        { ...config.strategy, minOpenInterest: 0 },
        {
          now,
          ivRank: rank?.kind === "ok" ? rank.rank : null,
          // The rates the broker adapter read quotes at, so both agree (greeks-from-quotes.ts).
          rate: MODEL_RATES.rate,
          dividendYield: MODEL_RATES.dividendYield,
          fees: config.fees,
        },
      );
      // The best spread no event refuses: a bear call across an ex-date, anything across a blackout.
      const judge = (c: SpreadCandidate) =>
        judgeEvents({
          underlying: symbol,
          strategy: c.strategy,
          expiration: c.expiration,
          today: day,
          exDividends,
          blackouts: config.events.blackoutDates,
        });
      const allowed = firstAllowed(screened.candidates, judge);
      pool.push({
        symbol,
        price: quote.price,
        contracts: chain.contracts.length,
        newestQuote: newestQuoteAt(chain.contracts),
        atm,
        rank,
        screened,
        judge,
        allowed,
        openInterest: "unread",
      });
    } catch (error) {
      if (error instanceof RequestBudgetExceeded) chainsUnread.push(symbol);
      else skipUnavailable(report, symbol, error);
    }
  }
  // Then the open interest of the chosen spreads' legs, best first, only as far as the slots need.
  await checkOpenInterest(app, pool, report, () => readsLeftNow(false));
  const listingsUnread = pool.filter((s) => s.openInterest === "over budget").map((s) => s.symbol);
  const overBudget = [...chainsUnread, ...listingsUnread];
  recordOverBudget(report, chainsUnread, listingsUnread, budget);

  const ideas: Idea[] = [];
  const archived: Record<string, unknown>[] = [];
  for (const { symbol, price, contracts, newestQuote, atm, rank, screened, allowed, openInterest } of pool) {
    if (openInterest === "failed" || openInterest === "over budget") continue;
    archived.push({
      symbol,
      price,
      contracts,
      atmIv: atm?.iv ?? null,
      atmIvFrom: atm?.from.map((p) => p.expiration) ?? [],
      screened: summarize(screened),
      openInterest,
    });
    const pick = allowed.chosen;
    if (pick && openInterest === "unread") report.skipped.push({ symbol, reason: CROWDED_OUT });
    else if (pick) {
      const ivRankDays = rank?.kind === "ok" ? rank.observations : null;
      ideas.push({ candidate: pick.candidate, price, ivRankDays, events: pick.checked });
    } else if (allowed.refused.length > 0)
      report.skipped.push({
        symbol,
        reason: `every spread that passed the rules spans an event: ${[...new Set(allowed.refused)].join("; ")}`,
      });
    else
      report.skipped.push({
        symbol,
        reason: noSpreadReason(symbol, newestQuote, screened.rejected, now, config.strategy.maxQuoteAgeSeconds),
      });
  }

  // The best ideas across the watchlist, at most the configured number: fewer, better posts.
  const { chosen, crowdedOut } = rankIdeas(ideas, config.risk.maxRecommendationsPerScan);
  for (const idea of crowdedOut) {
    report.skipped.push({ symbol: idea.candidate.underlying, reason: CROWDED_OUT });
  }
  const sized: SizedIdea[] = [];
  for (const { candidate: best, price, ivRankDays, events } of chosen) {
    const symbol = best.underlying;
    const sizing = sizeTrade({
      equity: account.equity,
      buyingPower: account.optionsBuyingPower,
      riskPerTradePct: config.risk.riskPerTradePct,
      maxLossPerContract: best.maxLoss,
      maxContracts: config.risk.maxContracts,
      riskHeadroom: headroom,
    });
    if ("reason" in sizing) {
      report.skipped.push({ symbol, reason: `cannot size: ${sizing.reason}` });
      continue;
    }
    const profitAtExit = profitAtExitProbability(best, config.exits.exitDte, MODEL_RATES.rate);
    sized.push({ candidate: best, price, ivRankDays, events, sizing, profitAtExit });
  }
  // The notice about the symbols left unread comes after the posts, from the share kept for it.
  const noticeOps = overBudget.length > 0 ? NOTICE_OPS : 0;
  const analysed = await analyseAll(app, sized, playbook, options.analysisDeadline, {
    spentBefore: options.spentBefore ?? 0,
    keptAfter: noticeOps,
  });
  const rows: NewRecommendation[] = [];
  for (const { candidate, price, ivRankDays, events, sizing, profitAtExit, thesis } of analysed) {
    const id = newRecommendationId(candidate.underlying, now);
    rows.push(
      recommendationRow({
        id,
        now,
        scanRunId,
        candidate,
        underlyingPrice: price,
        ivRankDays,
        events,
        sizing,
        thesis,
        expiresAt,
        profitAtExitProbability: profitAtExit,
      }),
    );
  }

  await app.ivHistory.recordMany(day, ivToday);
  const stored = await app.recommendations.insert(rows);
  const storedIds = new Set(stored.map((r) => r.id));
  for (const row of rows)
    if (!storedIds.has(row.id))
      report.skipped.push({ symbol: row.symbol, reason: "another scan posted an idea for it a moment ago" });
  const discordDown = await postAll(app, stored, now, report);
  report.subrequests = broker.subrequestCount();
  await app.archive.put(`scans/${day}/${now}.json`, { at: now, scanRunId, inputs: archived, report });
  // Last, so that a notice spending past its share (Discord failing it) costs nothing the scan
  // needed; not at all when Discord is down: the cards' posts just spent its retries.
  if (overBudget.length > 0 && !discordDown)
    await noticeOncePerDay(app, "scan-budget", day, overBudgetNotice(overBudget, candidates.length, budget));
  return report;
}

/**
 * Ex-dividend dates of the symbols from today to the longest expiry, read once per scan. When
 * they cannot be read the scan goes on with null: the rule then refuses every bear call (a short
 * call across an ex-date nobody saw is the early-assignment risk it exists for: fail closed),
 * while a bull put, which has no short call for a dividend to pull early, is still offered and
 * its card says the dates were not checked. Stopping the whole scan would hide good puts for a
 * data gap that does not concern them.
 */
async function readExDividends(app: App, symbols: string[], day: string): Promise<ExDividend[] | null> {
  if (symbols.length === 0) return [];
  try {
    return await app.broker.exDividends(symbols, day, addDays(day, app.config.strategy.dteMax));
  } catch (error) {
    log.warn("scan: ex-dividend dates unavailable; bear calls are not offered", errorFields(error));
    return null;
  }
}

/** Posts each idea's card; true when Discord turned out to be down. */
async function postAll(app: App, rows: RecommendationRow[], now: number, report: ScanReport): Promise<boolean> {
  const posted: { id: string; messageId: string }[] = [];
  // A post that failed through the client's retries on a 5xx, 429 or dropped connection says
  // Discord is down: the rest are not tried, each would spend three more subrequests of the
  // invocation's 50 on it. A 4xx is about that card only; the next ones are still posted.
  let discordDown = false;
  for (const row of rows) {
    if (!discordDown) {
      try {
        const message = recommendationMessage(row, recommendationView(row, app.config, now));
        const { id: messageId } = await app.discord.post(message);
        posted.push({ id: row.id, messageId });
        report.posted.push({ id: row.id, symbol: row.symbol, title: message.embeds?.[0]?.title ?? row.symbol });
        continue;
      } catch (error) {
        discordDown = error instanceof DiscordError && error.retryable;
        log.error("scan: could not post recommendation", { recommendationId: row.id, ...errorFields(error) });
      }
    }
    // Nobody can approve what nobody can see: the idea is withdrawn, with the reason kept.
    await app.recommendations.transition(row.id, "expired", now, { statusReason: "Could not be posted to Discord." }, [
      "pending",
    ]);
    report.skipped.push({ symbol: row.symbol, reason: "could not post to Discord" });
  }
  await app.recommendations.setMessages(posted, app.config.discord.channelId, now);
  return discordDown;
}

/**
 * A thesis per idea, Claude's calls all at once (one after another, three 15 s calls could not
 * fit in waitUntil). Past the subrequest budget, or once the deadline passes, the rule-based
 * analyst writes, and the card says why. Calls in flight together may each pass the daily budget
 * check before any records its cost: the overshoot is one scan's calls, a few cents.
 */
function analyseAll<I extends SizedIdea>(
  app: App,
  ideas: I[],
  playbook: LoadedPlaybook,
  deadline: AbortSignal | undefined,
  /** Subrequests the broker did not count: spent before the scan, and kept for what follows the posts. */
  outside: { spentBefore: number; keptAfter: number },
): Promise<(I & { thesis: Thesis })[]> {
  const claudeCalls = claudeCallsWithinBudget({
    claude: Boolean(app.config.analyst.apiKey),
    ideas: ideas.length,
    spent: outside.spentBefore + app.broker.subrequestCount() + outside.keptAfter,
    budget: app.config.risk.subrequestBudget,
  });
  return Promise.all(
    ideas.map(async (sized, i) => {
      const idea = ideaOf(sized, app.config.exits.exitDte);
      const thesis =
        i < claudeCalls
          ? await app.analyst.analyse(idea, playbookLines(idea, playbook), deadline ? { signal: deadline } : {})
          : app.analyst.byRules(idea, "subrequest budget");
      return { ...sized, thesis };
    }),
  );
}

function ideaOf({ candidate: c, price: underlyingPrice, profitAtExit }: SizedIdea, exitDte: number): IdeaForAnalysis {
  return {
    symbol: c.underlying,
    strategy: c.strategy,
    expiration: c.expiration,
    dte: c.dte,
    shortStrike: c.short.strike,
    longStrike: c.long.strike,
    width: c.width,
    credit: c.credit,
    maxLoss: c.maxLoss,
    breakeven: c.breakeven,
    probabilityOfProfit: c.probabilityOfProfit,
    ivRank: c.ivRank,
    underlyingPrice,
    shortDelta: c.shortDelta,
    impliedVolatility: c.short.impliedVolatility,
    profitAtExit: profitAtExit === null ? null : { probability: profitAtExit, exitDte },
  };
}

function summarize(screened: ReturnType<typeof screenCreditSpreads>) {
  return {
    considered: screened.considered,
    candidates: screened.candidates.length,
    rejected: screened.rejected,
    best: screened.candidates.slice(0, 3).map((c) => ({
      strategy: c.strategy,
      expiration: c.expiration,
      short: c.short.strike,
      long: c.long.strike,
      credit: c.credit,
      score: c.score,
      greeksSource: c.greeksSource,
    })),
  };
}

/**
 * Why no idea came from a chain. When quotes too old (or without a time) kept every spread out
 * and even the chain's newest quote is past the limit, that is the reason, with the age: the
 * idea was skipped, not posted on old prices. Otherwise the rejection counts.
 */
function noSpreadReason(
  symbol: string,
  newestQuote: number | null,
  rejected: Record<string, number>,
  now: number,
  maxQuoteAgeSeconds: number,
): string {
  const byAge = (rejected.stale_quote ?? 0) + (rejected.quote_time_unknown ?? 0);
  const chainAge = quoteFreshness(newestQuote, now, maxQuoteAgeSeconds);
  const stale = byAge > 0 ? staleQuoteReason(chainAge, maxQuoteAgeSeconds, `${symbol}'s option quotes`) : null;
  if (stale) {
    log.warn("scan: quotes too old, idea skipped", { symbol, kind: chainAge.kind, maxQuoteAgeSeconds });
    return `idea skipped: ${stale}`;
  }
  return `no spread passed the rules (${describeRejections(rejected)})`;
}

function describeRejections(rejected: Record<string, number>): string {
  const entries = Object.entries(rejected).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? "empty chain" : entries.map(([k, n]) => `${k.replaceAll("_", " ")} ${n}`).join(", ");
}

/** Short, unique, safe in a custom id: e.g. SPY-mg3k2a-7f3q. */
function newRecommendationId(symbol: string, now: number): string {
  return `${symbol}-${now.toString(36)}-${crypto.randomUUID().slice(0, 4)}`;
}

/**
 * A scan's notice (why it stopped before any symbol, or why the budget cut it short), once a
 * day. One Discord did not take is logged, not the run's failure: its day's mark is not
 * written, so the next scan tries again.
 */
async function noticeOncePerDay(app: App, name: string, day: string, notice: MessageBody): Promise<void> {
  await app.kv
    .postOncePerDay(name, day, () => app.discord.post(notice))
    .catch((error: unknown) => log.warn("scan notice not posted", { notice: name, ...errorFields(error) }));
}
