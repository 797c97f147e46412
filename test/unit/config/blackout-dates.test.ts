import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config";

// The sandbox env from wrangler.toml is a complete, valid configuration.
const valid = { ...env } as Record<string, unknown>;

function problemsOf(overrides: Record<string, unknown>): string[] {
  try {
    parseConfig({ ...valid, ...overrides }, "sandbox");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("BLACKOUT_DATES", () => {
  it("is empty unless set", () => {
    expect(parseConfig(valid, "sandbox").events.blackoutDates).toEqual([]);
  });

  it("reads '2026-12-16:FOMC,2026-12-10:CPI' into dated, labelled days", () => {
    const config = parseConfig({ ...valid, BLACKOUT_DATES: "2026-12-16:FOMC,2026-12-10:CPI" }, "sandbox");
    expect(config.events.blackoutDates).toEqual([
      { date: "2026-12-10", label: "CPI" },
      { date: "2026-12-16", label: "FOMC" },
    ]);
  });

  it("names the setting and the entry when one is not a date", () => {
    expect(problemsOf({ BLACKOUT_DATES: "2026-12-16:FOMC,Dec 10:CPI" })).toEqual([
      'BLACKOUT_DATES entry "Dec 10:CPI" is not a YYYY-MM-DD date (write 2026-12-16 or 2026-12-16:FOMC)',
    ]);
  });
});
