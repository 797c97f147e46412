// Prices and thinking settings per model, as Anthropic's pricing and model pages state them
// (sources in src/analyst/models.ts). Costs are per million tokens.
import { describe, expect, it } from "vitest";
import {
  costUsd,
  DEFAULT_MODEL,
  isKnownModel,
  THINKING_ROOM_TOKENS,
  thinkingFields,
} from "../../../src/analyst/models";

const perMillion = (model: string, tokensIn = 1_000_000, tokensOut = 1_000_000) => costUsd(model, tokensIn, tokensOut);

describe("model prices", () => {
  it.each([
    ["claude-sonnet-5-5", 2 + 10],
    ["claude-sonnet-5", 2 + 10],
    ["claude-sonnet-4-6", 3 + 15],
    ["claude-opus-5-5", 4 + 20],
    ["claude-opus-5", 5 + 25],
    ["claude-opus-4-6", 5 + 25],
    ["claude-haiku-4-5", 1 + 5],
    ["claude-fable-5-1", 10 + 50],
    ["claude-fable-5-2", 8 + 40],
  ])("%s costs $%d for a million tokens in and a million out", (model, dollars) => {
    expect(perMillion(model)).toBeCloseTo(dollars, 10);
  });

  it("prices Haiku 5.5 by prompt length: $0.10/$0.50 up to 100k input tokens, $0.50/$2.50 above", () => {
    expect(costUsd("claude-haiku-5-5", 100_000, 1_000_000)).toBeCloseTo(0.01 + 0.5, 10);
    expect(costUsd("claude-haiku-5-5", 200_000, 1_000_000)).toBeCloseTo(0.1 + 2.5, 10);
  });

  it("prices a model it does not know as the dearest (Opus 4.1's $15/$75), so the budget errs short", () => {
    expect(isKnownModel("claude-sonnet-9")).toBe(false);
    expect(perMillion("claude-sonnet-9")).toBe(90);
  });
});

describe("thinking settings", () => {
  it("defaults to the current Sonnet, asked with between_tools so thinking leaves the answer its 700 tokens", () => {
    expect(DEFAULT_MODEL).toBe("claude-sonnet-5-5");
    expect(thinkingFields(DEFAULT_MODEL, 700)).toEqual({ max_tokens: 700, thinking: { type: "between_tools" } });
  });

  it("turns adaptive thinking off where the model allows it, and sends nothing where it is off by default", () => {
    expect(thinkingFields("claude-sonnet-4-6", 700)).toEqual({ max_tokens: 700, thinking: { type: "disabled" } });
    expect(thinkingFields("claude-haiku-4-5", 700)).toEqual({ max_tokens: 700 });
  });

  it("budgets a model whose thinking is always on: low effort and room on top of the answer", () => {
    expect(thinkingFields("claude-opus-5-5", 700)).toEqual({ max_tokens: 700 + THINKING_ROOM_TOKENS, effort: "low" });
    // An unknown model gets the room but no parameter it might refuse.
    expect(thinkingFields("claude-sonnet-9", 700)).toEqual({ max_tokens: 700 + THINKING_ROOM_TOKENS });
  });
});
