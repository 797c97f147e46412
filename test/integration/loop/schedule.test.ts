// The trading day's schedule in the sandbox: /status's next runs and when the last runs happened,
// and the midday scan's review of the open positions.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { positions, recommendations } from "../../../drizzle/schema";
import { utcInstant } from "../../../src/domain/market-time";
import { database } from "../../../src/store/db";
import { aPosition, aRecommendation } from "../../support/builders";
import { discordSim } from "../../support/discord-sim";
import { embedOf, moveClockTo, postJson, resetWorld, statusFields, textOf } from "../../support/sandbox-driver";

const db = database(env.DB);
const TUESDAY_0955 = utcInstant("2027-01-12", "09:55"); // 14:55 UTC, winter time

interface RunAnswer {
  outcome: string;
  scheduled_time: string;
  summary?: { review?: string[] };
}

const runNow = async (body: Record<string, unknown>) =>
  (await postJson("/sandbox/api/jobs/run", body)).json<RunAnswer>();

const at = (ms: number) => `<t:${Math.floor(ms / 1000)}:R>`;

beforeEach(resetWorld);

describe("/status and the schedule", () => {
  it("at 09:55 on Tuesday 12 January 2027: next runs are the monitor at 10:00, the midday scan at 12:00 and the end of day at 16:15", async () => {
    await moveClockTo(TUESDAY_0955);
    const next = (await statusFields())["Next runs"];
    expect(next?.split("\n")).toEqual([
      `monitor 10:00 New York (${at(utcInstant("2027-01-12", "10:00"))}) · every 5 minutes in the session`,
      `scan 12:00 New York (${at(utcInstant("2027-01-12", "12:00"))}) · with the positions review`,
      `eod 16:15 New York (${at(utcInstant("2027-01-12", "16:15"))})`,
    ]);
  });

  it("an end of day run on demand at 09:55 shows in the last runs at 09:55, for its 16:15 slot, not 'in 6 hours'", async () => {
    await moveClockTo(TUESDAY_0955);
    expect((await runNow({ job: "eod" })).outcome).toBe("ran");
    const last = (await statusFields())["Last runs"];
    expect(last).toBe(`✅ eod 09:55 New York (${at(TUESDAY_0955)}) · for the 16:15 slot`);
    expect(last).not.toContain(at(utcInstant("2027-01-12", "16:15")));
  });
});

describe("the midday scan", () => {
  async function openPosition(): Promise<void> {
    const rec = aRecommendation({ status: "filled" });
    await db.insert(recommendations).values(rec).run();
    await db
      .insert(positions)
      .values(aPosition(rec.id, { mark: 0.8, unrealizedPl: 80, markedAt: TUESDAY_0955 - 5 * 60_000 }))
      .run();
  }

  it("reviews the open positions in one post, a line each: P/L at the mark, DTE, the exits", async () => {
    await moveClockTo(TUESDAY_0955);
    await openPosition();
    const run = await runNow({ job: "scan", slot: "12:00" });
    expect(run.outcome).toBe("ran");
    expect(run.scheduled_time).toBe(new Date(utcInstant("2027-01-12", "12:00")).toISOString());
    const review = (await discordSim.messages()).find((m) => embedOf(m).title === "Midday review");
    expect(review).toBeDefined();
    const text = textOf(review ?? (await discordSim.messages())[0] ?? ({} as never));
    // Credit $1.20: target at 50 % ($0.60 to close), stop at 200 % ($3.60); 19 February is 38 days away.
    expect(text).toContain(
      "1 open position · open P/L +$80. The mark is the mid; the target and stop are debits at the natural",
    );
    expect(text).toContain(
      `**SPY bull put 580/575 · 19 Feb** ×2: P/L +$80 at the mark $0.80 (${at(TUESDAY_0955 - 5 * 60_000)}) · 38 DTE, time exit in 17 days · natural target $0.60, stop $3.60`,
    );
    expect(run.summary?.review).toHaveLength(1);
  });

  it("the morning scan (09:35) does not review, and a midday with nothing open posts no review", async () => {
    await moveClockTo(TUESDAY_0955);
    await openPosition();
    expect((await runNow({ job: "scan", slot: "09:35" })).summary?.review).toBeUndefined();
    await db.delete(positions).run();
    expect((await runNow({ job: "scan", slot: "12:00" })).summary?.review).toEqual(["no open positions"]);
    expect((await discordSim.messages()).some((m) => embedOf(m).title === "Midday review")).toBe(false);
  });
});
