// The analyst the jobs use: Claude when a key is configured, the rule-based analyst otherwise,
// and the rule-based analyst again for any idea Claude could not answer. The author line says
// which one wrote it and why, so the trader never mistakes rules for Claude.
import type { Config } from "../config";
import { errorFields, log } from "../log";
import { createClaudeAnalyst } from "./claude";
import type { JobAnalyst } from "./port";
import type { CallRateLimit } from "./rate-limit";
import {
  createRuleBasedAnalyst,
  RULES_AUTHOR,
  ruleBasedReflection,
  ruleBasedReview,
  ruleBasedThesis,
} from "./rule-based";
import { AnalystUnavailable, untilAborted } from "./unavailable";
import type { UsageLedger } from "./usage-ledger";

export interface AnalystDeps {
  settings: Config["analyst"];
  /** The outside world's Anthropic fetch (src/outside.ts). */
  fetch: typeof fetch;
  /** The spend ledger (src/store/analyst-usage.ts over D1). */
  usage: UsageLedger;
  /** The soft per-minute cap on calls (rate-limit.ts; kept in KV by src/store/kv-state.ts). */
  rateLimit: CallRateLimit;
  now?: () => number;
  requestsPerMinute?: number;
  maxRetries?: number;
  /** The wait before a retry (tests make it instant); see ClaudeAnalystOptions. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function createAnalyst(deps: AnalystDeps): JobAnalyst {
  const rules = createRuleBasedAnalyst();
  const { apiKey, model, timeoutMs, dailyBudgetUsd } = deps.settings;
  // Without a key the rules are the analyst: their theses say so, with no "Claude unavailable".
  if (!apiKey) return { ...rules, byRules: (idea) => ruleBasedThesis(idea) };
  const claude = createClaudeAnalyst({
    apiKey,
    model,
    timeoutMs,
    dailyBudgetUsd,
    fetch: deps.fetch,
    usage: deps.usage,
    rateLimit: deps.rateLimit,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.requestsPerMinute !== undefined ? { requestsPerMinute: deps.requestsPerMinute } : {}),
    ...(deps.maxRetries !== undefined ? { maxRetries: deps.maxRetries } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });

  return {
    byRules: (idea, reason) => ruleBasedThesis(idea, fallbackAuthor(reason)),
    async analyse(idea, playbook, options = {}) {
      try {
        // Past the caller's deadline the rules answer at once, even if Claude's call hangs on.
        return await untilAborted(claude.analyse(idea, playbook, options), options.signal);
      } catch (error) {
        const reason = fellBack(error, { task: "analyse", symbol: idea.symbol, model });
        return ruleBasedThesis(idea, fallbackAuthor(reason));
      }
    },
    async reflect(day) {
      try {
        return await claude.reflect(day);
      } catch (error) {
        const reason = fellBack(error, { task: "reflect", tradingDay: day.tradingDay, model });
        return { author: fallbackAuthor(reason), content: ruleBasedReflection(day) };
      }
    },
    async review(trade) {
      try {
        return await claude.review(trade);
      } catch (error) {
        const reason = fellBack(error, { task: "review", positionId: trade.positionId, model });
        return ruleBasedReview(trade, fallbackAuthor(reason));
      }
    },
  };
}

function fallbackAuthor(reason: string): string {
  return `${RULES_AUTHOR} (Claude unavailable: ${reason})`;
}

/** Logs the fallback (never the key or the prompt) and returns the reason for the author line. */
function fellBack(error: unknown, fields: Record<string, unknown>): string {
  if (error instanceof AnalystUnavailable) {
    const cause = error.cause === undefined ? {} : briefly(errorFields(error.cause));
    log.warn("analyst fell back to rules", { ...fields, code: error.code, reason: error.reason, ...cause });
    return error.reason;
  }
  // Not an outcome the Claude adapter knows: a bug. Still fall back, and say so loudly.
  log.error("analyst fell back to rules after an unexpected error", { ...fields, ...errorFields(error) });
  return "unexpected error";
}

/** A zod report can run to kilobytes: one log line keeps the first few hundred characters. */
function briefly(fields: Record<string, unknown>): Record<string, unknown> {
  const { error } = fields;
  return typeof error === "string" && error.length > 300 ? { ...fields, error: `${error.slice(0, 300)}…` } : fields;
}
