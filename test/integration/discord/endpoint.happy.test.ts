// Signed, well-formed interactions reach the right handler with the right parsed values.
// Full-stack cases go through the deployed worker (exports.default); routing cases go through
// createInteractionHandler with handlers that record what they were given.
import { createExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { InteractionResponseType, MessageFlags } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { COMMAND_NAMES, commandSpec } from "../../../src/discord/commands";
import type { ComponentAction } from "../../../src/discord/custom-id";
import { createInteractionHandler } from "../../../src/discord/endpoint";
import { tradingHandlers } from "../../../src/discord/handlers";
import { helpText } from "../../../src/discord/help";
import { interactionRoot } from "../../../src/worker";
import { countingWorld } from "../../support/counting-env";
import { click, command, commandWithRequired, ping, SANDBOX } from "../../support/discord-interactions";
import { recordingHandlers, through } from "../../support/recording-handlers";
import { signedRequest } from "../../support/sign";

interface Answer {
  type: number;
  data?: { content?: string; flags?: number };
}

async function send(body: unknown): Promise<Response> {
  return exports.default.fetch(await signedRequest(body));
}

describe("PING", () => {
  it("answers PONG", async () => {
    const response = await send(ping());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ type: InteractionResponseType.Pong });
  });

  it("answers PONG to every PING, even one with a repeated id (Discord's checks resend them)", async () => {
    const body = ping();
    await send(body);
    expect(await (await send(body)).json()).toEqual({ type: InteractionResponseType.Pong });
  });

  it("answers PONG from the signature alone: no storage, no outside world, no app built", async () => {
    const world = await countingWorld();
    let built = 0;
    const root = interactionRoot(world.env, "sandbox", () => {
      built++;
      return world.outside;
    });

    const response = await createInteractionHandler(tradingHandlers())(
      await signedRequest(ping()),
      createExecutionContext(),
      root,
    );

    expect(await response.json()).toEqual({ type: InteractionResponseType.Pong });
    expect(built).toBe(0);
    expect(world.counts).toEqual({ fetch: 0, d1: 0, kv: 0, r2: 0, refused: 0 });
  });
});

describe("/help", () => {
  it("lists every command with its description, privately", async () => {
    const answer = await (await send(command("help"))).json<Answer>();
    expect(answer.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.data?.flags).toBe(MessageFlags.Ephemeral);
    for (const name of COMMAND_NAMES) {
      expect(answer.data?.content).toContain(`/${name}`);
      expect(answer.data?.content).toContain(commandSpec(name).description);
    }
    expect(answer.data?.content).toContain("[reason]");
    // The exits as the deployment configures them (the defaults here).
    const exits = { profitTargetPct: 0.5, stopLossPct: 2, exitDte: 21 };
    expect(answer.data?.content).toBe(helpText(exits));
    expect(answer.data?.content).toContain("at the profit target (50% of the credit kept)");
    expect(answer.data?.content).toContain("a loss of 200% of the credit");
    expect(answer.data?.content).toContain("21 days before expiry");
    expect(answer.data?.content).toContain("/close posts one's card");
  });

  it("fits in one Discord message", () => {
    expect(helpText({ profitTargetPct: 0.95, stopLossPct: 10, exitDte: 60 }).length).toBeLessThanOrEqual(2000);
  });
});

describe("commands through the worker", () => {
  for (const name of COMMAND_NAMES) {
    it(`answers /${name} with a message`, async () => {
      const response = await send(commandWithRequired(name));
      expect(response.status).toBe(200);
      const answer = await response.json<Answer>();
      expect([
        InteractionResponseType.ChannelMessageWithSource,
        InteractionResponseType.DeferredChannelMessageWithSource,
      ]).toContain(answer.type);
    });
  }
});

describe("command routing", () => {
  for (const name of COMMAND_NAMES) {
    it(`routes /${name} to its handler`, async () => {
      const { handlers, calls } = recordingHandlers();
      const body = commandWithRequired(name);
      const answer = await (await through(handlers, await signedRequest(body))).json<Answer>();
      expect(answer.data?.content).toBe(`handled by ${name}`);
      expect(calls).toEqual([
        {
          handler: name,
          // The options Discord sent, by name.
          arg: Object.fromEntries((body.data.options ?? []).map((o) => [o.name, o.value])),
          context: {
            userId: SANDBOX.allowedUserId,
            userName: "trader03",
            roleIds: [],
            now: expect.any(Number),
            interactionId: body.id,
          },
        },
      ]);
    });
  }

  it("hands /halt its reason", async () => {
    const { handlers, calls } = recordingHandlers();
    const reason = "Fed minutes at 2pm, sitting this one out";
    await through(handlers, await signedRequest(command("halt", [{ name: "reason", type: 3, value: reason }])));
    expect(calls.map((c) => [c.handler, c.arg])).toEqual([["halt", { reason }]]);
  });

  it("accepts a /halt reason of exactly 200 characters", async () => {
    const { handlers, calls } = recordingHandlers();
    const reason = "r".repeat(200);
    await through(handlers, await signedRequest(command("halt", [{ name: "reason", type: 3, value: reason }])));
    expect(calls.map((c) => c.arg)).toEqual([{ reason }]);
  });

  it("prefers the member's global name when Discord sends one", async () => {
    const { handlers, calls } = recordingHandlers();
    const body = command("status");
    const named = { ...body, member: { ...body.member, user: { ...body.member.user, global_name: "Dana" } } };
    await through(handlers, await signedRequest(named));
    expect(calls[0]?.context.userName).toBe("Dana");
  });
});

describe("button routing", () => {
  const clicks: [string, ComponentAction, string][] = [
    ["v1:approve:rec_2027a:1", { kind: "approve", recId: "rec_2027a", contracts: 1 }, "approve"],
    ["v1:approve:rec_2027a:2", { kind: "approve", recId: "rec_2027a", contracts: 2 }, "approve"],
    ["v1:approve:SPY-bull_put-0115:10", { kind: "approve", recId: "SPY-bull_put-0115", contracts: 10 }, "approve"],
    ["v1:reject:rec_2027a", { kind: "reject", recId: "rec_2027a" }, "reject"],
    ["v1:close:42", { kind: "close", positionId: 42 }, "close"],
    ["v1:refresh:rec_2027a", { kind: "refresh", recId: "rec_2027a" }, "refresh"],
  ];

  for (const [customId, action, handler] of clicks) {
    it(`routes ${customId} to ${handler} with the parsed action`, async () => {
      const { handlers, calls } = recordingHandlers();
      const answer = await (await through(handlers, await signedRequest(click(customId)))).json<Answer>();
      expect(answer.data?.content).toBe(`handled by ${handler}`);
      expect(calls.map((c) => [c.handler, c.arg])).toEqual([[handler, action]]);
    });
  }

  it("lets anyone in the channel refresh a recommendation (read-only)", async () => {
    const { handlers, calls } = recordingHandlers();
    await through(handlers, await signedRequest(click("v1:refresh:rec_x", { userId: SANDBOX.otherUserId })));
    expect(calls.map((c) => c.handler)).toEqual(["refresh"]);
  });

  it("answers a click through the deployed worker with a message", async () => {
    const answer = await (await send(click("v1:reject:rec_placeholder"))).json<Answer>();
    expect(answer.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  });
});
