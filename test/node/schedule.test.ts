// wrangler.toml is what Cloudflare fires; the cron lanes (src/jobs/schedule.ts) and the New York
// slot table (src/domain/job-slots.ts) are what scheduled() runs on a firing. This fires every
// cron of wrangler.toml at every minute of a January and a July trading day, as Cloudflare
// would, and checks the day that comes out, in production and in the sandbox.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SCAN_TIMES, EOD_TIME, type JobName } from "../../src/domain/job-slots";
import { newYorkParts, utcInstant } from "../../src/domain/market-time";
import { CRONS, dueAtFiring } from "../../src/jobs/schedule";

const toml = readFileSync(resolve(import.meta.dirname, "../../wrangler.toml"), "utf8");

/** The crons lists of wrangler.toml: production's [triggers], then [env.sandbox]'s. */
function cronLists(): string[][] {
  return [...toml.matchAll(/crons\s*=\s*\[([^\]]*)\]/g)].map((m) =>
    [...(m[1] ?? "").matchAll(/"([^"]+)"/g)].map((c) => c[1] ?? ""),
  );
}

/** One field of a 5-field cron: "*", "*\/5", "13-21", "1-5", "0,30", "10-50/10". */
function fieldMatches(field: string, value: number): boolean {
  return field.split(",").some((part) => {
    const [range = "*", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    const [lo, hi] =
      range === "*" ? [0, 59] : range.includes("-") ? range.split("-").map(Number) : [Number(range), Number(range)];
    return lo !== undefined && hi !== undefined && value >= lo && value <= hi && (value - lo) % step === 0;
  });
}

/** Whether Cloudflare fires `cron` at the UTC minute `t`. */
function fires(cron: string, t: number): boolean {
  const [minute, hour, dom, month, dow] = cron.split(/\s+/);
  const d = new Date(t);
  return (
    fieldMatches(minute ?? "", d.getUTCMinutes()) &&
    fieldMatches(hour ?? "", d.getUTCHours()) &&
    (dom === "*" || fieldMatches(dom ?? "", d.getUTCDate())) &&
    (month === "*" || fieldMatches(month ?? "", d.getUTCMonth() + 1)) &&
    fieldMatches(dow ?? "", d.getUTCDay())
  );
}

interface Run {
  job: JobName;
  ny: string;
  key: string;
  cron: string;
}

/** Fires every cron at every minute of the New York day `date` and collects the runs the table gives. */
function fireDay(crons: readonly string[], date: string, scanTimes: readonly string[] = DEFAULT_SCAN_TIMES): Run[] {
  const runs: Run[] = [];
  const start = utcInstant(date, "00:00");
  for (let t = start; t < start + 24 * 3_600_000; t += 60_000)
    for (const cron of crons) {
      if (!fires(cron, t)) continue;
      const due = dueAtFiring(cron, t, scanTimes);
      expect(due.length, `${cron} at ${new Date(t).toISOString()}: one job per invocation`).toBeLessThanOrEqual(1);
      for (const slot of due) runs.push({ job: slot.job, ny: newYorkParts(t).time, key: slot.key, cron });
    }
  return runs;
}

const timesOf = (runs: Run[], job: JobName) => runs.filter((r) => r.job === job).map((r) => r.ny);
const fiveMinuteMarks = (from: string, to: string) => {
  const marks: string[] = [];
  for (let m = Number(from.slice(0, 2)) * 60 + Number(from.slice(3)); ; m += 5) {
    const hhmm = `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
    marks.push(hhmm);
    if (hhmm === to) return marks;
  }
};

const JANUARY = "2027-01-14"; // a Thursday, New York on EST (UTC-5)
const JULY = "2027-07-15"; // a Thursday, New York on EDT (UTC-4)

describe("wrangler.toml's crons against the slot table", () => {
  const lists = cronLists();

  it("lists the crons of the table, for production and the sandbox, and no more", () => {
    expect(lists).toHaveLength(2);
    for (const list of lists) expect([...list].sort()).toEqual(CRONS.map((c) => c.cron).sort());
    // Cron triggers are counted per account (5 on the free plan): two, each carrying its own jobs.
    expect(CRONS.length).toBeLessThanOrEqual(2);
    const jobs = CRONS.flatMap((c) => c.jobs);
    expect(new Set(jobs).size).toBe(jobs.length);
  });

  for (const [name, index] of [
    ["production", 0],
    ["sandbox", 1],
  ] as const) {
    describe(name, () => {
      const crons = () => lists[index] ?? [];

      it.each([
        ["January", JANUARY],
        ["July", JULY],
      ])("on a %s trading day scans at 09:35, 12:00 and 15:30 New York and the end of day once at 16:15", (_m, day) => {
        const runs = fireDay(crons(), day);
        expect(timesOf(runs, "scan")).toEqual(["09:35", "12:00", "15:30"]);
        expect(timesOf(runs, "eod")).toEqual([EOD_TIME]);
        expect(timesOf(runs, "monitor")).toEqual(fiveMinuteMarks("09:30", "15:55"));
        expect(new Set(runs.map((r) => `${r.job}:${r.key}`)).size).toBe(runs.length);
      });

      it("runs the same New York day in January and July", () => {
        const strip = (runs: Run[]) => runs.map((r) => `${r.job} ${r.ny}`);
        expect(strip(fireDay(crons(), JANUARY))).toEqual(strip(fireDay(crons(), JULY)));
      });

      it("reaches every scan time SCAN_TIMES may name (09:30 to 15:55 on 5-minute marks), in both seasons", () => {
        const all = fiveMinuteMarks("09:30", "15:55");
        for (const day of [JANUARY, JULY]) expect(timesOf(fireDay(crons(), day, all), "scan")).toEqual(all);
      });
    });
  }
});
