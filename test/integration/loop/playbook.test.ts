// The playbook that learns, through the public edges on real local D1: the end of day reviews
// each closed trade and proposes rules from them; /playbook lists the rules with their trades,
// and allowed traders add, retire and restore them (audited); the scan's analyst reads the rules
// and lessons relevant to each idea, not just the latest.
import { env } from "cloudflare:workers";
import type { APIEmbed } from "discord-api-types/v10";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, playbookRules, positions, recommendations, tradeReviews } from "../../../drizzle/schema";
import { createApp } from "../../../src/app";
import { runJob, runJobNow } from "../../../src/jobs/run-job";
import { sandboxWorld } from "../../../src/sandbox/outside";
import { database } from "../../../src/store/db";
import { createAnthropicSim, SIM_REVIEW } from "../../support/anthropic-sim";
import { aPosition, aRecommendation } from "../../support/builders";
import { discordSim } from "../../support/discord-sim";
import { ALLOWED_USER, command, OTHER_USER, resetWorld, SCAN_SLOT, textOf } from "../../support/sandbox-driver";

const db = database(env.DB);
const DAY = 86_400_000;
const EOD_SLOT = Date.UTC(2027, 0, 15, 21, 15); // Friday 15 Jan 2027, 16:15 New York

/** A closed trade: opened 30 days before `closedAt` on 2027-02-19 expiries, at this IV rank. */
async function closedTrade(
  symbol: string,
  strategy: "bull_put" | "bear_call",
  realizedPl: number,
  closedAt: number,
  opts: { ivRank?: number | null; closeReason?: string } = {},
): Promise<number> {
  const rec = aRecommendation({
    symbol,
    strategy,
    status: "filled",
    ivRank: opts.ivRank === undefined ? 20 : opts.ivRank,
  });
  await db.insert(recommendations).values(rec).run();
  const [row] = await db
    .insert(positions)
    .values({
      ...aPosition(rec.id, { symbol, strategy }),
      openedAt: closedAt - 10 * DAY,
      status: "closed",
      closeReason: opts.closeReason ?? (realizedPl > 0 ? "profit_target" : "stop_loss"),
      realizedPl,
      closedAt,
      updatedAt: closedAt,
    })
    .returning({ id: positions.id })
    .all();
  if (!row) throw new Error("no position");
  return row.id;
}

/** The end of day as its cron slot runs it at `now` (a Friday unless said otherwise). */
const endOfDayAt = async (now: number) => runJob(createApp(env, await sandboxWorld(env)), "eod", now, now);

const endOfDaySummary = async () => {
  const summary = (await discordSim.messages()).find((m) => textOf(m).includes("End of day"));
  if (!summary) throw new Error("no end-of-day summary");
  return summary;
};

async function playbookReply(options: Record<string, unknown> = {}, userId = ALLOWED_USER) {
  const { status, response } = await command("playbook", options, userId);
  expect(status).toBe(200);
  return response;
}

const fieldsOf = (embed: APIEmbed | undefined) =>
  Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));

beforeEach(resetWorld);
beforeAll(() => import("../../../src/analyst/anthropic-sdk"), 60_000);

