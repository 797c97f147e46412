import type {
  APIButtonComponentWithCustomId,
  APIEmbed,
  RESTPostAPIChannelMessageJSONBody,
} from "discord-api-types/v10";
import { ButtonStyle, ComponentType } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import type { DailyPerformanceRow, PositionRow, RecommendationRow } from "../../../drizzle/schema";
import { endOfDayMessage } from "../../../src/discord/messages/end-of-day";
import { jobErrorMessage } from "../../../src/discord/messages/job-error";
import { buttonRows, embedLength, truncate } from "../../../src/discord/messages/limits";
import { noticeMessage } from "../../../src/discord/messages/notice";
import { portfolioMessage } from "../../../src/discord/messages/portfolio";
import { closedMessage, closingMessage, exitAlertMessage } from "../../../src/discord/messages/position-alert";
import { recommendationMessage } from "../../../src/discord/messages/recommendation";
import { type StatusView, statusMessage } from "../../../src/discord/messages/status";

const NOW = Date.UTC(2026, 11, 12, 15, 0);

function rec(overrides: Partial<RecommendationRow> = {}): RecommendationRow {
  return {
    id: "r1abc",
    createdAt: NOW,
    updatedAt: NOW,
    scanRunId: null,
    symbol: "SPY",
    strategy: "bull_put",
    expiration: "2027-01-16",
    shortSymbol: "SPY270116P00580000",
    longSymbol: "SPY270116P00575000",
    shortStrike: 580,
    longStrike: 575,
    width: 5,
    underlyingPrice: 601.25,
    credit: 1.25,
    shortDelta: -0.22,
    maxLoss: 375.24,
    breakeven: 578.7512,
    probabilityOfProfit: 0.72,
    midCredit: 1.31,
    naturalCredit: 1.19,
    edge: 4.2,
    referenceVolatility: 0.152,
    profitAtExitProbability: 0.78,
    ivRank: 45,
    ivRankDays: 32,
    quotesAt: NOW - 12_000,
    events: null,
    score: 0.6,
    contracts: 2,
    maxContracts: 4,
    analyst: "Rule-based analyst",
    thesis: "Support at 585 held twice this month.",
    confidence: 0.6,
    risks: ["CPI on Wednesday"],
    status: "pending",
    statusReason: null,
    expiresAt: NOW + 30 * 60_000,
    discordChannelId: null,
    discordMessageId: null,
    clientOrderId: "sd-open-r1abc",
    brokerOrderId: null,
    limitPrice: null,
    filledContracts: null,
    fillCredit: null,
    limitWalk: null,
    limitFloor: null,
    decidedBy: null,
    decidedAt: null,
    ...overrides,
  };
}

function position(overrides: Partial<PositionRow> = {}): PositionRow {
  return {
    id: 7,
    recommendationId: "r1abc",
    symbol: "SPY",
    strategy: "bull_put",
    expiration: "2027-01-16",
    shortSymbol: "SPY270116P00580000",
    longSymbol: "SPY270116P00575000",
    shortStrike: 580,
    longStrike: 575,
    contracts: 2,
    entryCredit: 1.25,
    maxLoss: 750,
    status: "open",
    openedAt: NOW,
    mark: 0.6,
    unrealizedPl: 130,
    markedAt: NOW,
    plAtLastClose: null,
    plAtLastCloseDay: null,
    realizedAtLastClose: null,
    outsideOrderIds: null,
    exitAlert: null,
    exitAlertMessageId: null,
    exitAlertAt: null,
    expiryAlertAt: null,
    closeClientOrderId: null,
    closeWalk: null,
    closeBookedQty: 0,
    closeOrderAvg: null,
    closeReason: null,
    closePrice: null,
    realizedPl: null,
    closedAt: null,
    attention: null,
    openedContracts: 2,
    shares: 0,
    sharesMark: null,
    flattenClientOrderId: null,
    updatedAt: NOW,
    ...overrides,
  };
}

const VIEW = {
  now: NOW,
  mode: "paper" as const,
  dte: 35,
  dataFeed: "indicative" as const,
  exitDte: 21,
  limitStartsAtMid: true,
  sizeChoices: [
    { label: "1", contracts: 1 },
    { label: "2", contracts: 2 },
    { label: "4 (max)", contracts: 4 },
  ],
};

