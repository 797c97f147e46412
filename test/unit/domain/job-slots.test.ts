// The New York slot table: which job a UTC instant is due for, in winter (EST, UTC-5) and in
// summer (EDT, UTC-4), with the worked instants in the names.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCAN_TIMES,
  middayScan,
  nextRuns,
  scanTimesProblems,
  slotFor,
  slotsDue,
} from "../../../src/domain/job-slots";

const at = (iso: string) => Date.parse(iso);
const ALL = ["scan", "monitor", "eod"] as const;
const due = (iso: string, times: readonly string[] = DEFAULT_SCAN_TIMES) =>
  slotsDue(at(iso), times, ALL).map((s) => s.key);

describe("the slot table on a January trading day (Friday 15 January 2027, EST)", () => {
  it.each([
    ["14:30Z is 09:30 New York: the open, the monitor only", "2027-01-15T14:30:00Z", ["monitor:2027-01-15T09:30"]],
    [
      "14:35Z is 09:35: the morning scan and the monitor",
      "2027-01-15T14:35:00Z",
      ["scan:2027-01-15T09:35", "monitor:2027-01-15T09:35"],
    ],
    ["17:00Z is 12:00: the midday scan", "2027-01-15T17:00:00Z", ["scan:2027-01-15T12:00", "monitor:2027-01-15T12:00"]],
    [
      "20:30Z is 15:30: the afternoon scan",
      "2027-01-15T20:30:00Z",
      ["scan:2027-01-15T15:30", "monitor:2027-01-15T15:30"],
    ],
    ["21:15Z is 16:15: the end of day", "2027-01-15T21:15:00Z", ["eod:2027-01-15T16:15"]],
    ["13:35Z is 08:35: nothing, before the open", "2027-01-15T13:35:00Z", []],
    ["14:00Z is 09:00: nothing (July's 10:00 UTC-4 is winter's 09:00)", "2027-01-15T14:00:00Z", []],
    ["20:15Z is 15:15: the monitor, not the end of day", "2027-01-15T20:15:00Z", ["monitor:2027-01-15T15:15"]],
    ["21:00Z is 16:00: the close, nothing", "2027-01-15T21:00:00Z", []],
  ])("%s", (_name, iso, expected) => {
    expect(due(iso)).toEqual(expected);
  });
});

describe("the slot table on a July trading day (Thursday 15 July 2027, EDT)", () => {
  it.each([
    ["13:30Z is 09:30 New York: the open, the monitor only", "2027-07-15T13:30:00Z", ["monitor:2027-07-15T09:30"]],
    [
      "13:35Z is 09:35: the morning scan and the monitor",
      "2027-07-15T13:35:00Z",
      ["scan:2027-07-15T09:35", "monitor:2027-07-15T09:35"],
    ],
    ["16:00Z is 12:00: the midday scan", "2027-07-15T16:00:00Z", ["scan:2027-07-15T12:00", "monitor:2027-07-15T12:00"]],
    [
      "19:30Z is 15:30: the afternoon scan",
      "2027-07-15T19:30:00Z",
      ["scan:2027-07-15T15:30", "monitor:2027-07-15T15:30"],
    ],
    ["20:15Z is 16:15: the end of day", "2027-07-15T20:15:00Z", ["eod:2027-07-15T16:15"]],
    [
      "14:35Z is 10:35: the monitor only (winter's 09:35 is no scan in summer)",
      "2027-07-15T14:35:00Z",
      ["monitor:2027-07-15T10:35"],
    ],
    ["21:15Z is 17:15: nothing (winter's end of day is no slot in summer)", "2027-07-15T21:15:00Z", []],
  ])("%s", (_name, iso, expected) => {
    expect(due(iso)).toEqual(expected);
  });
});

describe("days without a (full) session", () => {
  it("Saturday 16 January 2027 at 14:35Z: nothing, and the reason says why", () => {
    expect(due("2027-01-16T14:35:00Z")).toEqual([]);
    expect(slotFor("scan", at("2027-01-16T14:35:00Z"), DEFAULT_SCAN_TIMES)).toEqual({
      ok: false,
      reason: "no trading session on 2027-01-16 (weekend or market holiday)",
    });
  });

  it("Monday 5 July 2027 (Independence Day observed) at 13:35Z: nothing", () => {
    expect(due("2027-07-05T13:35:00Z")).toEqual([]);
  });

  it("Friday 26 November 2027 (early close 13:00) at 20:30Z: no 15:30 scan, the end of day still at 21:15Z", () => {
    expect(due("2027-11-26T20:30:00Z")).toEqual([]);
    expect(slotFor("scan", at("2027-11-26T20:30:00Z"), DEFAULT_SCAN_TIMES)).toMatchObject({
      ok: false,
      reason: "15:30 is after the early close (13:00) on 2027-11-26",
    });
    expect(due("2027-11-26T17:00:00Z")).toEqual(["scan:2027-11-26T12:00", "monitor:2027-11-26T12:00"]);
    expect(due("2027-11-26T21:15:00Z")).toEqual(["eod:2027-11-26T16:15"]);
  });

  it("the Monday after spring forward (15 March 2027): 09:35 is 13:35Z, as in July", () => {
    expect(due("2027-03-15T13:35:00Z")).toContain("scan:2027-03-15T09:35");
    expect(due("2027-03-12T14:35:00Z")).toContain("scan:2027-03-12T09:35"); // the Friday before: winter
  });
});

