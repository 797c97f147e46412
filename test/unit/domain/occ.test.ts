import { describe, expect, it } from "vitest";
import {
  buildOccSymbol,
  hasStandardRoot,
  OCC_PATTERN,
  type OccParts,
  occRoot,
  parseOccSymbol,
} from "../../../src/domain/occ";

describe("OCC symbols", () => {
  it.each([
    ["SPY put", { underlying: "SPY", expiration: "2027-01-15", type: "put", strike: 580 }, "SPY270115P00580000"],
    ["QQQ call", { underlying: "QQQ", expiration: "2027-02-19", type: "call", strike: 512.5 }, "QQQ270219C00512500"],
    [
      "IWM fractional strike",
      { underlying: "IWM", expiration: "2027-12-31", type: "put", strike: 0.5 },
      "IWM271231P00000500",
    ],
    [
      "six-letter root",
      { underlying: "GOOGLX", expiration: "2030-06-21", type: "call", strike: 99999 },
      "GOOGLX300621C99999000",
    ],
    ["one-letter root", { underlying: "F", expiration: "2027-03-19", type: "call", strike: 12 }, "F270319C00012000"],
    ["leap day", { underlying: "SPY", expiration: "2028-02-29", type: "put", strike: 580 }, "SPY280229P00580000"],
    [
      "leap day of 2000",
      { underlying: "SPY", expiration: "2000-02-29", type: "put", strike: 580 },
      "SPY000229P00580000",
    ],
  ] as const)("%s: builds and parses back %s", (_name, parts: OccParts, symbol) => {
    expect(buildOccSymbol(parts)).toBe(symbol);
    expect(parseOccSymbol(symbol)).toEqual({ ok: true, value: parts });
  });

  it.each([
    ["lower-case", "spy270115P00580000", "not an OCC option symbol"],
    ["no type letter", "SPY27011500580000", "not an OCC option symbol"],
    ["short strike field", "SPY270115P0058000", "not an OCC option symbol"],
    ["padded with spaces (OSI wire format)", "SPY   270115P00580000", "not an OCC option symbol"],
    ["month 13", "SPY271315P00580000", "impossible expiry date 2027-13-15"],
    ["February 30", "SPY270230P00580000", "impossible expiry date 2027-02-30"],
    ["February 29 of a common year", "SPY270229P00580000", "impossible expiry date 2027-02-29"],
    ["day 0", "SPY270100P00580000", "impossible expiry date 2027-01-00"],
    ["April 31", "SPY270431P00580000", "impossible expiry date 2027-04-31"],
    ["empty", "", "not an OCC option symbol"],
  ])("refuses %s: %s", (_name, symbol, error) => {
    const result = parseOccSymbol(symbol);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(error);
  });

  it.each([
    ["lower-case root", { underlying: "spy", expiration: "2027-01-15", type: "put", strike: 580 }],
    ["seven-letter root", { underlying: "ABCDEFG", expiration: "2027-01-15", type: "put", strike: 580 }],
    ["bad date", { underlying: "SPY", expiration: "2027-02-30", type: "put", strike: 580 }],
    ["date outside 2000-2099", { underlying: "SPY", expiration: "2127-01-15", type: "put", strike: 580 }],
    ["zero strike", { underlying: "SPY", expiration: "2027-01-15", type: "put", strike: 0 }],
    ["strike too large", { underlying: "SPY", expiration: "2027-01-15", type: "put", strike: 100_000 }],
  ] as const)("will not build %s", (_name, parts: OccParts) => {
    expect(() => buildOccSymbol(parts)).toThrow(RangeError);
  });

  it.each([
    ["SPY270115P00580000", "SPY", true],
    ["SPY1270115P00580000", "SPY", false], // adjusted: a changed deliverable
    ["SPYW270115P00580000", "SPY", false],
    ["BRKB270115C00500000", "BRK.B", true], // OCC writes the class without its dot
    ["BRK.B270115C00500000", "BRK.B", true],
    ["QQQ270115P00580000", "SPY", false],
  ] as const)("%s has %s's standard root: %s", (symbol, underlying, standard) => {
    expect(parseOccSymbol(symbol).ok).toBe(true);
    expect(hasStandardRoot(symbol, underlying)).toBe(standard);
  });

  it("reads the root as what comes before the date, side and strike", () => {
    expect(occRoot("SPY1270115P00580000")).toBe("SPY1");
    expect(occRoot("BRKB270115C00500000")).toBe("BRKB");
  });

  it("reads every symbol as the OCC pattern does: the same symbols accepted, the same parts", () => {
    // Each valid symbol, and each of its one-character changes and truncations.
    const seeds = ["SPY270115P00580000", "F270319C00012000", "BRK.B270115C00500000", "GOOGLX300621C99999000"];
    const alphabet = ["A", "Z", "a", "0", "9", ".", "C", "P", " ", "-", "é"];
    const symbols = new Set<string>(["", "C", "SPY", "1PY270115P00580000", ".SPY270115P00580000"]);
    for (const seed of seeds) {
      for (let i = 0; i <= seed.length; i++) {
        symbols.add(seed.slice(0, i));
        symbols.add(seed.slice(i));
        for (const c of alphabet) {
          symbols.add(seed.slice(0, i) + c + seed.slice(i + 1));
          symbols.add(seed.slice(0, i) + c + seed.slice(i));
        }
      }
    }
    let accepted = 0;
    for (const symbol of symbols) {
      const m = OCC_PATTERN.exec(symbol);
      const parsed = parseOccSymbol(symbol);
      if (!m) {
        expect(parsed, symbol).toEqual({ ok: false, error: expect.stringContaining("not an OCC option symbol") });
        continue;
      }
      const [, root, yy, mm, dd, cp, strike] = m;
      const expiration = `20${yy}-${mm}-${dd}`;
      if (!parsed.ok) {
        expect(parsed.error, symbol).toContain(`impossible expiry date ${expiration}`);
        continue;
      }
      accepted++;
      expect(parsed.value, symbol).toEqual({
        underlying: root,
        expiration,
        type: cp === "C" ? "call" : "put",
        strike: Number(strike) / 1000,
      });
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
