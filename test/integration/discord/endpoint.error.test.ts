// Malformed but correctly signed interactions: answered 400 (never 500), acted on by nobody,
// and not remembered as seen (a later well-formed interaction with that id is still handled).
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Handlers } from "../../../src/discord/endpoint";
import { click, command, ping } from "../../support/discord-interactions";
import { recordingHandlers, through } from "../../support/recording-handlers";
import { signedRequest } from "../../support/sign";

async function send(body: unknown): Promise<Response> {
  return exports.default.fetch(await signedRequest(body));
}

const malformed: [string, () => unknown][] = [
  ["a body that is not JSON", () => "{not json"],
  ["an empty body", () => ""],
  ["a JSON array", () => [ping()]],
  ["a JSON string", () => '"hello"'],
  ["an id of the wrong type", () => ({ ...command("status"), id: 12345 })],
  ["a type of the wrong type", () => ({ ...ping(), type: "1" })],
  ["an unknown interaction type", () => ({ ...ping(), type: 99 })],
  ["an autocomplete interaction (type 4), which no command uses", () => ({ ...command("halt"), type: 4 })],
  ["a modal submit (type 5), which the bot never opens", () => ({ ...command("halt"), type: 5 })],
  ["an id that is not a snowflake", () => ({ ...command("status"), id: "../../etc" })],
  ["a command without data", () => ({ ...command("status"), data: undefined })],
  ["a user command (not chat input)", () => ({ ...command("status"), data: { id: "1", name: "status", type: 2 } })],
  [
    "a select menu instead of a button",
    () => ({ ...click("v1:reject:rec_1"), data: { custom_id: "v1:reject:rec_1", component_type: 3 } }),
  ],
  ["a click without its message", () => ({ ...click("v1:reject:rec_1"), message: undefined })],
  ["a huge custom id", () => click(`v1:reject:${"a".repeat(5000)}`)],
  [
    "a huge user name",
    () => {
      const body = command("status");
      return { ...body, member: { ...body.member, user: { ...body.member.user, username: "x".repeat(100_000) } } };
    },
  ],
  ["a huge token", () => ({ ...command("status"), token: "t".repeat(50_000) })],
  ["an interaction without any user", () => ({ ...command("status"), member: undefined })],
  ["an unknown command name", () => command("nuke")],
  ["a command name that looks like a path", () => command("../halt")],
  ["an option the command does not have", () => command("status", [{ name: "force", type: 5, value: true }])],
  ["an option of the wrong type", () => command("halt", [{ name: "reason", type: 4, value: 3 }])],
  ["an option whose value has the wrong type", () => command("halt", [{ name: "reason", type: 3, value: 3 }])],
  ["a /halt reason over 200 characters", () => command("halt", [{ name: "reason", type: 3, value: "r".repeat(201) }])],
  [
    "the same option twice",
    () =>
      command("halt", [
        { name: "reason", type: 3, value: "a" },
        { name: "reason", type: 3, value: "b" },
      ]),
  ],
  ["an unknown custom id", () => click("buy-everything")],
  ["a custom id of an unknown version", () => click("v2:approve:rec_1:1")],
  ["an unknown button action", () => click("v1:explode:rec_1")],
  ["an approve without a size", () => click("v1:approve:rec_1")],
  ["an approve of zero contracts", () => click("v1:approve:rec_1:0")],
  ["an approve of a negative size", () => click("v1:approve:rec_1:-2")],
  ["an approve of a fractional size", () => click("v1:approve:rec_1:1.5")],
  ["an approve of more contracts than any button offers", () => click("v1:approve:rec_1:1001")],
  ["a recommendation id with forbidden characters", () => click("v1:reject:rec 1;drop")],
  ["a recommendation id over 40 characters", () => click(`v1:reject:${"r".repeat(41)}`)],
  ["a close of a position that is not a number", () => click("v1:close:abc")],
  ["a close of position zero", () => click("v1:close:0")],
  ["a close with a leading zero", () => click("v1:close:07")],
  ["a custom id with extra parts", () => click("v1:reject:rec_1:extra")],
];

describe("malformed signed interactions", () => {
  for (const [label, build] of malformed) {
    it(`answers 400 to ${label}`, async () => {
      const response = await send(build());
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(await response.json()).toMatchObject({ error: "bad_request", message: expect.any(String) });
    });
  }

  it("acts on none of them", async () => {
    const { handlers, calls } = recordingHandlers();
    for (const [, build] of malformed) {
      const response = await through(handlers, await signedRequest(build()));
      expect(response.status).toBe(400);
    }
    expect(calls).toEqual([]);
  });

  it("does not remember a malformed interaction's id as seen", async () => {
    const { handlers, calls } = recordingHandlers();
    const good = click("v1:reject:rec_later");
    await through(handlers, await signedRequest({ ...good, data: { ...good.data, custom_id: "v9:what" } }));
    const response = await through(handlers, await signedRequest(good));
    expect(await response.json()).toMatchObject({ data: { content: "handled by reject" } });
    expect(calls).toHaveLength(1);
  });

  it("answers 413 to an absurdly large signed body", async () => {
    const response = await send({ ...ping(), padding: "p".repeat(300 * 1024) });
    expect(response.status).toBe(413);
  });
});

describe("a handler that throws", () => {
  it("answers the person with an ephemeral apology, not a 500", async () => {
    const { handlers } = recordingHandlers();
    const failing: Handlers = {
      ...handlers,
      close: async () => {
        throw new Error("database on fire");
      },
    };
    const response = await through(failing, await signedRequest(click("v1:close:12")));
    expect(response.status).toBe(200);
    const body = await response.json<{ type: number; data: { content: string; flags: number } }>();
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(64);
    expect(body.data.content).toContain("Something went wrong");
    expect(body.data.content).not.toContain("database on fire");
  });
});

describe("configuration", () => {
  it("refuses to verify with a misconfigured public key: 503, the details only in the logs and /health", async () => {
    const { handlers, calls } = recordingHandlers();
    const response = await through(handlers, await signedRequest(ping()), { DISCORD_PUBLIC_KEY: "not-a-key" });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: "config",
      message: "The bot cannot verify interactions (see its logs).",
    });
    expect(calls).toEqual([]);
  });
});
