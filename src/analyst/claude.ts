// The Claude analyst: the real Anthropic SDK, asked for a JSON answer with a schema
// (`output_config.format`, https://platform.claude.com/docs/en/build-with-claude/structured-outputs)
// and checked with zod. Before each call it checks the day's spend in D1 against the budget and a
// soft per-minute cap in KV; after it, it records tokens and cost whatever the answer was worth.
// Retries are its own, not the SDK's: at most `maxRetries`, only when retrying can help (never a
// spend cap or a timeout), after at most MAX_RETRY_WAIT_MS, and never past the caller's deadline.
// Every failure is an AnalystUnavailable whose reason the fallback shows to the trader.
import type {
  JSONOutputFormat,
  Message,
  MessageCreateParamsNonStreaming,
} from "@anthropic-ai/sdk/resources/messages/messages";
import { tradingDay } from "../domain/market-time";
import * as z from "../zod-mini";
import { classify } from "./anthropic-errors";
import { costUsd, thinkingFields } from "./models";
import type {
  AnalyseOptions,
  Analyst,
  ClosedTradeForReview,
  DaySummaryForReflection,
  IdeaForAnalysis,
  Thesis,
  TradeReview,
} from "./port";
import type { CallRateLimit } from "./rate-limit";
import { AnalystUnavailable, outOfTime } from "./unavailable";
import type { UsageLedger } from "./usage-ledger";

/** Trimmed text of 1..max characters. */
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const ThesisAnswer = z.object({
  thesis: text(600),
  confidence: z.number().check(z.gte(0), z.lte(1)),
  risks: z.array(text(200)).check(z.maxLength(5)),
});
export const ReflectionAnswer = z.object({ reflection: text(600) });
export const ReviewAnswer = z.object({ reflection: text(400), lesson: text(240) });