/** Every limit Discord enforces on a message body; throws naming the one broken. */
function expectValidDiscordMessage(body: RESTPostAPIChannelMessageJSONBody): void {
  const embeds = body.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(10);
  expect(embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(6000);
  for (const e of embeds) {
    expect((e.title ?? "").length).toBeLessThanOrEqual(256);
    expect((e.description ?? "").length).toBeLessThanOrEqual(4096);
    expect((e.footer?.text ?? "").length).toBeLessThanOrEqual(2048);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(25);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(256);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.value.length).toBeLessThanOrEqual(1024);
    }
  }
  expect((body.content ?? "").length).toBeLessThanOrEqual(2000);
  expect((body.components ?? []).length).toBeLessThanOrEqual(5);
  for (const b of buttonsOf(body)) {
    expect(b.custom_id.length).toBeLessThanOrEqual(100);
    expect((b.label ?? "").length).toBeLessThanOrEqual(80);
  }
}

function buttonsOf(body: RESTPostAPIChannelMessageJSONBody): APIButtonComponentWithCustomId[] {
  const out: APIButtonComponentWithCustomId[] = [];
  for (const row of body.components ?? []) {
    if (row.type !== ComponentType.ActionRow) continue;
    expect(row.components.length).toBeLessThanOrEqual(5);
    for (const c of row.components) if (c.type === ComponentType.Button && "custom_id" in c) out.push(c);
  }
  return out;
}

function embed(body: RESTPostAPIChannelMessageJSONBody): APIEmbed {
  const e = body.embeds?.[0];
  if (!e) throw new Error("message has no embed");
  return e;
}

const text = (e: APIEmbed) =>
  [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].join("\n");

