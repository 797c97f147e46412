// The scan reads only the contracts it can use (domain/chain-interest.ts): the adapter drops the
// rest before mapping them. The promise is that nothing the scan decides changes: the same spreads
// in the same order at the same prices, and the same ATM IV, from about half the contracts.
import { beforeEach, describe, expect, it } from "vitest";
import type { ChainRequest } from "../../../src/broker/port";
import { atmImpliedVolatility } from "../../../src/domain/atm-iv";
import { chainInterest } from "../../../src/domain/chain-interest";
import { addDays } from "../../../src/domain/dates";
import { MODEL_RATES } from "../../../src/domain/greeks-from-quotes";
import { type ScreenSettings, screenCreditSpreads } from "../../../src/domain/screener";
import { strikeWindow } from "../../../src/domain/strike-window";
import type { OptionChain } from "../../../src/domain/types";
import { freezeClock, reset, simBroker } from "../../support/alpaca-sim";
import { screenSettings } from "../../support/builders";

/** Tuesday 12 January 2027, 10:35 New York: the market is open and the quotes are fresh. */
const NOW = Date.UTC(2027, 0, 12, 15, 35);
const DAY = "2027-01-12";

beforeEach(async () => {
  await reset(7);
  await freezeClock(NOW);
});

/** The scan's request for a symbol (jobs/scan.ts), with or without its `keep`. */
function scanRequest(
  symbol: string,
  spot: number,
  atmIv: number | null,
  s: ScreenSettings,
  kept: boolean,
): ChainRequest {
  const window = strikeWindow({
    spot,
    atmIv,
    dteMax: s.dteMax,
    shortDeltaMin: s.shortDeltaMin,
    widths: s.widths,
    rate: MODEL_RATES.rate,
  });
  const select = chainInterest({
    spot,
    atmIv,
    dteMax: s.dteMax,
    rate: MODEL_RATES.rate,
    wingsFrom: addDays(DAY, s.dteMin),
  });
  return {
    underlying: symbol,
    expirationFrom: addDays(DAY, Math.min(s.dteMin, 23)),
    expirationTo: addDays(DAY, s.dteMax),
    strikeFrom: window.from,
    strikeTo: window.to,
    openInterest: false,
    ...(kept ? { select } : {}),
  };
}

/** What the scan takes from a chain: its spreads (legs, width, credit, score, in order) and ATM IV. */
function decisions(chain: OptionChain, s: ScreenSettings) {
  const screened = screenCreditSpreads(chain, s, {
    now: NOW,
    ivRank: null,
    rate: MODEL_RATES.rate,
    dividendYield: MODEL_RATES.dividendYield,
    fees: { optionFeePerContract: 0.65 },
  });
  return {
    atmIv: atmImpliedVolatility(chain, NOW)?.iv ?? null,
    spreads: screened.candidates.map((c) => [
      c.short.symbol,
      c.long.symbol,
      c.width,
      c.credit,
      c.score,
      c.dividendYield,
    ]),
  };
}

describe("the contracts a scan reads", () => {
  const cases: [string, Partial<ScreenSettings>, number | null][] = [
    ["the default rules, sized on a recorded IV", {}, 0.18],
    ["no IV recorded (the widest window)", {}, null],
    ["shorts up to 0.50 delta and two widths", { shortDeltaMin: 0.1, shortDeltaMax: 0.5, widths: [2, 5] }, 0.25],
  ];
  for (const [what, overrides, atmIv] of cases)
    it(`gives the screener and the ATM IV the same answers from about half the contracts: ${what}`, async () => {
      const s = screenSettings({ minOpenInterest: 0, ...overrides });
      const broker = simBroker();
      const prices = await broker.underlyingQuotes(["SPY", "QQQ", "IWM", "GLD", "TLT", "EEM"]);
      let spreads = 0;
      for (const [symbol, quote] of prices) {
        const request = (kept: boolean) => ({
          ...scanRequest(symbol, quote.price, atmIv, s, kept),
          underlyingQuote: quote,
        });
        const all = await broker.optionChain(request(false));
        const read = await broker.optionChain(request(true));
        expect(read.contracts.length, symbol).toBeLessThan(all.contracts.length * 0.6);
        expect(decisions(read, s), symbol).toEqual(decisions(all, s));
        spreads += decisions(all, s).spreads.length;
      }
      // The comparison is worth something only if the screener found spreads to compare.
      expect(spreads).toBeGreaterThan(10);
    });
});
