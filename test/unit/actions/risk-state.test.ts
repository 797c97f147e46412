import { describe, expect, it } from "vitest";
import type { PositionRow } from "../../../drizzle/schema";
import { plAtLastClose, realizedSinceLastClose } from "../../../src/actions/risk-state";

const at = (p: Partial<PositionRow>) => p as PositionRow;
// Wednesday 13 January 2027, 10:00 New York: the last session is Tuesday the 12th.
const NOW = Date.parse("2027-01-13T15:00:00Z");

describe("plAtLastClose", () => {
  it("sums what the positions stood at in the last session's end of day, and nothing else", () => {
    expect(
      plAtLastClose(
        [
          at({ plAtLastClose: -339, plAtLastCloseDay: "2027-01-12" }),
          at({ plAtLastClose: 120.5, plAtLastCloseDay: "2027-01-12" }),
          // Recorded by an older end of day (the last one did not run): from its entry instead.
          at({ plAtLastClose: -900, plAtLastCloseDay: "2027-01-11" }),
          // Opened since, or never marked at the close.
          at({ plAtLastClose: null, plAtLastCloseDay: null }),
          at({ plAtLastClose: null, plAtLastCloseDay: "2027-01-12" }),
        ],
        NOW,
      ),
    ).toBe(-218.5);
  });

  it("after a weekend and a holiday, the last session is the Friday before", () => {
    // Tuesday 19 January 2027: Monday the 18th is Martin Luther King Jr. Day.
    const tuesday = Date.parse("2027-01-19T15:00:00Z");
    expect(plAtLastClose([at({ plAtLastClose: -50, plAtLastCloseDay: "2027-01-15" })], tuesday)).toBe(-50);
  });
});

describe("realizedSinceLastClose", () => {
  it("counts what was realized since the last session's end of day: not a part closed before it", () => {
    expect(
      realizedSinceLastClose(
        [
          // Open, a part closed on Monday for -$400: nothing of it is today's.
          at({ realizedPl: -400, realizedAtLastClose: -400, plAtLastCloseDay: "2027-01-12" }),
          // Closed today: the trade's -$600 less the -$400 its part had realized by the last close.
          at({ realizedPl: -600, realizedAtLastClose: -400, plAtLastCloseDay: "2027-01-12" }),
          // Opened and closed today: all of it.
          at({ realizedPl: 150, realizedAtLastClose: null, plAtLastCloseDay: null }),
          // Recorded by an older end of day only: from its entry.
          at({ realizedPl: -75, realizedAtLastClose: -75, plAtLastCloseDay: "2027-01-11" }),
          at({ realizedPl: null, realizedAtLastClose: null, plAtLastCloseDay: "2027-01-12" }),
        ],
        NOW,
      ),
    ).toBe(-125);
  });
});