describe("recommendation message", () => {
  it("a pending recommendation shows the trade, credit/max loss/chance of profit first, and one Approve per size plus Reject", () => {
    const body = recommendationMessage(rec(), VIEW);
    expectValidDiscordMessage(body);
    const e = embed(body);
    expect(e.title).toBe("SPY bull put 580/575 · 16 Jan 2027 (35 DTE)");
    expect(e.fields?.slice(0, 3).map((f) => f.name)).toEqual(["Credit", "Max loss", "Chance of profit"]);
    expect(e.fields?.[0]?.value).toBe("$1.25/sh · $250 for 2\nmid $1.31 · natural $1.19");
    expect(e.fields?.[1]?.value).toBe("$750.48 ($375.24/ct incl. fees)");
    expect(e.fields?.[2]?.value).toBe("72% at expiry\n78% at the 21-DTE exit");
    const all = text(e);
    expect(all).toContain("IV rank of 30-day ATM IV (32 days)\n45");
    expect(all).toContain("Edge\n+$4/ct vs ATM IV 15.2%\n");
    const below = text(embed(recommendationMessage(rec({ edge: -20 }), VIEW)));
    expect(below).toContain("Edge\n−$20/ct vs ATM IV 15.2% (credit under its value there)");
    expect(all).toContain("Quotes\nindicative (delayed) · 12 s old");
    expect(all).toContain("Breakeven\n$578.75 at expiry, incl. entry fees");
    expect(all).toContain("Thesis — Rule-based analyst · confidence 60%");
    expect(all).toContain("Support at 585 held twice");
    expect(all).toContain("• CPI on Wednesday");
    expect(all).toContain(`Expires <t:${Math.floor((NOW + 30 * 60_000) / 1000)}:R>`);
    expect(all).toContain("PAPER");
    expect(buttonsOf(body).map((b) => [b.label, b.custom_id, b.style])).toEqual([
      ["Approve 1", "v1:approve:r1abc:1", ButtonStyle.Success],
      ["Approve 2", "v1:approve:r1abc:2", ButtonStyle.Success],
      ["Approve 4 (max)", "v1:approve:r1abc:4", ButtonStyle.Success],
      ["Reject", "v1:reject:r1abc", ButtonStyle.Danger],
    ]);
  });

  it("says 'unavailable' for a missing IV rank, delta or POP instead of a made-up number", () => {
    const all = text(
      embed(
        recommendationMessage(
          rec({
            ivRank: null,
            ivRankDays: null,
            shortDelta: null,
            probabilityOfProfit: null,
            profitAtExitProbability: null,
            quotesAt: null,
          }),
          VIEW,
        ),
      ),
    );
    expect(all).toMatch(/IV rank of 30-day ATM IV\nunavailable/);
    expect(all).toMatch(/Short Δ\nunavailable/);
    expect(all).toMatch(/Chance of profit\nunavailable/);
    expect(all).toMatch(/Quotes\nindicative \(delayed\) · age unknown/);
  });

  it("compares the first limit with the card's price of the same kind: the mid a walk starts at, else the estimate", () => {
    const submitted = { status: "submitted" as const, brokerOrderId: "ord-9", limitPrice: -1.34, decidedBy: "42" };
    const walking = embed(recommendationMessage(rec(submitted), VIEW)).description;
    const still = embed(recommendationMessage(rec(submitted), { ...VIEW, limitStartsAtMid: false })).description;
    const atMid = embed(recommendationMessage(rec({ ...submitted, limitPrice: -1.31 }), VIEW)).description;

    expect(walking).toContain("limit $1.34 credit (the mid now; $1.31 on the card)");
    expect(still).toContain("limit $1.34 credit (the fill estimate now; $1.25 on the card)");
    expect(atMid).toContain("limit $1.31 credit · order");
  });

  it("shows a filled entry's own credit and max loss, not the card's estimates", () => {
    const filled = rec({
      status: "filled",
      brokerOrderId: "ord-9",
      limitPrice: -1.35,
      filledContracts: 2,
      fillCredit: 1.35,
      decidedBy: "42",
    });
    const e = embed(recommendationMessage(filled, VIEW));

    expect(e.description).toMatch(/^✅ \*\*Filled at \$1\.35 credit\*\*/);
    // The card's max loss was $375.24 a contract at $1.25: $10 less at $1.35, fees unchanged.
    expect(e.fields).toEqual([
      { name: "Credit filled", value: "$1.35/sh · $270 for 2\nthe card estimated $1.25", inline: true },
      { name: "Max loss", value: "$730.48 ($365.24/ct incl. fees)", inline: true },
      expect.objectContaining({ name: "Chance of profit" }),
    ]);
    // Partly filled and still working: the figures are the filled contracts', and say so.
    const part = embed(recommendationMessage(rec({ ...filled, status: "submitted", filledContracts: 1 }), VIEW));
    expect(part.fields?.[1]).toEqual({
      name: "Max loss",
      value: "$365.24 for 1 ($365.24/ct incl. fees)",
      inline: true,
    });
  });

  it("marks live trading loudly", () => {
    const body = recommendationMessage(rec(), { ...VIEW, mode: "live" });
    expect(embed(body).description).toContain("LIVE · real money");
    expect(embed(body).footer?.text).toContain("LIVE");
  });

  it("keeps a year-less title for an expiry in the current year", () => {
    const e = embed(recommendationMessage(rec({ expiration: "2026-12-19" }), { ...VIEW, dte: 7 }));
    expect(e.title).toBe("SPY bull put 580/575 · 19 Dec (7 DTE)");
  });

  it.each([
    ["approving", { decidedBy: "42" }, /Approved by <@42> — placing order…/],
    [
      "submitted",
      { brokerOrderId: "ord-9", limitPrice: -1.2, decidedBy: "42", decidedAt: NOW },
      /Order submitted[\s\S]*limit \$1\.20 credit \(the mid now; \$1\.31 on the card\) · order `ord-9` · by <@42> <t:\d+:R>/,
    ],
    ["filled", { brokerOrderId: "ord-9", limitPrice: -1.2, decidedBy: "42", decidedAt: NOW }, /Filled[\s\S]*ord-9/],
    [
      "refused",
      { statusReason: "Price drifted 1.8% since analysis (limit 1%)" },
      /Refused — no order was sent\*\*\n> Price drifted 1\.8%/,
    ],
    [
      "failed",
      { statusReason: "Broker: insufficient buying power" },
      /Order failed\*\*\n> Broker: insufficient buying power/,
    ],
    ["rejected", { decidedBy: "42", decidedAt: NOW }, /Rejected by <@42>/],
    ["expired", {}, /Expired unanswered/],
  ] as const)("a %s recommendation says what happened and has no buttons", (status, extra, expected) => {
    const body = recommendationMessage(rec({ status, ...extra }), VIEW);
    expectValidDiscordMessage(body);
    expect(embed(body).description).toMatch(expected);
    expect(body.components).toEqual([]); // an edit with [] removes the old buttons
  });

  it("gives each outcome its own colour: pending, working, good and bad differ", () => {
    const color = (status: RecommendationRow["status"]) => embed(recommendationMessage(rec({ status }), VIEW)).color;
    const colors = new Set([color("pending"), color("approving"), color("filled"), color("failed"), color("expired")]);
    expect(colors.size).toBe(5);
    expect(color("refused")).toBe(color("failed"));
  });

  it("fits a 10 kB thesis and many long risks into one valid embed, cut with an ellipsis", () => {
    const body = recommendationMessage(
      rec({ thesis: "x".repeat(10_000), risks: Array.from({ length: 40 }, (_, i) => `risk ${i} ${"y".repeat(300)}`) }),
      VIEW,
    );
    expectValidDiscordMessage(body);
    const thesis = embed(body).fields?.find((f) => f.name.startsWith("Thesis"));
    expect(thesis?.value.endsWith("…")).toBe(true);
    expect(embed(body).fields?.[0]?.value).toBe("$1.25/sh · $250 for 2\nmid $1.31 · natural $1.19"); // key numbers survive the cut
  });

  it("keeps custom ids within 100 characters for the longest recommendation id", () => {
    const body = recommendationMessage(rec({ id: "r".repeat(40) }), {
      ...VIEW,
      sizeChoices: [{ label: "1000", contracts: 1000 }],
    });
    expectValidDiscordMessage(body);
    expect(buttonsOf(body)[0]?.custom_id).toBe(`v1:approve:${"r".repeat(40)}:1000`);
  });
});

