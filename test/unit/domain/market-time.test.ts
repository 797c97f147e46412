import { describe, expect, it } from "vitest";
import {
  daysToExpiration,
  isRegularSession,
  newYorkParts,
  nyseSession,
  tradingDay,
  utcInstant,
} from "../../../src/domain/market-time";

const at = (iso: string) => Date.parse(iso);

describe("newYorkParts", () => {
  it.each([
    ["winter (EST, UTC-5)", "2027-01-15T15:00:00Z", "2027-01-15", "10:00", 5],
    ["summer (EDT, UTC-4)", "2027-07-15T14:00:00Z", "2027-07-15", "10:00", 4],
    ["UTC past midnight is still the evening before in New York", "2027-01-16T03:30:00Z", "2027-01-15", "22:30", 5],
    ["New York midnight prints 00:00", "2027-01-16T05:00:00Z", "2027-01-16", "00:00", 6],
    ["spring forward day, after the switch", "2027-03-14T13:30:00Z", "2027-03-14", "09:30", 0],
    ["spring forward day, before the switch", "2027-03-14T06:59:00Z", "2027-03-14", "01:59", 0],
    ["fall back day, after the switch", "2027-11-07T14:30:00Z", "2027-11-07", "09:30", 0],
  ])("%s: %s is %s %s", (_name, iso, date, time, weekday) => {
    const p = newYorkParts(at(iso));
    expect(p).toMatchObject({ date, time, weekday });
    expect(p.minutesOfDay).toBe(Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
    expect(tradingDay(at(iso))).toBe(date);
  });
});

describe("nyseSession", () => {
  it.each([
    ["an ordinary Friday", "2027-01-15", "16:00"],
    ["a Saturday", "2027-01-16", null],
    ["a Sunday", "2027-01-17", null],
    ["New Year's Day 2027 (Friday)", "2027-01-01", null],
    ["New Year's Day 2023 on a Sunday: observed Monday", "2023-01-02", null],
    ["New Year's Day 2022 on a Saturday: Friday Dec 31 2021 stays open", "2021-12-31", "16:00"],
    ["MLK Day 2027", "2027-01-18", null],
    ["Presidents Day 2027", "2027-02-15", null],
    ["Good Friday 2027", "2027-03-26", null],
    ["Good Friday 2025", "2025-04-18", null],
    ["the Thursday before Good Friday 2027", "2027-03-25", "16:00"],
    ["Memorial Day 2027", "2027-05-31", null],
    ["Juneteenth 2027 on a Saturday: observed Friday", "2027-06-18", null],
    ["Juneteenth 2021 (before NYSE observed it)", "2021-06-18", "16:00"],
    ["Independence Day 2027 on a Sunday: observed Monday July 5", "2027-07-05", null],
    ["Friday July 2 2027: no early close when July 3 is a Saturday", "2027-07-02", "16:00"],
    ["July 3 2025 (Thursday): early close", "2025-07-03", "13:00"],
    ["July 3 2026 (Friday): the observed holiday", "2026-07-03", null],
    ["Labor Day 2027", "2027-09-06", null],
    ["Thanksgiving 2027", "2027-11-25", null],
    ["day after Thanksgiving 2027: early close", "2027-11-26", "13:00"],
    ["Christmas Eve 2027 (Friday): the observed holiday", "2027-12-24", null],
    ["Christmas Eve 2025 (Wednesday): early close", "2025-12-24", "13:00"],
    ["Christmas 2025", "2025-12-25", null],
  ])("%s (%s) closes at %s", (_name, date, close) => {
    const session = nyseSession(date);
    expect(session === null ? null : session.close).toBe(close);
    if (session) expect(session.open).toBe("09:30");
  });

  it("refuses a malformed date", () => {
    expect(() => nyseSession("2027-1-5")).toThrow(RangeError);
  });
});

describe("isRegularSession", () => {
  it.each([
    ["winter open 09:30 NY = 14:30Z", "2027-01-15T14:30:00Z", true],
    ["winter 09:29 NY", "2027-01-15T14:29:00Z", false],
    ["winter 15:59 NY", "2027-01-15T20:59:00Z", true],
    ["winter close 16:00 NY is outside", "2027-01-15T21:00:00Z", false],
    ["summer open 09:30 NY = 13:30Z", "2027-07-15T13:30:00Z", true],
    ["summer 16:00 NY = 20:00Z", "2027-07-15T20:00:00Z", false],
    ["first session after spring forward, 09:30 NY = 13:30Z", "2027-03-15T13:30:00Z", true],
    ["first session after fall back, 09:30 NY = 14:30Z", "2027-11-08T14:30:00Z", true],
    ["13:30Z on the Monday after fall back is 08:30 NY", "2027-11-08T13:30:00Z", false],
    ["early close: 12:59 NY on 2027-11-26", "2027-11-26T17:59:00Z", true],
    ["early close: 13:00 NY on 2027-11-26", "2027-11-26T18:00:00Z", false],
    ["holiday: 2027-07-05 at 11:00 NY", "2027-07-05T15:00:00Z", false],
    ["Good Friday 2027 at 11:00 NY", "2027-03-26T15:00:00Z", false],
  ])("%s → %s", (_name, iso, expected) => {
    expect(isRegularSession(at(iso))).toBe(expected);
  });

  it("takes a session from the broker's calendar instead of the rule", () => {
    expect(isRegularSession(at("2027-01-15T19:00:00Z"), { open: "09:30", close: "13:00" })).toBe(false);
    expect(isRegularSession(at("2027-01-15T19:00:00Z"), null)).toBe(false);
  });
});

describe("utcInstant", () => {
  it.each([
    ["winter close", "2027-01-15", "16:00", "2027-01-15T21:00:00.000Z"],
    ["summer close", "2027-07-15", "16:00", "2027-07-15T20:00:00.000Z"],
    ["early close", "2027-11-26", "13:00", "2027-11-26T18:00:00.000Z"],
    ["spring forward day open", "2027-03-14", "09:30", "2027-03-14T13:30:00.000Z"],
    ["fall back day open", "2027-11-07", "09:30", "2027-11-07T14:30:00.000Z"],
    ["the day before spring forward", "2027-03-13", "09:30", "2027-03-13T14:30:00.000Z"],
    ["the day before fall back", "2027-11-06", "09:30", "2027-11-06T13:30:00.000Z"],
  ])("%s: %s %s New York is %s", (_name, date, time, iso) => {
    expect(new Date(utcInstant(date, time)).toISOString()).toBe(iso);
  });
});

describe("daysToExpiration", () => {
  it.each([
    ["same day", "2027-01-15", "2027-01-15T15:00:00Z", 0],
    ["next day", "2027-01-16", "2027-01-15T15:00:00Z", 1],
    ["late evening NY still counts from the NY date", "2027-01-16", "2027-01-16T03:00:00Z", 1],
    ["across spring forward", "2027-03-19", "2027-03-12T15:00:00Z", 7],
    ["across fall back", "2027-11-12", "2027-11-05T14:00:00Z", 7],
    ["35 days", "2027-02-19", "2027-01-15T15:00:00Z", 35],
    ["already past", "2027-01-14", "2027-01-15T15:00:00Z", -1],
  ])("%s: to %s from %s is %s", (_name, expiration, iso, days) => {
    expect(daysToExpiration(expiration, at(iso))).toBe(days);
  });
});