describe("the end of day's learning", () => {
  it("reviews each closed trade once (reflection and lesson, by the rules without a key) and shows the lessons", async () => {
    const win = await closedTrade("SPY", "bull_put", 61.5, EOD_SLOT - 2 * 3_600_000, { ivRank: 55 });
    const loss = await closedTrade("QQQ", "bear_call", -240, EOD_SLOT - 3_600_000, { ivRank: null });
    await endOfDayAt(EOD_SLOT);

    const reviews = await db.select().from(tradeReviews).orderBy(tradeReviews.positionId).all();
    expect(reviews).toMatchObject([
      {
        positionId: win,
        symbol: "SPY",
        ivRegime: "high",
        dte: 45,
        outcome: "win",
        realizedPl: 61.5,
        author: "Rule-based analyst",
      },
      { positionId: loss, symbol: "QQQ", ivRegime: null, outcome: "loss", realizedPl: -240 },
    ]);
    expect(reviews[0]?.reflection).toBe(
      "SPY bull put 580/575 ×2 for $1.20, opened at 45 DTE, IV rank 55 (high), POP 72%, short delta 0.24; closed at the profit target after 10 days: +$61.50 (8% of the $760.00 at risk).",
    );
    expect(reviews[0]?.lesson).toBe(
      "SPY bull puts at high IV rank paid $61.50 in 10 days: the filters held; keep them.",
    );
    expect(reviews[1]?.lesson).toBe(
      "The stop held the bear call loss to -$240.00. On QQQ without an IV rank, ask for a farther short strike or more credit.",
    );

    const text = textOf(await endOfDaySummary());
    expect(text).toMatch(/Lessons from 2 closed trades/);
    expect(text).toContain(`#${win} SPY bull put +$62: SPY bull puts at high IV rank paid`);

    // A second run the same day writes no second review.
    await endOfDayAt(EOD_SLOT + 60_000);
    expect(await db.$count(tradeReviews)).toBe(2);
  });

  it("asks Claude, when configured, for 2 reviews a run (its subrequests are counted); the third waits for the next day", async () => {
    const ids = [
      await closedTrade("SPY", "bull_put", 61.5, EOD_SLOT - 3 * 3_600_000),
      await closedTrade("QQQ", "bull_put", -240, EOD_SLOT - 2 * 3_600_000),
      await closedTrade("IWM", "bull_put", 40, EOD_SLOT - 3_600_000),
    ];
    const sim = createAnthropicSim();
    const withClaude = async () =>
      createApp({ ...env, ANTHROPIC_API_KEY: "sk-ant-playbook" } as Env, {
        ...(await sandboxWorld(env)),
        anthropic: sim.fetch,
      });
    await runJob(await withClaude(), "eod", EOD_SLOT, EOD_SLOT);
    const first = await db.select().from(tradeReviews).orderBy(tradeReviews.positionId).all();
    expect(first.map((r) => [r.positionId, r.author, r.lesson])).toEqual([
      [ids[0], "Claude (claude-sonnet-5-5)", SIM_REVIEW.lesson],
      [ids[1], "Claude (claude-sonnet-5-5)", SIM_REVIEW.lesson],
    ]);
    await runJob(await withClaude(), "eod", EOD_SLOT + DAY * 4, EOD_SLOT + DAY * 4); // Tuesday (Monday is a holiday)
    expect(await db.$count(tradeReviews)).toBe(3);
  });

  it("proposes a rule once three trades of a kind lose, with the trades behind it, and never proposes it again", async () => {
    const ids = [
      await closedTrade("SPY", "bull_put", 60, EOD_SLOT - 5 * DAY),
      await closedTrade("SPY", "bull_put", -240, EOD_SLOT - 3 * DAY),
      await closedTrade("SPY", "bull_put", -180, EOD_SLOT - DAY),
    ];
    await endOfDayAt(EOD_SLOT);

    const rules = await db.select().from(playbookRules).all();
    expect(rules).toMatchObject([
      {
        symbol: "SPY",
        strategy: "bull_put",
        ivRegime: "low",
        status: "active",
        createdBy: "end of day",
        supportingTrades: ids,
        rule: "Be wary of SPY bull puts at low IV rank: 3 trades, 1 won, 2 lost, -$360.00 (expectancy -$120.00 a trade). Ask for more credit or a farther short strike, or pass.",
      },
    ]);
    const text = textOf(await endOfDaySummary());
    expect(text).toMatch(/Playbook: rules proposed/);
    expect(text).toContain(`Rule ${rules[0]?.id}** (from trades #${ids.join(", #")})`);
    // Friday: the week's review counts what the playbook learned.
    expect(text).toContain(`3 trades reviewed · rules proposed: Rule ${rules[0]?.id} (SPY · bull puts · low IV rank)`);

    // Retired by a person, the same evidence does not bring it back.
    await playbookReply({ action: "retire", id: rules[0]?.id });
    await closedTrade("SPY", "bull_put", -100, EOD_SLOT + DAY);
    await endOfDayAt(EOD_SLOT + 4 * DAY);
    expect(await db.select({ status: playbookRules.status }).from(playbookRules).all()).toEqual([
      { status: "retired" },
    ]);
  });
});

