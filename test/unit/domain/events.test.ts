import { describe, expect, it } from "vitest";
import {
  type BlackoutDate,
  describeEvents,
  type EventsInput,
  type ExDividend,
  firstAllowed,
  judgeEvents,
  parseBlackoutDates,
} from "../../../src/domain/events";

const SPY_DEC: ExDividend = { symbol: "SPY", exDate: "2026-12-18", amount: 1.75 };
const QQQ_DEC: ExDividend = { symbol: "QQQ", exDate: "2026-12-21", amount: 0.7 };
const FOMC: BlackoutDate = { date: "2026-12-16", label: "FOMC" };
const CPI: BlackoutDate = { date: "2026-12-10", label: "CPI" };

function input(overrides: Partial<EventsInput> = {}): EventsInput {
  return {
    underlying: "SPY",
    strategy: "bear_call",
    expiration: "2027-01-15",
    today: "2026-11-30",
    exDividends: [SPY_DEC, QQQ_DEC],
    blackouts: [],
    ...overrides,
  };
}

describe("ex-dividend dates", () => {
  it("refuses a SPY bear call opened 2026-11-30 expiring 2027-01-15 across SPY's ex-date 2026-12-18 ($1.75)", () => {
    expect(judgeEvents(input())).toEqual({
      allowed: false,
      reason: "its short call would span SPY's ex-dividend date 2026-12-18 ($1.75): early-assignment risk",
    });
  });

  it("offers a SPY bull put across the same ex-date and lists it: a put has no short call to be assigned for a dividend", () => {
    const verdict = judgeEvents(input({ strategy: "bull_put" }));
    expect(verdict).toEqual({
      allowed: true,
      checked: {
        exDividendChecked: true,
        blackoutDates: 0,
        found: [{ kind: "ex_dividend", date: "2026-12-18", label: "SPY ex-div", amount: 1.75 }],
      },
    });
  });

  it("offers a SPY bear call expiring 2026-12-17, the day before the ex-date 2026-12-18", () => {
    expect(judgeEvents(input({ expiration: "2026-12-17" }))).toMatchObject({ allowed: true, checked: { found: [] } });
  });

  it("refuses a bear call expiring on the ex-date itself (2026-12-18): exercise the day before captures the dividend", () => {
    expect(judgeEvents(input({ expiration: "2026-12-18" })).allowed).toBe(false);
  });

  it("offers a bear call opened on the ex-date (2026-12-18 to 2027-01-15): the exercise that captured it was the day before", () => {
    expect(judgeEvents(input({ today: "2026-12-18" })).allowed).toBe(true);
  });

  it("ignores another symbol's ex-date: QQQ's 2026-12-21 does not touch a SPY bear call expiring 2026-12-17", () => {
    expect(judgeEvents(input({ expiration: "2026-12-17", exDividends: [QQQ_DEC] })).allowed).toBe(true);
  });

  it("refuses every bear call when the ex-dividend dates could not be read (fail closed), but offers a bull put and says they were not checked", () => {
    expect(judgeEvents(input({ exDividends: null }))).toMatchObject({ allowed: false });
    expect(judgeEvents(input({ exDividends: null, strategy: "bull_put" }))).toEqual({
      allowed: true,
      checked: { exDividendChecked: false, blackoutDates: 0, found: [] },
    });
  });
});

