// Hostile input at the one public door that acts, POST /discord/interactions: a deterministic
// corpus (test/support/fuzz-corpus.ts) of unsigned, wrongly signed and signed-but-malformed
// requests, and well-formed ones aimed at things that do not exist or are not the sender's.
// Never a 500, never a trade, and nothing at all written for what is refused at the door.
import { beforeEach, describe, expect, it } from "vitest";
import {
  type Expected,
  type HostileCase,
  refusedPolitely,
  rejectedAtTheDoor,
  type Targets,
} from "../../support/fuzz-corpus";
import { buttonsOf, OTHER_USER, recommendationMessages, resetWorld, scanAndPick } from "../../support/sandbox-driver";
import { deliver, snapshot, tradingState } from "./edge";

async function targets(): Promise<Targets> {
  const { message, recId } = await scanAndPick("SPY");
  const other = (await recommendationMessages()).find((m) => m.id !== message.id);
  if (!other) throw new Error("the scan posted only one recommendation");
  const sizes = buttonsOf(message)
    .map((b) => /^v1:approve:[^:]+:(\d+)$/.exec(b.custom_id)?.[1])
    .filter((n) => n !== undefined)
    .map(Number);
  return {
    recId,
    messageId: message.id,
    otherMessageId: other.id,
    maxContracts: Math.max(...sizes),
    outsiderId: OTHER_USER,
  };
}

/** Sends each case in turn and lines up "label → what came back" against "label → what must". */
async function run(cases: HostileCase[]): Promise<{ got: string[]; want: string[] }> {
  const got: string[] = [];
  for (const c of cases) {
    const { status, answer } = await deliver(await c.build());
    const refusal = status === 200 && answer?.type === 4 && answer.data?.flags === 64;
    got.push(`${c.label} → ${refusal ? "refusal" : status}`);
  }
  return { got, want: cases.map((c) => `${c.label} → ${c.expected satisfies Expected}`) };
}

beforeEach(resetWorld);

describe("hostile input", () => {
  it("answers every unsigned, wrongly signed or malformed request with 401, 400 or 413, and writes nothing", async () => {
    const corpus = rejectedAtTheDoor(await targets());
    const before = await snapshot();
    const { got, want } = await run(corpus);
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    expect(got).toEqual(want);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses well-formed clicks on what does not exist or is not theirs with a private answer, and trades nothing", async () => {
    const corpus = refusedPolitely(await targets());
    const before = await snapshot();
    const { got, want } = await run(corpus);
    expect(got).toEqual(want);
    expect(tradingState(await snapshot())).toEqual(tradingState(before));
  });
});
