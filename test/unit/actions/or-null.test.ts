// The one best-effort read: a value, or null for a failure or (given withinMs) a read still out.
import { describe, expect, it } from "vitest";
import { orNull } from "../../../src/actions/or-null";

const never = new Promise<number>(() => {});

describe("orNull", () => {
  it("gives the read's value", async () => {
    expect(await orNull(Promise.resolve(7), "answer")).toBe(7);
    expect(await orNull(Promise.resolve(7), "answer", { withinMs: 60_000 })).toBe(7);
  });

  it("turns a failed read into null", async () => {
    expect(await orNull(Promise.reject(new Error("down")), "clock")).toBeNull();
    expect(await orNull(Promise.reject(new Error("down")), "clock", { withinMs: 60_000 })).toBeNull();
  });

  it("answers null for a read still out after withinMs", async () => {
    expect(await orNull(never, "account", { withinMs: 1 })).toBeNull();
  });
});
