// Button custom ids: every valid action round-trips within Discord's 100 characters; anything
// else parses to a reason, never to an action.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCustomId, type ComponentAction, parseCustomId } from "../../../src/discord/custom-id";

const recId = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const action: fc.Arbitrary<ComponentAction> = fc.oneof(
  fc.record({ kind: fc.constant("approve" as const), recId, contracts: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ kind: fc.constant("reject" as const), recId }),
  fc.record({ kind: fc.constant("close" as const), positionId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) }),
  fc.record({
    kind: fc.constant("flatten" as const),
    positionId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  }),
  fc.record({ kind: fc.constant("refresh" as const), recId }),
);

describe("custom ids", () => {
  it("rebuilds every action to itself, within 100 characters", () => {
    fc.assert(
      fc.property(action, (a) => {
        const id = buildCustomId(a);
        expect(id.length).toBeLessThanOrEqual(100);
        expect(parseCustomId(id)).toEqual({ ok: true, value: a });
      }),
    );
  });

  it("parses any string either to an action that rebuilds to it, or to a reason", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          action.map(buildCustomId).map((s) => `${s}x`),
        ),
        (s) => {
          const parsed = parseCustomId(s);
          if (parsed.ok) expect(buildCustomId(parsed.value)).toBe(s);
          else expect(parsed.reason).toEqual(expect.any(String));
        },
      ),
    );
  });

  it("gives the exact ids the buttons carry", () => {
    expect(buildCustomId({ kind: "approve", recId: "rec_1", contracts: 2 })).toBe("v1:approve:rec_1:2");
    expect(buildCustomId({ kind: "reject", recId: "rec_1" })).toBe("v1:reject:rec_1");
    expect(buildCustomId({ kind: "close", positionId: 42 })).toBe("v1:close:42");
    expect(buildCustomId({ kind: "flatten", positionId: 42 })).toBe("v1:flatten:42");
    expect(buildCustomId({ kind: "refresh", recId: "rec_1" })).toBe("v1:refresh:rec_1");
  });

  it("refuses to build an id for an invalid action: that is a bug in the caller", () => {
    expect(() => buildCustomId({ kind: "approve", recId: "has space", contracts: 1 })).toThrow();
    expect(() => buildCustomId({ kind: "approve", recId: "rec_1", contracts: 0 })).toThrow();
    expect(() => buildCustomId({ kind: "close", positionId: 1.5 })).toThrow();
    expect(() => buildCustomId({ kind: "reject", recId: "r".repeat(41) })).toThrow();
  });

  it("refuses ids longer than 100 characters before looking at them", () => {
    expect(parseCustomId(`v1:reject:${"r".repeat(100)}`)).toEqual({
      ok: false,
      reason: "custom id longer than 100 characters",
    });
  });
});
