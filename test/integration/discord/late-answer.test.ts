// When D1 or the broker is slow, the endpoint acknowledges within Discord's 3 s and delivers the
// answer afterwards (src/discord/late-answer.ts). Here every answer is already late: the sandbox's
// worker with `answerWithinMs: 0`, driven through the sandbox's interactions route and the
// Discord simulator, as a trader would see it with a database that took seconds to answer.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { createInteractionHandler } from "../../../src/discord/endpoint";
import { discordSandboxRoute } from "../../../src/sandbox/discord/routes";
import { sandboxOutside, sandboxWorld } from "../../../src/sandbox/outside";
import { breakerStore } from "../../../src/store/breakers";
import { database } from "../../../src/store/db";
import { createWorker, interactionRoot } from "../../../src/worker";
import { click as aClick } from "../../support/discord-interactions";
import { discordSim, type SimMessage } from "../../support/discord-sim";
import { recordingHandlers } from "../../support/recording-handlers";
import {
  ALLOWED_USER,
  buttonsOf,
  click,
  type InteractionResult,
  messageById,
  openingOrdersFor,
  resetWorld,
  scanAndPick,
  textOf,
} from "../../support/sandbox-driver";
import { signedRequest } from "../../support/sign";

const late = createWorker("sandbox", async (e) => ({ ...(await sandboxWorld(e)), answerWithinMs: 0 }));

/** One interaction through the sandbox's route to the late worker; waits for its work after the answer. */
async function lateInteraction(body: Record<string, unknown>): Promise<InteractionResult> {
  const ctx = createExecutionContext();
  const url = new URL("http://127.0.0.1/sandbox/api/interactions");
  const request = new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: ALLOWED_USER, ...body }),
  });
  const response = await discordSandboxRoute(request, env, url, (r) => late.fetch(r, env, ctx));
  await waitOnExecutionContext(ctx);
  if (!response) throw new Error("the sandbox's interactions route did not answer");
  return response.json<InteractionResult>();
}

/** The replies to one slash command, oldest first. */
async function repliesTo(name: string): Promise<SimMessage[]> {
  return (await discordSim.messages()).filter((m) => m.interaction_metadata?.name === name);
}

const EPHEMERAL = 64;

beforeEach(resetWorld);

describe("an answer that would miss Discord's 3 s", () => {
  it("acknowledges an Approve at once; the one order follows and the card ends filled, not stuck at Approving", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const answer = await lateInteraction({ type: "component", message_id: message.id, custom_id: approve.custom_id });
    expect(answer.status).toBe(200);
    expect(answer.response).toEqual({ type: 6 }); // deferred update: the card stays until the edit comes
    expect(await openingOrdersFor(recId)).toHaveLength(1);
    // The late "Approving…" edit went out before the order's own edits: the card shows the end state.
    const card = await messageById(message.id);
    expect(textOf(card)).toMatch(/Filled/);
    expect(buttonsOf(card)).toEqual([]);
    const routes = (await discordSim.requests()).map((r) => `${r.method} ${r.route}`);
    const lateEdit = routes.indexOf("PATCH /webhooks/100000000000000001/<token>/messages/@original");
    const orderEdit = routes.lastIndexOf(`PATCH /channels/100000000000000002/messages/${message.id}`);
    expect(lateEdit).toBeGreaterThanOrEqual(0);
    expect(orderEdit).toBeGreaterThan(lateEdit);
  });

  it("gives a refused click its reason as a follow-up only the clicker sees, and places nothing more", async () => {
    const { message, approve, recId } = await scanAndPick("QQQ");
    expect((await click(message.id, approve.custom_id)).response.type).toBe(7);
    const before = (await discordSim.messages()).length;

    const answer = await lateInteraction({ type: "component", message_id: message.id, custom_id: approve.custom_id });
    expect(answer.response).toEqual({ type: 6 });
    const added = (await discordSim.messages()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]?.flags).toBe(EPHEMERAL);
    expect(added[0]?.content).toMatch(/^Already approved by <@100000000000000003>: one order only/);
    expect(await openingOrdersFor(recId)).toHaveLength(1);
  });

  it("shows /status's thinking to the caller only, then the status in its place", async () => {
    const answer = await lateInteraction({ type: "command", name: "status" });
    expect(answer.response).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const [reply, ...more] = await repliesTo("status");
    expect(more).toEqual([]);
    expect(reply?.flags).toBe(EPHEMERAL); // ephemeral, and no longer "thinking…" (LOADING)
    expect(textOf(reply as SimMessage)).toMatch(/^Status · 🧪 PAPER\nTrading: 🟢/);
  });

  it("still posts /halt's notice for everyone, under a short note to the caller, and halts", async () => {
    const answer = await lateInteraction({ type: "command", name: "halt", options: { reason: "slow morning" } });
    expect(answer.response).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const replies = await repliesTo("halt");
    const note = replies.find((m) => m.flags === EPHEMERAL);
    const notice = replies.find((m) => m.flags === 0);
    expect(note?.content).toBe("Answered below (the bot was slow to answer).");
    expect(textOf(notice as SimMessage)).toMatch(/Trading halted[\s\S]*slow morning/);
    expect((await breakerStore(database(env.DB), env.STATE).read()).halted).toBe(true);
  });

  it("gives a late /scan one thinking reply, which the scan's summary replaces when it is done", async () => {
    const answer = await lateInteraction({ type: "command", name: "scan" });
    expect(answer.response).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const replies = await repliesTo("scan");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.flags).toBe(EPHEMERAL);
    expect(replies[0]?.content).toMatch(/^Scan done: \d+ recommendations? posted\./);
  });

  it("apologises in place of the thinking when a step before the handler fails, instead of leaving it spinning", async () => {
    // The replay record's table gone: the router's own D1 write throws before /status's handler runs.
    await env.DB.exec("ALTER TABLE seen_interactions RENAME TO seen_interactions_away");
    try {
      const answer = await lateInteraction({ type: "command", name: "status" });
      expect(answer.response).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    } finally {
      await env.DB.exec("ALTER TABLE seen_interactions_away RENAME TO seen_interactions");
    }
    const [reply, ...more] = await repliesTo("status");
    expect(more).toEqual([]);
    expect(reply?.flags).toBe(EPHEMERAL);
    expect(reply?.content).toMatch(/^Something went wrong while handling that \(logged\)/);
  });
});

describe("the router's late path (its handler seam)", () => {
  it("starts a handler's work after the answer only once the late answer has reached Discord", async () => {
    const events: string[] = [];
    const { handlers } = recordingHandlers();
    handlers.reject = async (c) => {
      c.ctx.waitUntil(c.answered.then(() => events.push("work after the answer starts")));
      return { type: 7, data: { content: "Rejected." } };
    };
    const discord: typeof fetch = async (input, init) => {
      const response = await sandboxOutside(env).discord(input, init);
      if (init?.method === "PATCH" && String(input).endsWith("/messages/@original"))
        events.push("late answer delivered");
      return response;
    };
    const root = interactionRoot(env, "sandbox", async () => ({
      ...(await sandboxWorld(env)),
      discord,
      answerWithinMs: 0,
    }));
    const ctx = createExecutionContext();
    const request = await signedRequest(aClick("v1:reject:rec-late"));
    const response = await createInteractionHandler(handlers)(request, ctx, root);
    expect(await response.json()).toEqual({ type: 6 });
    await waitOnExecutionContext(ctx);
    expect(events).toEqual(["late answer delivered", "work after the answer starts"]);
  });
});