describe("limits", () => {
  it("truncate never splits an emoji (surrogate pair) and ends with an ellipsis", () => {
    const cut = truncate(`ab${"😀".repeat(10)}`, 6);
    expect(cut.length).toBeLessThanOrEqual(6);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF]…$/);
  });

  it("lays buttons out five a row and refuses a custom id over 100 characters", () => {
    const b = (id: string): APIButtonComponentWithCustomId => ({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: id,
      custom_id: id,
    });
    const rows = buttonRows(Array.from({ length: 7 }, (_, i) => b(`b${i}`)));
    expect(rows.map((r) => r.components.length)).toEqual([5, 2]);
    expect(buttonRows(Array.from({ length: 40 }, (_, i) => b(`b${i}`)))).toHaveLength(5);
    expect(() => buttonRows([b("x".repeat(101))])).toThrow(/custom_id longer than 100/);
  });
});

describe("position messages", () => {
  it("an exit alert shows the trigger, P/L and mark, with a Close button", () => {
    const body = exitAlertMessage(
      position(),
      { trigger: "profit_target", reason: "Captured 52% of the credit (target 50%)." },
      { mark: 0.6, unrealizedPl: 130 },
    );
    expectValidDiscordMessage(body);
    const e = embed(body);
    expect(e.title).toBe("🎯 Profit target: SPY bull put 580/575 · 16 Jan");
    expect(e.description).toContain("Captured 52% of the credit");
    expect(e.fields?.slice(0, 2).map((f) => f.value)).toEqual(["+$130", "$0.60/sh"]);
    expect(buttonsOf(body).map((b) => [b.label, b.custom_id])).toEqual([["Close 2", "v1:close:7"]]);
  });

  it("closing and closed edits drop the button and show the outcome", () => {
    const closing = closingMessage(position({ status: "closing", closeReason: "stop_loss" }), "42");
    expect(closing.components).toEqual([]);
    expect(embed(closing).description).toMatch(/Close requested by <@42>[\s\S]*Reason: Stop loss/);
    // Tapped: nothing sent yet, so nothing is said to be working until the order is.
    expect(embed(closing).description).toContain(
      "Close requested by <@42> — checking the market, then sending the order.",
    );
    const working = closingMessage(position({ status: "closing", closeWalk: [{ step: 0, price: 3.45, at: NOW }] }));
    expect(embed(working).description).toContain("Close requested — order working at $3.45 debit.");
    const closed = closedMessage(
      position({ status: "closed", realizedPl: -210, closePrice: 2.3, closedAt: NOW, closeReason: "stop_loss" }),
    );
    expectValidDiscordMessage(closed);
    expect(embed(closed).title).toContain("Closed: SPY bull put");
    expect(embed(closed).fields?.[0]).toMatchObject({ name: "Realized P/L", value: "−$210" });
    // The row keeps 1 contract once closed; the card says the 5 that were traded.
    const fiveLot = closedMessage(
      position({
        status: "closed",
        contracts: 1,
        openedContracts: 5,
        realizedPl: 489,
        closePrice: 0.18,
        closedAt: NOW,
      }),
    );
    expect(embed(fiveLot).fields?.find((f) => f.name === "Entry credit")?.value).toMatch(/× 5$/);
  });
});

