// Who gets through POST /discord/interactions: only Discord (signature), only now (timestamp
// window), only once (replay), and only the allowed people for anything that acts.
import { env, exports } from "cloudflare:workers";
import { InteractionResponseType, MessageFlags } from "discord-api-types/v10";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { auditLog, seenInteractions } from "../../../drizzle/schema";
import { ALREADY_HANDLED, NOT_ALLOWED } from "../../../src/discord/endpoint";
import { bytesToHex } from "../../../src/discord/hex";
import { click, command, ping, SANDBOX } from "../../support/discord-interactions";
import { recordingHandlers, through } from "../../support/recording-handlers";
import { signBody, signedRequest } from "../../support/sign";

const URL = "http://bot.test/discord/interactions";
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Answer {
  type: number;
  data?: { content?: string; flags?: number };
}

async function send(request: Request): Promise<Response> {
  return exports.default.fetch(request);
}

describe("signature", () => {
  it("refuses a request without signature headers with 401", async () => {
    const response = await send(new Request(URL, { method: "POST", body: JSON.stringify(ping()) }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "unauthorized" });
  });

  it("refuses a wrong signature with 401", async () => {
    const body = JSON.stringify(ping());
    const timestamp = String(nowSeconds());
    const good = await signBody(body, timestamp);
    const wrong = (good.startsWith("0") ? "1" : "0") + good.slice(1);
    const response = await send(
      new Request(URL, {
        method: "POST",
        headers: { "x-signature-ed25519": wrong, "x-signature-timestamp": timestamp },
        body,
      }),
    );
    expect(response.status).toBe(401);
  });

  it("verifies against the key configured now: a new key's signatures pass, the old key's are refused", async () => {
    const pair = (await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair;
    const newPublicKey = bytesToHex((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
    const newSeed = bytesToHex((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer).slice(-64);
    const signedWith = async (seed?: string) => {
      const body = JSON.stringify(ping());
      const timestamp = String(nowSeconds());
      const signature = await signBody(body, timestamp, seed);
      return new Request(URL, {
        method: "POST",
        headers: { "x-signature-ed25519": signature, "x-signature-timestamp": timestamp },
        body,
      });
    };
    const { handlers } = recordingHandlers();
    const rotated = { DISCORD_PUBLIC_KEY: newPublicKey };

    // The test key first, so the old key is the one already known to the isolate.
    expect((await through(handlers, await signedWith())).status).toBe(200);
    expect((await through(handlers, await signedWith(newSeed), rotated)).status).toBe(200);
    expect((await through(handlers, await signedWith(), rotated)).status).toBe(401);
    expect((await through(handlers, await signedWith(newSeed))).status).toBe(401);
  });

  it("refuses a body changed after signing with 401", async () => {
    const timestamp = String(nowSeconds());
    const signature = await signBody(JSON.stringify(command("status")), timestamp);
    const response = await send(
      new Request(URL, {
        method: "POST",
        headers: { "x-signature-ed25519": signature, "x-signature-timestamp": timestamp },
        body: JSON.stringify(command("halt")),
      }),
    );
    expect(response.status).toBe(401);
  });

  it("refuses a signature that is not hex with 401", async () => {
    const response = await send(
      new Request(URL, {
        method: "POST",
        headers: { "x-signature-ed25519": "z".repeat(128), "x-signature-timestamp": String(nowSeconds()) },
        body: JSON.stringify(ping()),
      }),
    );
    expect(response.status).toBe(401);
  });
});

describe("timestamp window", () => {
  it("refuses a correctly signed request 6 minutes old with 401", async () => {
    const response = await send(await signedRequest(ping(), { timestamp: nowSeconds() - 6 * 60 }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: "stale timestamp" });
  });

  it("refuses a correctly signed request 2 minutes in the future with 401", async () => {
    const response = await send(await signedRequest(ping(), { timestamp: nowSeconds() + 2 * 60 }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: "timestamp in the future" });
  });

  it("accepts a request 4 minutes old (Discord may deliver late)", async () => {
    const response = await send(await signedRequest(ping(), { timestamp: nowSeconds() - 4 * 60 }));
    expect(response.status).toBe(200);
  });
});

describe("replay", () => {
  it("acts on an interaction id once; the replay is told it was already handled", async () => {
    const { handlers, calls } = recordingHandlers();
    const body = click("v1:approve:rec_replay:1");
    const first = await through(handlers, await signedRequest(body));
    const second = await through(handlers, await signedRequest(body));
    expect(await first.json<Answer>()).toMatchObject({ data: { content: "handled by approve" } });
    expect(second.status).toBe(200);
    expect(await second.json<Answer>()).toEqual({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: ALREADY_HANDLED, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    });
    expect(calls).toHaveLength(1);
  });

  it("refuses a replay through the deployed worker too", async () => {
    const body = command("help");
    await send(await signedRequest(body));
    const again = await send(await signedRequest(body));
    expect((await again.json<Answer>()).data?.content).toBe(ALREADY_HANDLED);
  });
});

describe("authorization", () => {
  const other = { userId: SANDBOX.otherUserId };

  const acting = [
    ["Approve", () => click("v1:approve:rec_unauth:2", other), "approve"],
    ["Reject", () => click("v1:reject:rec_unauth", other), "reject"],
    ["Close", () => click("v1:close:7", other), "close"],
    ["/halt", () => command("halt", [], other), "/halt"],
    ["/resume", () => command("resume", [], other), "/resume"],
    ["/scan", () => command("scan", [], other), "/scan"],
  ] as const;

  for (const [label, build, attempted] of acting) {
    it(`refuses ${label} from a user who is not allowed, changes nothing, and audits it`, async () => {
      const { handlers, calls } = recordingHandlers();
      const body = build();
      const response = await through(handlers, await signedRequest(body));
      expect(response.status).toBe(200);
      expect(await response.json<Answer>()).toEqual({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { content: NOT_ALLOWED, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
      });
      expect(calls).toEqual([]);
      const rows = await drizzle(env.DB).select().from(auditLog).where(eq(auditLog.interactionId, body.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor: SANDBOX.otherUserId,
        action: "unauthorized",
        outcome: "refused",
        detail: expect.objectContaining({ attempted }),
      });
    });
  }

  it("records the recommendation and size an unauthorized Approve aimed at", async () => {
    const body = click("v1:approve:rec_aimed:3", other);
    await send(await signedRequest(body));
    const [row] = await drizzle(env.DB).select().from(auditLog).where(eq(auditLog.interactionId, body.id));
    expect(row).toMatchObject({ recommendationId: "rec_aimed", detail: expect.objectContaining({ contracts: 3 }) });
  });

  it("refuses an unauthorized click through the deployed worker", async () => {
    const response = await send(await signedRequest(click("v1:close:9", other)));
    expect((await response.json<Answer>()).data).toMatchObject({ content: NOT_ALLOWED, flags: MessageFlags.Ephemeral });
  });

  it("lets anyone in the bot's channel use the read-only commands", async () => {
    const { handlers, calls } = recordingHandlers();
    for (const name of ["help", "status", "portfolio"]) {
      await through(handlers, await signedRequest(command(name, [], other)));
    }
    expect(calls.map((c) => c.handler)).toEqual(["help", "status", "portfolio"]);
  });

  it("refuses read-only commands from others outside the bot's channel", async () => {
    const { handlers, calls } = recordingHandlers();
    const response = await through(
      handlers,
      await signedRequest(command("portfolio", [], { ...other, channelId: "100000000000000099" })),
    );
    expect((await response.json<Answer>()).data?.content).toBe(NOT_ALLOWED);
    expect(calls).toEqual([]);
  });

  it("lets the allowed user act from any channel", async () => {
    const { handlers, calls } = recordingHandlers();
    await through(handlers, await signedRequest(click("v1:reject:rec_elsewhere", { channelId: "100000000000000099" })));
    expect(calls.map((c) => c.handler)).toEqual(["reject"]);
  });

  it("lets a member holding an allowed role act", async () => {
    const { handlers, calls } = recordingHandlers();
    const role = "100000000000000042";
    await through(handlers, await signedRequest(command("halt", [], { ...other, roles: [role] })), {
      ALLOWED_ROLE_IDS: role,
    });
    expect(calls.map((c) => [c.handler, c.context.roleIds])).toEqual([["halt", [role]]]);
  });

  it("does not let a member with some other role act", async () => {
    const { handlers, calls } = recordingHandlers();
    const response = await through(
      handlers,
      await signedRequest(command("halt", [], { ...other, roles: ["100000000000000043"] })),
      { ALLOWED_ROLE_IDS: "100000000000000042" },
    );
    expect((await response.json<Answer>()).data?.content).toBe(NOT_ALLOWED);
    expect(calls).toEqual([]);
  });
});

describe("seen interactions", () => {
  it("forgets ids older than a day, so the replay table stays small", async () => {
    const db = drizzle(env.DB);
    const old = "100000000000000777";
    await db.insert(seenInteractions).values({ id: old, seenAt: Date.now() - 25 * 60 * 60 * 1000 });
    await send(await signedRequest(command("help")));
    expect(await db.select().from(seenInteractions).where(eq(seenInteractions.id, old))).toEqual([]);
  });

  it("remembers a handled interaction's id with the time it was seen", async () => {
    const body = command("help");
    const before = Date.now();
    await send(await signedRequest(body));
    const rows = await drizzle(env.DB).select().from(seenInteractions).where(eq(seenInteractions.id, body.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.seenAt).toBeGreaterThanOrEqual(before - 1000);
  });
});
