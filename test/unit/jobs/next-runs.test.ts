import { describe, expect, it } from "vitest";
import { nextRuns } from "../../../src/jobs/next-runs";

const at = (iso: string) => Date.parse(iso);
const next = (now: string) => Object.fromEntries(nextRuns(at(now)).map((r) => [r.job, new Date(r.at).toISOString()]));

describe("next runs shown by /status", () => {
  it("in the session: the monitor's next 5-minute mark, today's scan and end of day", () => {
    expect(next("2027-01-15T14:52:00Z")).toEqual({
      monitor: "2027-01-15T14:55:00.000Z",
      scan: "2027-01-15T15:00:00.000Z",
      eod: "2027-01-15T21:15:00.000Z",
    });
  });

  it("on a Friday evening: Monday's open, scan and end of day (summer time)", () => {
    expect(next("2027-07-16T22:00:00Z")).toEqual({
      monitor: "2027-07-19T13:30:00.000Z",
      scan: "2027-07-19T14:00:00.000Z",
      eod: "2027-07-19T20:15:00.000Z",
    });
  });

  it("skips a market holiday (Independence Day observed, Monday 5 July 2027)", () => {
    expect(next("2027-07-02T22:00:00Z").scan).toBe("2027-07-06T14:00:00.000Z");
  });
});