describe("blackout dates", () => {
  it("refuses a bull put 2026-11-30 to 2027-01-15 across FOMC 2026-12-16, naming the date and the setting", () => {
    expect(judgeEvents(input({ strategy: "bull_put", blackouts: [FOMC] }))).toEqual({
      allowed: false,
      reason: "its life (2026-11-30 to 2027-01-15) spans FOMC 2026-12-16 (BLACKOUT_DATES)",
    });
  });

  it("refuses a spread opened on the blackout day itself (FOMC 2026-12-16, announced in the session)", () => {
    expect(judgeEvents(input({ strategy: "bull_put", today: "2026-12-16", blackouts: [FOMC] })).allowed).toBe(false);
  });

  it("offers a spread expiring 2026-12-15, the day before FOMC, and counts the date it checked", () => {
    const verdict = judgeEvents(input({ strategy: "bull_put", expiration: "2026-12-15", blackouts: [FOMC, CPI] }));
    expect(verdict).toMatchObject({ allowed: false }); // CPI 2026-12-10 is in it
    const clear = judgeEvents(input({ strategy: "bull_put", expiration: "2026-12-09", blackouts: [FOMC, CPI] }));
    expect(clear).toEqual({ allowed: true, checked: { exDividendChecked: true, blackoutDates: 2, found: [] } });
  });

  it("names an unlabelled blackout date 'blackout date'", () => {
    const verdict = judgeEvents(input({ strategy: "bull_put", blackouts: [{ date: "2026-12-24", label: "" }] }));
    expect(verdict).toMatchObject({ allowed: false, reason: expect.stringContaining("blackout date 2026-12-24") });
  });
});

describe("the card's events line", () => {
  it("says nothing was found before expiry and what it checked: ex-dividend and 2 blackout dates", () => {
    expect(describeEvents({ exDividendChecked: true, blackoutDates: 2, found: [] }, "bear_call")).toBe(
      "none before expiry (checked ex-dividend, 2 blackout dates)",
    );
  });

  it("lists SPY's ex-date 12/18 $1.75 on a bull put and why it may span it", () => {
    const checked = {
      exDividendChecked: true,
      blackoutDates: 1,
      found: [{ kind: "ex_dividend" as const, date: "2026-12-18", label: "SPY ex-div", amount: 1.75 }],
    };
    expect(describeEvents(checked, "bull_put")).toBe(
      "SPY ex-div 12/18 $1.75 (bull put: no short call) (checked ex-dividend, 1 blackout date)",
    );
  });

  it("says when the ex-dividend dates were unavailable", () => {
    expect(describeEvents({ exDividendChecked: false, blackoutDates: 0, found: [] }, "bull_put")).toBe(
      "none before expiry (checked ex-dividend dates unavailable, 0 blackout dates)",
    );
  });
});

describe("the first allowed candidate", () => {
  it("skips the best bear call across 2026-12-18 and takes the next, a bull put, keeping the refusal", () => {
    const candidates = [
      { strategy: "bear_call" as const, expiration: "2027-01-15" },
      { strategy: "bull_put" as const, expiration: "2027-01-15" },
    ];
    const picked = firstAllowed(candidates, (c) => judgeEvents(input(c)));
    expect(picked.chosen?.candidate).toBe(candidates[1]);
    expect(picked.refused).toEqual([
      "its short call would span SPY's ex-dividend date 2026-12-18 ($1.75): early-assignment risk",
    ]);
  });
});

describe("BLACKOUT_DATES", () => {
  it("reads '2026-12-16:FOMC, 2026-12-10:CPI,2027-01-28' into dates by day, labels kept", () => {
    expect(parseBlackoutDates("2026-12-16:FOMC, 2026-12-10:CPI,2027-01-28")).toEqual({
      ok: true,
      dates: [
        { date: "2026-12-10", label: "CPI" },
        { date: "2026-12-16", label: "FOMC" },
        { date: "2027-01-28", label: "" },
      ],
    });
  });

  it("reads an empty setting as no dates", () => {
    expect(parseBlackoutDates("")).toEqual({ ok: true, dates: [] });
  });

  it("refuses 2026-02-30, 12/16/2026 and an empty label, quoting each", () => {
    expect(parseBlackoutDates("2026-02-30:FOMC,12/16/2026,2026-12-16:")).toEqual({
      ok: false,
      problems: [
        'entry "2026-02-30:FOMC" is not a YYYY-MM-DD date (write 2026-12-16 or 2026-12-16:FOMC)',
        'entry "12/16/2026" is not a YYYY-MM-DD date (write 2026-12-16 or 2026-12-16:FOMC)',
        'entry "2026-12-16:" has a label that is not 1-40 letters, digits, spaces or ._&/-',
      ],
    });
  });

  it("accepts a label such as 'NVDA earnings'", () => {
    expect(parseBlackoutDates("2027-02-24:NVDA earnings")).toMatchObject({ ok: true });
  });
});