describe("status, portfolio, end of day, notices", () => {
  const status: StatusView = {
    mode: "paper",
    market: { isOpen: true, nextOpen: NOW + 86_400_000, nextClose: NOW + 3_600_000 },
    optionsLevel: { trading: 3, approved: 3 },
    breaker: { halted: true, reasons: ["Manual halt: news"], changedBy: "42", changedAt: NOW },
    pending: [{ id: "r1", title: "SPY bull put 580/575", expiresAt: NOW + 60_000 }],
    lastRuns: [{ job: "scan", startedAt: NOW, scheduledTime: NOW, outcome: "skipped", reason: "market_closed" }],
    nextRuns: [{ job: "monitor", at: NOW + 300_000 }],
    analyst: "Rule-based analyst",
    today: {
      pl: -1_234.4,
      realized: -100,
      openSinceLastClose: -1_134.4,
      unmarked: [],
      lossLimit: 2_500,
      lossLimitPct: 0.02,
      openPositions: 3,
      maxOpenPositions: 5,
      openRisk: 4_500,
      riskLimit: 12_500,
      riskLimitPct: 0.1,
    },
  };

  it("/status leads with the halt and its reasons, and can be ephemeral", () => {
    const body = statusMessage(status, { ephemeral: true });
    expectValidDiscordMessage(body);
    expect(body.flags).toBe(64);
    const e = embed(body);
    expect(e.fields?.[0]?.value).toMatch(/HALTED[\s\S]*<@42>[\s\S]*• Manual halt: news/);
    expect(text(e)).toContain("SPY bull put 580/575");
    expect(text(e)).toContain("scan");
    expect(text(e)).toContain("Market closed");
    expect(
      statusMessage({ ...status, market: null }).embeds?.[0]?.fields?.find((f) => f.name === "Market")?.value,
    ).toContain("unknown");
  });

  it("/status says a loss breaker's halt was automatic, and that /resume clears it as it does a manual one", () => {
    const auto = statusMessage({
      ...status,
      breaker: { halted: true, reasons: ["2 Dec: the day's P/L -$2,499.32"], changedBy: "monitor", changedAt: NOW },
    });
    const value = embed(auto).fields?.[0]?.value ?? "";
    expect(value).toMatch(/^🛑 \*\*HALTED\*\* automatically \(monitor\) <t:\d+:R>: approvals are refused\n• 2 Dec: /);
    expect(value).toContain("/resume clears it");
    expect(value).not.toContain("manual");

    const unreadable = statusMessage({
      ...status,
      breaker: {
        halted: true,
        reasons: ["breaker state unreadable: entries refused"],
        changedBy: null,
        changedAt: null,
      },
    });
    expect(embed(unreadable).fields?.[0]?.value).toBe(
      "🛑 **HALTED**: approvals are refused\n• breaker state unreadable: entries refused",
    );
  });

  it("/status shows the day's P/L against the daily loss limit, how it adds up, and the open book against its limits", () => {
    const today = (view: StatusView) => embed(statusMessage(view)).fields?.find((f) => f.name === "Today")?.value;
    expect(today(status)).toBe(
      [
        "P/L **−$1,234**: 49% of the −$2,500 daily loss limit (2% of equity)",
        "realized −$100 · open positions −$1,134 since the last close",
        "3 of 5 positions open · $4,500 at risk: 36% of the $12,500 limit (10% of equity)",
      ].join("\n"),
    );
    const unknown = today({
      ...status,
      today: status.today && {
        ...status.today,
        unmarked: ["SPY 580/575 (position 3)"],
        lossLimit: null,
        riskLimit: null,
      },
    });
    expect(unknown).toContain("P/L **−$1,234** · the daily loss limit is 2% of equity (equity unknown)");
    expect(unknown).toContain("⚠️ no mark for SPY 580/575 (position 3): left out, and entries are refused");
    expect(unknown).toContain("$4,500 at risk · the limit is 10% of equity (equity unknown)");
    const up = today({ ...status, today: status.today && { ...status.today, pl: 120 } });
    expect(up).toMatch(/^P\/L \*\*\+\$120\*\* · the −\$2,500 daily loss limit \(2% of equity\)\n/);
    expect(today({ ...status, today: null })).toBe("unknown (the bot's records could not be read)");
  });

  it("/status shows the options level, and below 3 what to change at Alpaca", () => {
    const level = (view: StatusView) => embed(statusMessage(view)).fields?.find((f) => f.name === "Options level");
    expect(level(status)?.value).toBe("level 3 (spreads) ✅");
    const low = level({ ...status, optionsLevel: { trading: 2, approved: 3 } });
    expect(low?.value).toMatch(/^⚠️ The Alpaca account trades at options level 2 \(long calls and puts\)/);
    expect(low?.value).toContain("Account > Configure");
    expect(low?.inline).toBe(false);
    expectValidDiscordMessage(statusMessage({ ...status, optionsLevel: { trading: 0, approved: 0 } }));
    expect(level({ ...status, optionsLevel: null })?.value).toBe("unknown (account unavailable)");
  });

  it("/portfolio lists positions with P/L and stays valid with 40 positions", () => {
    const body = portfolioMessage({
      positions: Array.from({ length: 40 }, (_, i) => position({ id: i + 1, unrealizedPl: 10 })),
      buyingPower: 50_000,
      equity: 100_000,
      openRisk: 30_000,
    });
    expectValidDiscordMessage(body);
    const e = embed(body);
    expect(e.description).toContain("Equity $100,000 · buying power $50,000");
    expect(e.description).toContain("Open risk $30,000 · 40 positions · P/L +$400");
    expect(e.fields?.at(-1)?.value).toBe("and 16 more positions");
    const empty = embed(portfolioMessage({ positions: [], buyingPower: null, equity: null, openRisk: 0 }));
    expect(empty.description).toContain("No open positions.");
  });

  it("/portfolio names an exit alert in words and shows what needs attention", () => {
    const flagged = position({ exitAlert: "time_exit", attention: "Alpaca holds 0 SPY… and 1 SPY…" });
    const value = embed(portfolioMessage({ positions: [flagged], buyingPower: 1, equity: 1, openRisk: 0 })).fields?.[0]
      ?.value;
    expect(value).toContain("⚠️ Time exit");
    expect(value).not.toContain("time_exit");
    expect(value).toContain("❗ Alpaca holds 0 SPY… and 1 SPY…");
  });

  it("end of day shows P/L first, win rate, breakers and the reflection with its author", () => {
    const row: DailyPerformanceRow = {
      tradingDay: "2027-01-15",
      realizedPl: 240,
      unrealizedPl: -35,
      totalRealizedPl: 1200,
      tradesOpened: 2,
      tradesClosed: 3,
      wins: 2,
      losses: 1,
      openPositions: 2,
      openRisk: 1500,
      equity: 101_200,
      recommendationsPosted: 4,
      recommendationsApproved: 2,
      recommendationsRejected: 1,
      recommendationsExpired: 1,
      breakerHalted: false,
      summaryMessageId: null,
      createdAt: NOW,
    };
    const body = endOfDayMessage(row, { reflection: "Stops worked.", reflectionAuthor: "Rule-based analyst" });
    expectValidDiscordMessage(body);
    const e = embed(body);
    expect(e.description?.split("\n")[0]).toBe("**Trades closed today +$240** · open positions −$35 unrealized");
    expect(text(e)).toContain("67% (2W / 1L)");
    expect(text(e)).toContain("Stops worked.\n— Rule-based analyst");
  });

  it("job errors and notices are valid, toned embeds", () => {
    const err = jobErrorMessage("scan", "Alpaca answered 503", NOW);
    expectValidDiscordMessage(err);
    expect(embed(err).title).toBe("❌ scan job failed");
    const notice = noticeMessage("Trading halted", "y".repeat(9000), "danger");
    expectValidDiscordMessage(notice);
    expect(embed(notice).color).toBe(embed(err).color);
    expect(embed(noticeMessage("Resumed", "ok", "info")).color).not.toBe(embed(notice).color);
  });
});
