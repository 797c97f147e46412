// Spreads need options level 3 at Alpaca. Below it the account is told once a day instead of
// being offered ideas whose every Approve would fail; /status shows the level; an Approve made
// before the level dropped refuses before any order. The level is the simulator's knob, set
// through the public sandbox route as a person would.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { database } from "../../../src/store/db";
import * as alpaca from "../../support/alpaca-sim";
import { discordSim } from "../../support/discord-sim";
import {
  call,
  click,
  command,
  fire,
  messageById,
  recommendationMessages,
  resetWorld,
  SCAN_SLOT,
  scanAndPick,
  statusFields,
  storedRecommendation,
  textOf,
} from "../../support/sandbox-driver";

const db = database(env.DB);

const setLevel = (level: number) =>
  call("/sandbox/api/faults", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ options_level: level }),
  });

const levelNotices = async () =>
  (await discordSim.messages()).filter((m) => textOf(m).includes("Spreads need options level 3"));

beforeEach(resetWorld);

describe("options level below 3", () => {
  it("the public faults route sets the level Alpaca's account reports, and refuses one out of range", async () => {
    expect((await setLevel(2)).status).toBe(200);
    expect(await alpaca.simBroker().account()).toMatchObject({ optionsLevel: 2, optionsApprovedLevel: 2 });
    expect((await setLevel(4)).status).toBe(400);
  });

  it("a scan posts one notice saying the level and what to do at Alpaca, and no ideas; a second scan that day adds none", async () => {
    await setLevel(2);
    await fire("scan", SCAN_SLOT);
    expect(await recommendationMessages()).toHaveLength(0);
    expect(await db.query.recommendations.findMany()).toHaveLength(0);
    const [notice, ...more] = await levelNotices();
    if (!notice) throw new Error("no options-level notice");
    expect(more).toHaveLength(0);
    expect(textOf(notice)).toMatch(
      /trades at options level 2 \(long calls and puts\); credit spreads need level 3[\s\S]*apply for level 3/,
    );

    const manual = await command("scan");
    expect(manual.status).toBe(200);
    expect(await levelNotices()).toHaveLength(1);
    expect(await recommendationMessages()).toHaveLength(0);
    // No orders could have been sent: the broker saw only reads.
    expect((await alpaca.requests()).filter((r) => r.method === "POST")).toEqual([]);
  });

  it("/status shows the level, with the fix when it is below 3", async () => {
    const levelField = async () => (await statusFields())["Options level"];
    expect(await levelField()).toBe("level 3 (spreads) ✅");
    await setLevel(1);
    expect(await levelField()).toMatch(/^⚠️ The Alpaca account trades at options level 1 \(covered calls/);
  });

  it("an Approve after the level dropped refuses with the reason, and no order is sent", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    await setLevel(2);
    await click(message.id, approve.custom_id);
    const rec = await storedRecommendation(recId);
    expect(rec?.status).toBe("refused");
    expect(rec?.statusReason).toContain("options level 2 (long calls and puts) and spreads need level 3");
    expect(textOf(await messageById(message.id))).toContain("spreads need level 3");
    expect(await alpaca.listOrders()).toEqual([]);
    expect((await alpaca.requests()).filter((r) => r.method === "POST" && r.path === "/v2/orders")).toEqual([]);
  });
});
