// A deterministic corpus of hostile requests to POST /discord/interactions: what a scanner, a
// replaying proxy or a buggy client might send. Hand-written cases name the attack; the generated
// ones (fast-check, fixed seed, so every run sends the same bytes) break one field of an otherwise
// valid click at a time. Each case says what the bot must answer:
//   401  not signed by Discord (or not now)      400  signed but malformed
//   413  signed but absurdly large                refusal  well formed, aimed at something that
//                                                 does not exist or is not the clicker's: 200 and
//                                                 an ephemeral "nothing was done"
import fc from "fast-check";
import { click, command, ping, snowflake } from "./discord-interactions";
import { signBody } from "./sign";

export type Expected = 401 | 400 | 413 | "refusal";

export interface RawRequest {
  body: string;
  headers: Record<string, string>;
}

export interface HostileCase {
  label: string;
  expected: Expected;
  build: () => Promise<RawRequest>;
}

/** Real things in the world the corpus aims at (from a scan the test ran). */
export interface Targets {
  /** A posted recommendation and its message. */
  recId: string;
  messageId: string;
  /** Another posted recommendation's message. */
  otherMessageId: string;
  /** Its largest offered size. */
  maxContracts: number;
  /** A user who is not allowed to act. */
  outsiderId: string;
}

const FUZZ_SEED = 20_270_115;
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function signed(body: unknown, timestamp = nowSeconds()): Promise<RawRequest> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const ts = String(timestamp);
  return { body: text, headers: headers(await signBody(text, ts), ts) };
}

function headers(signature: string | null, timestamp: string | null): Record<string, string> {
  return {
    "content-type": "application/json",
    ...(signature === null ? {} : { "x-signature-ed25519": signature }),
    ...(timestamp === null ? {} : { "x-signature-timestamp": timestamp }),
  };
}

// A key pair that is not the application's: a valid Ed25519 signature Discord never made.
const FOREIGN_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"; // RFC 8032 test 1
function signForeign(text: string, ts: string): Promise<string> {
  return signBody(text, ts, FOREIGN_SEED);
}

/** A click on `messageId` carrying `customId`, by `userId` (allowed by default). */
function clickOn(customId: string, messageId: string, userId?: string) {
  const body = click(customId, userId ? { userId } : {});
  return { ...body, message: { ...body.message, id: messageId } };
}

const NOBODY = "v1:approve:no-such-rec:1";

function unsigned(t: Targets): HostileCase[] {
  const target = () => JSON.stringify(clickOn(`v1:approve:${t.recId}:1`, t.messageId));
  const raw = (label: string, make: (text: string, ts: string) => Promise<Record<string, string>>): HostileCase => ({
    label,
    expected: 401,
    build: async () => {
      const text = target();
      return { body: text, headers: await make(text, String(nowSeconds())) };
    },
  });
  return [
    raw("no signature headers", async () => headers(null, null)),
    raw("a signature without a timestamp", async (text, ts) => headers(await signBody(text, ts), null)),
    raw("a timestamp without a signature", async (_, ts) => headers(null, ts)),
    raw("an empty signature", async (_, ts) => headers("", ts)),
    raw("a signature one hex digit short", async (text, ts) => headers((await signBody(text, ts)).slice(1), ts)),
    raw("a signature that is not hex", async (_, ts) => headers("g".repeat(128), ts)),
    raw("a signature of zeros", async (_, ts) => headers("0".repeat(128), ts)),
    raw("a signature by a key that is not the application's", async (text, ts) =>
      headers(await signForeign(text, ts), ts),
    ),
    raw("a signature with one bit flipped", async (text, ts) => {
      const good = await signBody(text, ts);
      return headers((good[0] === "0" ? "1" : "0") + good.slice(1), ts);
    }),
    raw("a signature of another body", async (_, ts) => headers(await signBody(JSON.stringify(ping()), ts), ts)),
    raw("a signature made for another timestamp", async (text, ts) =>
      headers(await signBody(text, String(Number(ts) - 1)), ts),
    ),
    raw("a timestamp that is not a number", async (text) => headers(await signBody(text, "soon"), "soon")),
    raw("a fractional timestamp", async (text, ts) => headers(await signBody(text, `${ts}.5`), `${ts}.5`)),
    raw("a negative timestamp", async (text) => headers(await signBody(text, "-1"), "-1")),
    raw("a correctly signed timestamp of 1970", async (text) => headers(await signBody(text, "0"), "0")),
    raw("a correctly signed timestamp a day old", async (text, ts) => {
      const old = String(Number(ts) - 86_400);
      return headers(await signBody(text, old), old);
    }),
    {
      label: "a body with a byte appended after signing",
      expected: 401,
      build: async () => {
        const request = await signed(target());
        return { ...request, body: `${request.body} ` };
      },
    },
  ];
}

