import { describe, expect, it } from "vitest";
import { createRuleBasedAnalyst } from "../../../src/analyst/rule-based";
import { price } from "../../../src/discord/messages/format";
import { anIdea } from "./idea";

describe("rule-based analyst", () => {
  const analyst = createRuleBasedAnalyst();

  it("writes the same thesis, confidence and risks for the same numbers", async () => {
    const first = await analyst.analyse(anIdea(), []);
    const second = await analyst.analyse(anIdea(), ["a playbook line changes nothing"]);
    expect(second).toEqual(first);
    expect(first.author).toBe("Rule-based analyst");
    expect(first.kind).toBe("rules");
  });

  it("states the idea's numbers: credit/width, POP, distance in % and expected moves, IV rank, DTE", async () => {
    const { thesis } = await analyst.analyse(anIdea(), []);
    expect(thesis).toContain("SPY bull put 580/575 exp 2027-02-19 (35 DTE)");
    expect(thesis).toContain("$1.25 credit on a $5 wide spread (25% of width)");
    expect(thesis).toContain("POP 74%");
    // (600 - 580) / 600 = 3.3 %; expected move = 600 × 0.16 × √(35/365) = 29.7, so 0.67 moves.
    expect(thesis).toContain("Short strike 3.3% below the price (0.67 expected moves)");
    expect(thesis).toContain("IV rank 42");
    expect(thesis.length).toBeLessThanOrEqual(600);
  });

  it("rounds money as the card does: a credit of $1.015 is $1.02 on both", async () => {
    const { thesis } = await analyst.analyse(anIdea({ credit: 1.015, maxLoss: 1398.5 }), []);
    expect(price(1.015)).toBe("$1.02");
    expect(thesis).toContain("$1.02 credit");
    expect(thesis).toContain("max loss $1,398.50");
  });

  it("says IV rank unavailable when there is no IV rank, and lowers confidence", async () => {
    const withRank = await analyst.analyse(anIdea(), []);
    const without = await analyst.analyse(anIdea({ ivRank: null }), []);
    expect(without.thesis).toContain("IV rank unavailable");
    expect(without.risks).toContain("IV rank unavailable");
    expect(without.confidence).toBeLessThan(withRank.confidence);
  });

  it("names the risks it cannot rule out: earnings and news beyond BLACKOUT_DATES, short strike within one expected move", async () => {
    const { risks } = await analyst.analyse(anIdea(), []);
    expect(risks).toContain("earnings and news not checked beyond BLACKOUT_DATES");
    expect(risks).toContain("short strike within 1 expected move");
    expect(risks.length).toBeLessThanOrEqual(5);
  });

  it("falls back to the short delta for the expected move when IV is missing", async () => {
    const { thesis } = await analyst.analyse(anIdea({ impliedVolatility: null, shortDelta: -0.16 }), []);
    // |Δ| 0.16 ≈ one standard deviation away.
    expect(thesis).toContain("(0.99 expected moves)");
  });

  it("describes a bear call from above the price", async () => {
    const { thesis } = await analyst.analyse(
      anIdea({ strategy: "bear_call", shortStrike: 630, longStrike: 635, breakeven: 631.25, shortDelta: 0.2 }),
      [],
    );
    expect(thesis).toContain("SPY bear call 630/635");
    expect(thesis).toContain("Short strike 5.0% above the price");
  });

  it("keeps confidence within 0..1 for a far-out, rich idea and for a poor one", async () => {
    const rich = await analyst.analyse(
      anIdea({ credit: 2.5, probabilityOfProfit: 0.95, ivRank: 90, shortStrike: 540 }),
      [],
    );
    const poor = await analyst.analyse(
      anIdea({
        credit: 0.2,
        probabilityOfProfit: 0.3,
        ivRank: null,
        shortStrike: 605,
        dte: 5,
        impliedVolatility: null,
        shortDelta: null,
      }),
      [],
    );
    for (const t of [rich, poor]) {
      expect(t.confidence).toBeGreaterThanOrEqual(0);
      expect(t.confidence).toBeLessThanOrEqual(1);
    }
    expect(rich.confidence).toBeGreaterThan(poor.confidence);
    expect(poor.risks).toContain("short strike already in the money");
  });

  it("reflects on the day from its numbers, the same way every time", async () => {
    const day = {
      tradingDay: "2027-01-15",
      realizedPl: -120,
      tradesOpened: 2,
      tradesClosed: 2,
      wins: 0,
      losses: 2,
      notes: ["SPY stop hit"],
    };
    const first = await analyst.reflect(day);
    expect(await analyst.reflect(day)).toEqual(first);
    expect(first.author).toBe("Rule-based analyst");
    expect(first.content).toContain(
      "2027-01-15: realized P/L -$120.00; 2 opened, 2 closed (0 wins, 2 losses, win rate 0%)",
    );
    expect(first.content).toContain("Losses outnumbered wins");
    expect(first.content).toContain("SPY stop hit");
  });

  it("gives the odds at the bot's time exit beside the POP at expiry, when it has them", async () => {
    const withExit = await analyst.analyse(anIdea({ profitAtExit: { probability: 0.46, exitDte: 21 } }), []);
    const without = await analyst.analyse(anIdea(), []);
    expect(withExit.thesis).toContain("POP 74% at expiry, 46% in profit at the 21-DTE exit.");
    expect(without.thesis).toContain("POP 74% at expiry.");
  });

  it("writes money as the cards do, and a trade closed the day it opened as under a day", async () => {
    const reflection = await analyst.reflect({
      tradingDay: "2027-01-15",
      realizedPl: -1321.2,
      tradesOpened: 1,
      tradesClosed: 1,
      wins: 0,
      losses: 1,
      notes: [],
    });
    const review = await analyst.review({
      positionId: 1,
      symbol: "SPY",
      strategy: "bull_put",
      expiration: "2027-02-19",
      shortStrike: 580,
      longStrike: 575,
      contracts: 2,
      entryCredit: 1.2,
      closePrice: 0.6,
      realizedPl: 1119.96,
      maxLoss: 760,
      closeReason: "profit_target",
      dteAtEntry: 35,
      daysHeld: 0,
      ivRank: 60,
      probabilityOfProfit: 0.7,
      shortDelta: -0.2,
    });

    expect(reflection.content).toContain("realized P/L -$1,321.20;");
    expect(review.reflection).toContain("closed at the profit target after under a day: +$1,119.96");
    expect(review.lesson).toContain("paid $1,119.96 in under a day");
  });

  it("does not blame the setup for a loss a person took before any exit rule, by the Close or at Alpaca", async () => {
    const trade = {
      positionId: 1,
      symbol: "SPY",
      strategy: "bull_put" as const,
      expiration: "2027-02-19",
      shortStrike: 580,
      longStrike: 575,
      contracts: 1,
      entryCredit: 1.2,
      closePrice: 1.5,
      realizedPl: -31.3,
      maxLoss: 380,
      dteAtEntry: 35,
      daysHeld: 0,
      ivRank: 40,
      probabilityOfProfit: 0.7,
      shortDelta: -0.2,
    };
    const atAlpaca = await analyst.review({ ...trade, closeReason: "at Alpaca, not by the bot" });
    expect(atAlpaca.reflection).toContain("closed at Alpaca (not by the bot) after under a day: -$31.30");
    expect(atAlpaca.lesson).toBe(
      "Closed at Alpaca (not by the bot) before any exit rule, at -$31.30: note why, and make it a rule if it should be one.",
    );
    expect((await analyst.review({ ...trade, closeReason: "manual" })).lesson).toMatch(
      /^Closed by hand before any exit rule/,
    );
    // A loss an exit rule took still speaks of the setup.
    expect((await analyst.review({ ...trade, closeReason: "time_exit" })).lesson).toContain(
      "Be slower to offer the same setup",
    );
  });
});