describe("the midday scan", () => {
  it("is 12:00 of the default 09:35,12:00,15:30, and only that slot reviews positions", () => {
    expect(middayScan(DEFAULT_SCAN_TIMES)).toBe("12:00");
    const midday = slotFor("scan", at("2027-07-15T16:00:00Z"), DEFAULT_SCAN_TIMES);
    const morning = slotFor("scan", at("2027-07-15T13:35:00Z"), DEFAULT_SCAN_TIMES);
    expect(midday).toMatchObject({ ok: true, midday: true });
    expect(morning).toMatchObject({ ok: true, midday: false });
  });

  it("is the later scan nearest noon (13:00 of 10:00,13:00,15:00), and none with a single scan", () => {
    expect(middayScan(["15:00", "10:00", "13:00"])).toBe("13:00");
    expect(middayScan(["09:35", "15:30"])).toBe("15:30");
    expect(middayScan(["09:35"])).toBeNull();
  });

  it("with SCAN_TIMES=10:00,14:00 the table follows: 14:00 New York is 19:00Z in January", () => {
    expect(due("2027-01-15T19:00:00Z", ["10:00", "14:00"])).toEqual([
      "scan:2027-01-15T14:00",
      "monitor:2027-01-15T14:00",
    ]);
    expect(due("2027-01-15T14:35:00Z", ["10:00", "14:00"])).toEqual(["monitor:2027-01-15T09:35"]);
  });
});

describe("SCAN_TIMES problems", () => {
  it("accepts 09:30 to 15:55 on 5-minute marks", () => {
    expect(scanTimesProblems(["09:30", "12:00", "15:55"])).toEqual([]);
  });

  it.each([
    ["09:25, before the open", ["09:25"], /09:25 is outside the session/],
    ["16:00, the close", ["16:00"], /16:00 is outside the session/],
    ["17:30, after the close", ["17:30"], /outside the session/],
    ["09:37, not a 5-minute mark", ["09:37"], /09:37 is not on a 5-minute mark/],
    ["9:35, not HH:MM", ["9:35"], /"9:35" is not a time/],
    ["12:60, no such minute", ["12:60"], /not a time/],
    ["12:00 twice", ["12:00", "12:00"], /twice/],
  ])("refuses %s", (_name, times, expected) => {
    expect(scanTimesProblems(times).join("; ")).toMatch(expected);
  });
});

describe("next runs (shown by /status)", () => {
  const next = (iso: string) => Object.fromEntries(nextRuns(at(iso), DEFAULT_SCAN_TIMES).map((r) => [r.job, r]));

  it("Friday 15 January 2027 at 14:52Z (09:52): the monitor at 14:55Z, the midday scan at 17:00Z, the end of day at 21:15Z", () => {
    const runs = next("2027-01-15T14:52:00Z");
    expect(new Date(runs.monitor?.at ?? 0).toISOString()).toBe("2027-01-15T14:55:00.000Z");
    expect(new Date(runs.scan?.at ?? 0).toISOString()).toBe("2027-01-15T17:00:00.000Z");
    expect(runs.scan?.note).toBe("with the positions review");
    expect(new Date(runs.eod?.at ?? 0).toISOString()).toBe("2027-01-15T21:15:00.000Z");
  });

  it("Friday 16 July 2027 at 22:00Z: Monday's open 13:30Z, scan 13:35Z and end of day 20:15Z", () => {
    const runs = next("2027-07-16T22:00:00Z");
    expect(new Date(runs.monitor?.at ?? 0).toISOString()).toBe("2027-07-19T13:30:00.000Z");
    expect(new Date(runs.scan?.at ?? 0).toISOString()).toBe("2027-07-19T13:35:00.000Z");
    expect(runs.scan?.note).toBeUndefined();
    expect(new Date(runs.eod?.at ?? 0).toISOString()).toBe("2027-07-19T20:15:00.000Z");
  });

  it("Friday 2 July 2027 at 22:00Z skips the holiday Monday 5 July: Tuesday's 09:35 is 13:35Z", () => {
    expect(new Date(next("2027-07-02T22:00:00Z").scan?.at ?? 0).toISOString()).toBe("2027-07-06T13:35:00.000Z");
  });

  it("the day after Thanksgiving 2027 at 17:30Z (12:30, early close): the next scan is Monday's 09:35, not 15:30", () => {
    expect(new Date(next("2027-11-26T17:30:00Z").scan?.at ?? 0).toISOString()).toBe("2027-11-29T14:35:00.000Z");
  });
});