function malformed(t: Targets): HostileCase[] {
  const base = () => clickOn(NOBODY, t.messageId);
  const bad = (label: string, body: () => unknown, expected: Expected = 400): HostileCase => ({
    label,
    expected,
    build: () => signed(body()),
  });
  const deep = (depth: number) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`) as unknown;
  const MB = "x".repeat(1024 * 1024);
  const HUNDRED_KB = "y".repeat(100 * 1024);
  return [
    bad("a body that is not JSON", () => "{approve: yes"),
    bad("an empty body", () => ""),
    bad("JSON null", () => "null"),
    bad("a JSON number", () => "42"),
    bad("a JSON string", () => '"approve"'),
    bad("a JSON array of clicks", () => [base(), base()]),
    bad("an object with nothing in it", () => ({})),
    bad("a click without an id", () => ({ ...base(), id: undefined })),
    bad("a click without a type", () => ({ ...base(), type: undefined })),
    bad("a click without a token", () => ({ ...base(), token: undefined })),
    bad("a click of version 2", () => ({ ...base(), version: 2 })),
    bad("an id that is a number", () => ({ ...base(), id: 1234567890 })),
    bad("an id that is not a snowflake", () => ({ ...base(), id: "1 OR 1=1" })),
    bad("a type that is a string", () => ({ ...base(), type: "3" })),
    bad("an interaction type that does not exist (99)", () => ({ ...base(), type: 99 })),
    bad("interaction type 0", () => ({ ...base(), type: 0 })),
    bad("a negative interaction type", () => ({ ...base(), type: -3 })),
    bad("a fractional interaction type", () => ({ ...base(), type: 3.5 })),
    bad("an autocomplete (type 4)", () => ({ ...command("halt"), type: 4 })),
    bad("a modal submit (type 5)", () => ({ ...base(), type: 5 })),
    bad("a select menu instead of a button", () => ({ ...base(), data: { custom_id: NOBODY, component_type: 3 } })),
    bad("a click without data", () => ({ ...base(), data: undefined })),
    bad("a click whose data is null", () => ({ ...base(), data: null })),
    bad("a custom id that is a number", () => ({ ...base(), data: { custom_id: 7, component_type: 2 } })),
    bad("an empty custom id", () => ({ ...base(), data: { custom_id: "", component_type: 2 } })),
    bad("a custom id of 101 characters", () => clickOn(`v1:reject:${"r".repeat(91)}`, t.messageId)),
    bad("a click without its message", () => ({ ...base(), message: undefined })),
    bad("a message id that is not a snowflake", () => clickOn(NOBODY, "msg-1")),
    bad("a user id that is not a snowflake", () => {
      const b = base();
      return { ...b, member: { ...b.member, user: { ...b.member.user, id: "admin" } } };
    }),
    bad("roles that are not a list", () => {
      const b = base();
      return { ...b, member: { ...b.member, roles: "everyone" } };
    }),
    bad("501 roles", () => {
      const b = base();
      return { ...b, member: { ...b.member, roles: Array.from({ length: 501 }, () => snowflake()) } };
    }),
    bad("no user at all", () => ({ ...base(), member: undefined, user: undefined })),
    bad("a 100 KB user name", () => {
      const b = base();
      return { ...b, member: { ...b.member, user: { ...b.member.user, username: HUNDRED_KB } } };
    }),
    bad("a 100 KB custom id", () => clickOn(`v1:reject:${HUNDRED_KB}`, t.messageId)),
    bad("a 100 KB token", () => ({ ...base(), token: HUNDRED_KB })),
    bad("a 1 MB custom id", () => clickOn(`v1:reject:${MB}`, t.messageId), 413),
    bad("a 1 MB junk field next to a valid click", () => ({ ...base(), junk: MB }), 413),
    bad("data nested 5000 arrays deep", () => ({ ...base(), data: deep(5000) })),
    bad("a member nested 5000 arrays deep", () => ({ ...base(), member: deep(5000) })),
    bad("a message nested 5000 arrays deep", () => ({ ...base(), message: deep(5000) })),
    bad("an unknown custom id", () => clickOn("buy-everything", t.messageId)),
    bad("a custom id of another version", () => clickOn(`v2:approve:${t.recId}:1`, t.messageId)),
    bad("an unknown button action", () => clickOn(`v1:sell:${t.recId}`, t.messageId)),
    bad("an approve without a size", () => clickOn(`v1:approve:${t.recId}`, t.messageId)),
    bad("an approve of 0 contracts", () => clickOn(`v1:approve:${t.recId}:0`, t.messageId)),
    bad("an approve of -1 contracts", () => clickOn(`v1:approve:${t.recId}:-1`, t.messageId)),
    bad("an approve of 1.5 contracts", () => clickOn(`v1:approve:${t.recId}:1.5`, t.messageId)),
    bad("an approve of 1e3 contracts", () => clickOn(`v1:approve:${t.recId}:1e3`, t.messageId)),
    bad("an approve of 0x10 contracts", () => clickOn(`v1:approve:${t.recId}:0x10`, t.messageId)),
    bad("an approve of ' 1' contracts", () => clickOn(`v1:approve:${t.recId}: 1`, t.messageId)),
    bad("an approve of 'two' contracts", () => clickOn(`v1:approve:${t.recId}:two`, t.messageId)),
    bad("an approve of 1001 contracts", () => clickOn(`v1:approve:${t.recId}:1001`, t.messageId)),
    bad("an approve of 10^20 contracts", () => clickOn(`v1:approve:${t.recId}:${"9".repeat(20)}`, t.messageId)),
    bad("a recommendation id with SQL in it", () => clickOn("v1:reject:x';DELETE FROM trades;--", t.messageId)),
    bad("a recommendation id that is a path", () => clickOn("v1:reject:../../etc/passwd", t.messageId)),
    bad("a recommendation id with unicode", () => clickOn("v1:reject:ŚPY-1", t.messageId)),
    bad("an empty recommendation id", () => clickOn("v1:reject:", t.messageId)),
    bad("a close of position 0", () => clickOn("v1:close:0", t.messageId)),
    bad("a close of position -1", () => clickOn("v1:close:-1", t.messageId)),
    bad("a close of position 'abc'", () => clickOn("v1:close:abc", t.messageId)),
    bad("a close of a position beyond 2^53", () => clickOn("v1:close:9999999999999999", t.messageId)),
    bad("an unknown command", () => command("liquidate")),
    bad("a command name in capitals", () => command("HALT")),
    bad("a /halt reason that is a number", () => command("halt", [{ name: "reason", type: 3, value: 3 }])),
    bad("a /halt reason of 201 characters", () =>
      command("halt", [{ name: "reason", type: 3, value: "r".repeat(201) }]),
    ),
    bad("an option /status does not have", () => command("status", [{ name: "all", type: 5, value: true }])),
  ];
}

/** Well-formed clicks and commands that must change nothing: they name nothing real, or not the clicker's. */
function refused(t: Targets): HostileCase[] {
  const ok = (label: string, body: () => unknown): HostileCase => ({
    label,
    expected: "refusal",
    build: () => signed(body()),
  });
  return [
    ok("an approve of a recommendation that does not exist", () => clickOn(NOBODY, t.messageId)),
    ok("a reject of a recommendation that does not exist", () => clickOn("v1:reject:no-such-rec", t.messageId)),
    ok("a refresh of a recommendation that does not exist", () => clickOn("v1:refresh:no-such-rec", t.messageId)),
    ok("a close of a position that does not exist", () => clickOn("v1:close:424242", t.messageId)),
    ok("a close of position 2^53 - 1", () => clickOn(`v1:close:${Number.MAX_SAFE_INTEGER}`, t.messageId)),
    ok("an approve of more contracts than offered", () =>
      clickOn(`v1:approve:${t.recId}:${t.maxContracts + 1}`, t.messageId),
    ),
    ok("an approve of 1000 contracts", () => clickOn(`v1:approve:${t.recId}:1000`, t.messageId)),
    ok("an approve of this recommendation clicked on another's message", () =>
      clickOn(`v1:approve:${t.recId}:1`, t.otherMessageId),
    ),
    ok("a reject of this recommendation clicked on another's message", () =>
      clickOn(`v1:reject:${t.recId}`, t.otherMessageId),
    ),
    ok("a refresh of this recommendation clicked on another's message", () =>
      clickOn(`v1:refresh:${t.recId}`, t.otherMessageId),
    ),
    ok("an approve of this recommendation clicked on a message that does not exist", () =>
      clickOn(`v1:approve:${t.recId}:1`, snowflake()),
    ),
    ok("an approve with 5000-deep junk in a field the bot does not read", () => ({
      ...clickOn(NOBODY, t.messageId),
      junk: JSON.parse(`${"[".repeat(5000)}${"]".repeat(5000)}`) as unknown,
    })),
    ok("an approve by someone who is not allowed", () => clickOn(`v1:approve:${t.recId}:1`, t.messageId, t.outsiderId)),
    ok("a reject by someone who is not allowed", () => clickOn(`v1:reject:${t.recId}`, t.messageId, t.outsiderId)),
    ok("/halt by someone who is not allowed", () => command("halt", [], { userId: t.outsiderId })),
    ok("/resume by someone who is not allowed", () => command("resume", [], { userId: t.outsiderId })),
    ok("/scan by someone who is not allowed", () => command("scan", [], { userId: t.outsiderId })),
  ];
}

/** One field of a click at a nonexistent recommendation replaced by a generated wrong value. */
function generated(t: Targets): HostileCase[] {
  const notA = <T>(value: T) => fc.jsonValue().filter((v) => JSON.stringify(v) !== JSON.stringify(value));
  const notSnowflake = fc.jsonValue().filter((v) => !(typeof v === "string" && /^\d{1,22}$/.test(v)));
  const field = fc.oneof(
    notSnowflake.map((v) => ["id", v] as const),
    // Not 3 (a click) and not 1 (a PING, which the bot rightly answers).
    notA(3)
      .filter((v) => v !== 1)
      .map((v) => ["type", v] as const),
    notA(1).map((v) => ["version", v] as const),
    fc.jsonValue().map((v) => ["data", v] as const),
    fc.jsonValue().map((v) => ["message", v] as const),
    fc.string({ maxLength: 120 }).map((v) => ["custom_id", v] as const),
    notA(2).map((v) => ["component_type", v] as const),
  );
  const samples = fc.sample(field, { seed: FUZZ_SEED, numRuns: 40 });
  return samples.map(([key, value], i) => ({
    label: `generated #${i}: ${key} = ${JSON.stringify(value)?.slice(0, 40)}`,
    expected: 400,
    build: () => {
      const body: Record<string, unknown> = clickOn(NOBODY, t.messageId);
      if (key === "custom_id" || key === "component_type") {
        body.data = { custom_id: NOBODY, component_type: 2, [key]: value };
      } else body[key] = value;
      return signed(body);
    },
  }));
}

/** Everything refused at the door: 401, 400 or 413. */
export function rejectedAtTheDoor(t: Targets): HostileCase[] {
  return [...unsigned(t), ...malformed(t), ...generated(t)];
}

/** Well formed, signed, and still acting on nothing. */
export function refusedPolitely(t: Targets): HostileCase[] {
  return refused(t);
}