describe("/playbook", () => {
  it("lists every rule with its scope, the trades behind it and where it came from, for anyone in the channel", async () => {
    const ids = [
      await closedTrade("SPY", "bull_put", 60, EOD_SLOT - 5 * DAY),
      await closedTrade("SPY", "bull_put", -240, EOD_SLOT - 3 * DAY),
      await closedTrade("SPY", "bull_put", -180, EOD_SLOT - DAY),
    ];
    await endOfDayAt(EOD_SLOT);
    const response = await playbookReply({}, OTHER_USER);
    expect(response.data?.flags).toBe(64);
    const embed = response.data?.embeds?.[0];
    expect(embed?.title).toBe("📘 Playbook");
    expect(embed?.description).toMatch(
      /^1 active rule, read by the analyst for the ideas they match · 0 retired · 3 closed trades reviewed/,
    );
    const [name, value] = Object.entries(fieldsOf(embed))[0] ?? [];
    expect(name).toMatch(/^Rule \d+ · SPY · bull puts · low IV rank$/);
    expect(value).toContain(`Trades: #${ids[0]} +$60, #${ids[1]} −$240, #${ids[2]} −$180`);
    expect(value).toMatch(/_proposed by the end of day <t:\d+:d>_/);
  });

  it("lets an allowed trader add, retire and restore a rule, each in the channel and the audit log", async () => {
    const added = await playbookReply({ action: "add", rule: "  No bear calls on GLD  before FOMC. ", symbol: "gld" });
    expect(added.data?.flags).toBeUndefined();
    expect(added.data?.embeds?.[0]?.title).toMatch(/^Playbook: rule \d+ added$/);
    const [rule] = await db.select().from(playbookRules).all();
    expect(rule).toMatchObject({
      rule: "No bear calls on GLD before FOMC.",
      symbol: "GLD",
      strategy: null,
      createdBy: ALLOWED_USER,
    });
    const id = rule?.id;

    expect((await playbookReply({ action: "retire", id })).data?.embeds?.[0]?.title).toBe(
      `Playbook: rule ${id} retired`,
    );
    expect((await playbookReply({ action: "retire", id })).data?.content).toBe(
      `Rule ${id} is already retired. Nothing was changed.`,
    );
    expect((await playbookReply({ action: "restore", id })).data?.embeds?.[0]?.title).toBe(
      `Playbook: rule ${id} restored`,
    );
    expect((await playbookReply({ action: "retire", id: 999 })).data?.content).toMatch(/There is no rule 999/);

    const audit = await db.select().from(auditLog).orderBy(auditLog.id).all();
    expect(audit.map((a) => [a.action, a.outcome, a.actor])).toEqual([
      ["playbook_add", "added", ALLOWED_USER],
      ["playbook_retire", "retired", ALLOWED_USER],
      ["playbook_retire", "unchanged", ALLOWED_USER],
      ["playbook_restore", "active", ALLOWED_USER],
    ]);
  });

  it("refuses a change from someone who is not an allowed trader, and changes nothing", async () => {
    const { response } = await command("playbook", { action: "add", rule: "Sell everything" }, OTHER_USER);
    expect(response.data?.content).toMatch(/not allowed|only the allowed/i);
    expect(await db.$count(playbookRules)).toBe(0);
  });
});

describe("what the analyst reads", () => {
  it("gets the rules and lessons relevant to each idea (symbol, strategy, IV regime, DTE), not the latest", async () => {
    // An old SPY lesson and a newer, unrelated one; a SPY rule and a QQQ rule.
    const spy = await closedTrade("SPY", "bull_put", -240, SCAN_SLOT - 20 * DAY);
    const tlt = await closedTrade("TLT", "bear_call", 90, SCAN_SLOT - DAY);
    const review = {
      strategy: "bull_put",
      ivRegime: "low",
      dte: 40,
      reflection: "r",
      author: "test",
      createdAt: 1,
    } as const;
    await db
      .insert(tradeReviews)
      .values([
        {
          ...review,
          positionId: spy,
          symbol: "SPY",
          outcome: "loss",
          realizedPl: -240,
          closedDay: "2026-12-24",
          lesson: "SPY puts need room below support.",
        },
        {
          ...review,
          positionId: tlt,
          symbol: "TLT",
          strategy: "bear_call",
          outcome: "win",
          realizedPl: 90,
          closedDay: "2027-01-14",
          lesson: "TLT calls paid.",
        },
      ])
      .run();
    const app = createApp(env, await sandboxWorld(env));
    const by = { actor: ALLOWED_USER, interactionId: "1", now: 1 };
    await app.playbook.add({ rule: "Only SPY ideas read this.", symbol: "SPY", strategy: null, ivRegime: null }, by);
    await app.playbook.add({ rule: "Only QQQ ideas read this.", symbol: "QQQ", strategy: null, ivRegime: null }, by);

    const sim = createAnthropicSim();
    const withClaude = createApp({ ...env, ANTHROPIC_API_KEY: "sk-ant-playbook", SUBREQUEST_BUDGET: "1000" } as Env, {
      ...(await sandboxWorld(env)),
      anthropic: sim.fetch,
    });
    await runJobNow(withClaude, "scan", "manual:playbook", withClaude.clock.now());

    const prompts = sim.requests.map((r) => r.body.messages?.[0]?.content ?? "");
    const spyPrompt = prompts.find((p) => p.includes('"symbol": "SPY"'));
    const qqqPrompt = prompts.find((p) => p.includes('"symbol": "QQQ"'));
    expect(spyPrompt).toMatch(/Rule \d+: Only SPY ideas read this\./);
    expect(spyPrompt).toContain(
      `Lesson from SPY bull put #${spy} (closed 2026-12-24, -$240.00): SPY puts need room below support.`,
    );
    expect(spyPrompt).not.toContain("QQQ ideas");
    expect(qqqPrompt).toMatch(/Rule \d+: Only QQQ ideas read this\./);
    expect(qqqPrompt).not.toContain("SPY puts need room");
    expect(spyPrompt).not.toContain("TLT calls paid");
  });
});
