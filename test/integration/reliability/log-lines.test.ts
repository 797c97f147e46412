// What the Worker's logs hold for whoever reads them later, and nothing twice. An interaction: one
// line naming it, or, for an Approve click, the audit row its claim batch writes (interaction id,
// clicker, outcome) and no line. A refusal without an audit row is logged. A job's firing: its
// slot, and the run's summary once.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NOT_ITS_MESSAGE } from "../../../src/actions/approve";
import { command } from "../../support/discord-interactions";
import { ALLOWED_USER, call, fire, resetWorld, SCAN_SLOT, scanAndPick } from "../../support/sandbox-driver";
import { signedRequest } from "../../support/sign";
import { deliver, signedClick } from "./edge";

interface Line {
  level: string;
  message: string;
  interactionId?: string;
  reason?: string;
  slot?: string;
  summary?: unknown;
}

let lines: Line[] = [];

beforeEach(async () => {
  await resetWorld();
  lines = [];
  for (const method of ["log", "warn", "error"] as const)
    vi.spyOn(console, method).mockImplementation((text: unknown) => {
      if (typeof text === "string" && text.startsWith("{")) lines.push(JSON.parse(text) as Line);
    });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const about = (interactionId: string) => lines.filter((l) => l.interactionId === interactionId);

async function approveAudits(): Promise<{ interaction_id: string; actor: string; outcome: string }[]> {
  const rows = await env.DB.prepare(
    "SELECT interaction_id, actor, outcome FROM audit_log WHERE action = 'approve' ORDER BY id",
  ).all<{ interaction_id: string; actor: string; outcome: string }>();
  return rows.results;
}

describe("the record an interaction leaves", () => {
  it("logs one line for a command, naming its interaction", async () => {
    const body = command("help");
    const request = await signedRequest(body);

    const response = await call("/discord/interactions", {
      method: "POST",
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    });

    expect(response.status).toBe(200);
    expect(about(body.id)).toEqual([expect.objectContaining({ level: "info", message: "interaction" })]);
  });

  it("records an Approve click, first or repeated, in its audit row and not again in the log", async () => {
    const { message, approve } = await scanAndPick("SPY");
    const first = await signedClick(message, approve.custom_id, ALLOWED_USER);
    const again = await signedClick(message, approve.custom_id, ALLOWED_USER);
    const firstId = (JSON.parse(first.body) as { id: string }).id;
    const againId = (JSON.parse(again.body) as { id: string }).id;

    expect((await deliver(first)).answer).toMatchObject({ type: 7 });
    expect((await deliver(again)).answer?.data?.content).toMatch(/^Already approved/);

    expect(await approveAudits()).toEqual([
      { interaction_id: firstId, actor: ALLOWED_USER, outcome: "claimed" },
      { interaction_id: againId, actor: ALLOWED_USER, outcome: "not_claimed" },
    ]);
    expect(about(firstId)).toEqual([]);
    expect(about(againId)).toEqual([]);
  });

  it("logs an Approve click refused before its audit row (another message's button), and audits nothing", async () => {
    const { message, approve } = await scanAndPick("SPY");
    const elsewhere = await signedClick({ id: `${message.id}9` }, approve.custom_id, ALLOWED_USER);
    const id = (JSON.parse(elsewhere.body) as { id: string }).id;

    expect((await deliver(elsewhere)).answer?.data?.content).toBe(NOT_ITS_MESSAGE);

    expect(await approveAudits()).toEqual([]);
    expect(about(id)).toEqual([
      expect.objectContaining({ level: "warn", message: "approve refused", reason: NOT_ITS_MESSAGE }),
    ]);
  });
});

describe("the record a job's firing leaves", () => {
  it("logs the scan's slot and its summary once", async () => {
    await fire("scan", SCAN_SLOT);

    const scheduled = lines.filter((l) => l.message === "scheduled");
    expect(scheduled).toEqual([expect.objectContaining({ slot: expect.stringMatching(/^scan:/), outcome: "ran" })]);
    const summaries = lines.filter((l) => l.summary !== undefined);
    expect(summaries).toEqual([expect.objectContaining({ message: "job ran", summary: expect.any(Object) })]);
  });
});
