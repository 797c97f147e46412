import { describe, expect, it } from "vitest";
import type { PositionRow } from "../../../drizzle/schema";
import { plAtLastClose } from "../../../src/actions/risk-state";

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
