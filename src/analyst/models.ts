// What the Claude adapter has to know about each model: its list price, and how to keep its
// thinking from eating the few hundred tokens the answer needs. Read on 2026-11-30 from
// Anthropic's pages (check them again when a model is added):
//   models overview   https://platform.claude.com/docs/en/about-claude/models/overview
//                     (each legacy model's page names the current one: "Claude Sonnet 4.6 is a
//                     legacy model; Claude Sonnet 5.5 is the current Sonnet model")
//   pricing           https://platform.claude.com/docs/en/about-claude/pricing
//   thinking          https://platform.claude.com/docs/en/build-with-claude/thinking-troubleshooting
//                     https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5
// Thinking tokens count toward max_tokens (the SDK's ThinkingConfigParam doc says so), so a
// model that thinks by default could spend a 700-token cap before writing the JSON.

/** The current Sonnet: fast, $2 / $10 per million tokens, the desk's default. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

/** US dollars per million tokens. */
export interface Price {
  input: number;
  output: number;
}

/**
 * How a request keeps thinking out of the answer's way:
 * - "default-off": extended-thinking models think only when asked; send nothing.
 * - "disable": adaptive thinking that `thinking: {type: "disabled"}` turns off.
 * - "between-tools": Claude Sonnet 5.5 refuses "disabled" with a 400; `between_tools` is its
 *   lowest setting and does no extended thinking (there are no tools here, so none at all).
 * - "always-on": thinking cannot be turned off; ask for low effort and leave room for it.
 */
export type ThinkingControl = "default-off" | "disable" | "between-tools" | "always-on";

interface ModelFacts {
  price: Price;
  /** Haiku 5.5 bills a long prompt (over `above` input tokens) at a higher rate, output included. */
  longPrompt?: { above: number; price: Price };
  thinking: ThinkingControl;
}

const fable: ModelFacts = { price: { input: 10, output: 50 }, thinking: "always-on" };
const opus45to5: ModelFacts = { price: { input: 5, output: 25 }, thinking: "disable" };

// Exact API ids, as the models overview and the SDK's `Model` type list them. Mythos shares
// Fable's specs and prices (models overview).
const MODELS: Record<string, ModelFacts> = {
  "claude-fable-5-2": { price: { input: 8, output: 40 }, thinking: "always-on" },
  "claude-mythos-5-2": { price: { input: 8, output: 40 }, thinking: "always-on" },
  "claude-fable-5-1": fable,
  "claude-mythos-5-1": fable,
  "claude-fable-5": fable,
  "claude-mythos-5": fable,
  "claude-opus-5-5": { price: { input: 4, output: 20 }, thinking: "always-on" },
  "claude-opus-5": opus45to5,
  "claude-opus-4-8": opus45to5,
  "claude-opus-4-7": opus45to5,
  "claude-opus-4-6": opus45to5,
  "claude-opus-4-5": { ...opus45to5, thinking: "default-off" },
  "claude-opus-4-5-20251101": { ...opus45to5, thinking: "default-off" },
  "claude-sonnet-5-5": { price: { input: 2, output: 10 }, thinking: "between-tools" },
  "claude-sonnet-5": { price: { input: 2, output: 10 }, thinking: "disable" },
  "claude-sonnet-4-6": { price: { input: 3, output: 15 }, thinking: "disable" },
  "claude-sonnet-4-5": { price: { input: 3, output: 15 }, thinking: "default-off" },
  "claude-sonnet-4-5-20250929": { price: { input: 3, output: 15 }, thinking: "default-off" },
  "claude-haiku-5-5": {
    price: { input: 0.1, output: 0.5 },
    longPrompt: { above: 100_000, price: { input: 0.5, output: 2.5 } },
    thinking: "disable",
  },
  "claude-haiku-4-5": { price: { input: 1, output: 5 }, thinking: "default-off" },
  "claude-haiku-4-5-20251001": { price: { input: 1, output: 5 }, thinking: "default-off" },
};

/**
 * A model this table does not know is priced as the dearest on the pricing page (Opus 4.1,
 * $15 / $75), so a misspelt or brand-new name can only make the daily budget run out sooner.
 * It gets no thinking parameter (it might reject any) but the room a thinking model needs.
 */
const UNKNOWN: ModelFacts = { price: { input: 15, output: 75 }, thinking: "always-on" };

/** The model ids this table prices (every current and legacy model the API still serves). */
export const KNOWN_MODELS: readonly string[] = Object.keys(MODELS);

export function isKnownModel(model: string): boolean {
  return Object.hasOwn(MODELS, model);
}

function factsOf(model: string): ModelFacts {
  return Object.hasOwn(MODELS, model) ? (MODELS[model] as ModelFacts) : UNKNOWN;
}

export function costUsd(model: string, tokensIn: number, tokensOut: number): number {
  const facts = factsOf(model);
  const price = facts.longPrompt && tokensIn > facts.longPrompt.above ? facts.longPrompt.price : facts.price;
  return (tokensIn * price.input + tokensOut * price.output) / 1_000_000;
}

/** Room left for a thinking model at low effort, on top of what the answer needs. */
export const THINKING_ROOM_TOKENS = 3_000;

/** The request fields that keep thinking from crowding out an answer of `answerTokens`. */
export interface ThinkingFields {
  max_tokens: number;
  thinking?: { type: "disabled" } | { type: "between_tools" };
  effort?: "low";
}

export function thinkingFields(model: string, answerTokens: number): ThinkingFields {
  const known = isKnownModel(model);
  switch (factsOf(model).thinking) {
    case "default-off":
      return { max_tokens: answerTokens };
    case "disable":
      return { max_tokens: answerTokens, thinking: { type: "disabled" } };
    case "between-tools":
      return { max_tokens: answerTokens, thinking: { type: "between_tools" } };
    case "always-on":
      // An unknown model may predate the effort parameter (Haiku 4.5 refuses it): room only.
      return known
        ? { max_tokens: answerTokens + THINKING_ROOM_TOKENS, effort: "low" }
        : { max_tokens: answerTokens + THINKING_ROOM_TOKENS };
  }
}