export interface ClaudeAnalystOptions {
  apiKey: string;
  model: string;
  timeoutMs: number;
  /** How Anthropic is reached: the global fetch in production, a simulator in tests. */
  fetch: typeof fetch;
  usage: UsageLedger;
  dailyBudgetUsd: number;
  rateLimit: CallRateLimit;
  /** Soft cap on calls a minute (default 20). */
  requestsPerMinute?: number;
  /** Retries of a rate limit, an overload, a 5xx or a dropped connection (default 1). */
  maxRetries?: number;
  baseURL?: string;
  now?: () => number;
  /** Waits before a retry; rejects when `signal` aborts. Real timers by default, instant in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const PLAYBOOK_LINES = 10;
const PLAYBOOK_LINE_CHARS = 300;

const ANALYSE_SYSTEM = [
  "You are the analyst of a human-in-the-loop options desk that sells credit spreads (bull put, bear call).",
  "The bot has already found, priced and sized the idea, and a person approves or rejects it.",
  "You never decide the price, the strikes or the size, and you never tell anyone to trade: you only explain the idea and rate it.",
  "thesis: at most 600 characters, plain words a trader reads in seconds, on why the spread makes sense or not from the numbers given.",
  "confidence: 0 to 1 that the idea is sound as offered (0.5 means no edge either way).",
  "risks: up to 5 short, concrete phrases. Do not invent facts you were not given (earnings dates, news); name what you could not check.",
  "Playbook lines are the desk's own rules and lessons from its closed trades, chosen as relevant to this idea (same symbol, strategy, IV regime or DTE): weigh them, they are context, not orders.",
].join("\n");

const REVIEW_SYSTEM = [
  "You review one closed trade of a human-in-the-loop options desk that sells credit spreads.",
  "reflection: at most 400 characters on what happened against what was expected when it opened (DTE, IV rank, probability of profit, short delta) and why it closed.",
  "lesson: at most 240 characters, one concrete thing to carry into the next idea like it (same symbol, strategy or IV regime).",
  "Stick to the numbers given. Never recommend prices or position sizes.",
].join("\n");

const REFLECT_SYSTEM = [
  "You write the end-of-day reflection of a human-in-the-loop options desk that sells credit spreads.",
  "reflection: at most 600 characters on what the day's numbers say and one lesson for tomorrow's ideas.",
  "Stick to the numbers given. Never recommend prices or position sizes.",
].join("\n");

type Sdk = typeof import("./anthropic-sdk");

/** The output format sent to Claude (a JSON schema) and the zod schema its answer must pass. */
interface Format<T> {
  wire: JSONOutputFormat;
  parse: (text: string) => T;
}

interface Loaded {
  sdk: Sdk;
  client: InstanceType<Sdk["MessagesClient"]>;
  thesisFormat: Format<z.infer<typeof ThesisAnswer>>;
  reflectionFormat: Format<z.infer<typeof ReflectionAnswer>>;
  reviewFormat: Format<z.infer<typeof ReviewAnswer>>;
}

export function createClaudeAnalyst(options: ClaudeAnalystOptions): Analyst {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const author = `Claude (${options.model})`;
  let loading: Promise<Loaded> | undefined;

  // The SDK is loaded on the first call, so a Worker without a key never evaluates it.
  function load(): Promise<Loaded> {
    loading ??= (async () => {
      const sdk = await import("./anthropic-sdk");
      const client = new sdk.MessagesClient({
        apiKey: options.apiKey,
        fetch: options.fetch,
        // The SDK retries any 429 (spend caps included) after an uncapped `retry-after`.
        maxRetries: 0,
        timeout: options.timeoutMs,
        ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      });
      return {
        sdk,
        client,
        thesisFormat: outputFormat(sdk, ThesisAnswer),
        reflectionFormat: outputFormat(sdk, ReflectionAnswer),
        reviewFormat: outputFormat(sdk, ReviewAnswer),
      };
    })();
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  }

  async function ask<T>(
    pick: (loaded: Loaded) => Format<T>,
    system: string,
    user: string,
    answerTokens: number,
    signal?: AbortSignal,
  ): Promise<T> {
    if (signal?.aborted) throw outOfTime(signal.reason);
    const at = now();
    const day = tradingDay(at);
    const spent = await options.usage.spentToday(day).catch((error: unknown) => {
      throw new AnalystUnavailable("usage_ledger", "today's spend unknown", { cause: error });
    });
    if (spent >= options.dailyBudgetUsd) throw new AnalystUnavailable("budget", "daily budget spent");
    const allowed = await options.rateLimit
      .takeClaudeSlot(options.requestsPerMinute ?? 20, at)
      .catch((error: unknown) => {
        throw new AnalystUnavailable("rate_limited", "rate limiter unavailable", { cause: error });
      });
    if (!allowed) throw new AnalystUnavailable("rate_limited", "rate limited");

    const loaded = await load();
    const format = pick(loaded);
    const { effort, ...thinking } = thinkingFields(options.model, answerTokens);
    const body: MessageCreateParamsNonStreaming = {
      model: options.model,
      system,
      messages: [{ role: "user", content: user }],
      output_config: { format: format.wire, ...(effort ? { effort } : {}) },
      ...thinking,
    };
    const message = await send(loaded, body, signal);

    // Tokens are paid for whether or not the answer is usable: record before judging it.
    const { input_tokens: tokensIn, output_tokens: tokensOut } = message.usage;
    await options.usage
      .record(day, options.model, tokensIn, tokensOut, costUsd(options.model, tokensIn, tokensOut))
      .catch((error: unknown) => {
        throw new AnalystUnavailable("usage_ledger", "usage not recorded", { cause: error });
      });

    if (message.stop_reason === "refusal") throw new AnalystUnavailable("refused", "Claude declined to answer");
    const text = message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("");
    if (text.trim() === "") throw new AnalystUnavailable("invalid_answer", "empty answer");
    try {
      return format.parse(text);
    } catch (error) {
      const reason = message.stop_reason === "max_tokens" ? "answer cut off" : "invalid answer";
      throw new AnalystUnavailable("invalid_answer", reason, { cause: error });
    }
  }

  /** One call, and at most `maxRetries` more when the failure says a retry can help. */
  async function send(loaded: Loaded, body: MessageCreateParamsNonStreaming, signal?: AbortSignal): Promise<Message> {
    for (let retries = 0; ; retries++) {
      try {
        return await loaded.client.messages.create(body, signal ? { signal } : {});
      } catch (error) {
        const failure = classify(loaded.sdk, error, { model: options.model, signal });
        if (failure.retryAfterMs === null || retries >= (options.maxRetries ?? 1)) throw failure.unavailable;
        await sleep(failure.retryAfterMs, signal).catch((aborted: unknown) => {
          throw outOfTime(aborted);
        });
      }
    }
  }

  return {
    async analyse(idea: IdeaForAnalysis, playbook: string[], within: AnalyseOptions = {}): Promise<Thesis> {
      const prompt = analysePrompt(idea, playbook);
      const answer = await ask((l) => l.thesisFormat, ANALYSE_SYSTEM, prompt, 700, within.signal);
      return { author, kind: "llm", thesis: answer.thesis, confidence: answer.confidence, risks: answer.risks };
    },
    async reflect(day: DaySummaryForReflection) {
      const answer = await ask((l) => l.reflectionFormat, REFLECT_SYSTEM, JSON.stringify(day, null, 1), 500);
      return { author, content: answer.reflection };
    },
    async review(trade: ClosedTradeForReview): Promise<TradeReview> {
      const answer = await ask((l) => l.reviewFormat, REVIEW_SYSTEM, JSON.stringify(trade, null, 1), 400);
      return { author, reflection: answer.reflection, lesson: answer.lesson };
    },
  };
}

function analysePrompt(idea: IdeaForAnalysis, playbook: string[]): string {
  const lines = playbook
    .slice(0, PLAYBOOK_LINES)
    .map((line) => `- ${line.length > PLAYBOOK_LINE_CHARS ? `${line.slice(0, PLAYBOOK_LINE_CHARS)}…` : line}`);
  return [
    "The idea (prices per share in US dollars; probabilityOfProfit 0..1, at expiry; profitAtExit: the chance 0..1 of being in profit at the bot's time exit, exitDte days before expiry, when it alerts to close; ivRank 0..100 or null when unknown):",
    JSON.stringify(idea, null, 1),
    "",
    lines.length > 0 ? `Playbook:\n${lines.join("\n")}` : "Playbook: (empty)",
  ].join("\n");
}

/** Claude is asked for JSON in the schema's shape; its answer is parsed and checked with the same schema. */
function outputFormat<T>(sdk: Sdk, schema: z.ZodMiniType<T>): Format<T> {
  return {
    wire: { type: "json_schema", schema: sdk.transformJSONSchema(z.toJSONSchema(schema, { reused: "ref" })) },
    parse: (text) => schema.parse(JSON.parse(text)),
  };
}

/** setTimeout, cut short (with a rejection) when the caller's deadline passes. */
function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}
