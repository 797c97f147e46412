// The playbook as the scan and /playbook use it: the lines an idea's analyst reads, and a
// person's list, add, retire and restore (each change audited by the store, in one batch).
import type { PlaybookRuleRow, TradeReviewRow } from "../../drizzle/schema";
import type { IdeaForAnalysis } from "../analyst/port";
import type { App } from "../app";
import { ivRegime, playbookFor } from "../domain/playbook";
import type { Strategy } from "../domain/types";
import type { PersonsChange } from "../store/playbook";

/** What the scan loads once (store/scan-book.ts): the active rules and the latest reviews. */
export interface LoadedPlaybook {
  rules: PlaybookRuleRow[];
  reviews: TradeReviewRow[];
}

/** The rules and lessons relevant to this idea, as the analyst's playbook lines. */
export function playbookLines(idea: IdeaForAnalysis, loaded: LoadedPlaybook): string[] {
  const context = { symbol: idea.symbol, strategy: idea.strategy, ivRegime: ivRegime(idea.ivRank), dte: idea.dte };
  return playbookFor(context, loaded.rules, loaded.reviews);
}

export interface PlaybookListing {
  rules: PlaybookRuleRow[];
  /** The supporting trades' reviews, by position id, for the listing's evidence lines. */
  evidence: Map<number, TradeReviewRow>;
}

export async function listPlaybook(app: App): Promise<PlaybookListing> {
  const [rules, reviews] = await Promise.all([app.playbook.rules(), app.playbook.reviews()]);
  return { rules, evidence: new Map(reviews.map((r) => [r.positionId, r])) };
}

export const RULE_MAX_CHARS = 300;

export interface NewRuleRequest {
  rule: string;
  symbol?: string;
  strategy?: Strategy;
}

export type PlaybookChange =
  | { ok: true; rule: PlaybookRuleRow; changed: boolean; change: "added" | "retired" | "restored" }
  | { ok: false; message: string };

/** /playbook's add, retire or restore, from the command's options as Discord sent them. */
export function changePlaybook(
  app: App,
  options: Readonly<Record<string, string | number | boolean | undefined>>,
  by: PersonsChange,
): Promise<PlaybookChange> {
  const { action, rule, id, symbol, strategy } = options;
  if (action === "add")
    return addRule(
      app,
      {
        rule: typeof rule === "string" ? rule : "",
        ...(typeof symbol === "string" ? { symbol } : {}),
        ...(strategy === "bull_put" || strategy === "bear_call" ? { strategy } : {}),
      },
      by,
    );
  return setRuleStatus(app, typeof id === "number" ? id : undefined, action === "retire" ? "retired" : "active", by);
}

async function addRule(app: App, request: NewRuleRequest, by: PersonsChange): Promise<PlaybookChange> {
  const rule = request.rule.trim().replace(/\s+/g, " ");
  if (rule.length === 0) return { ok: false, message: "Give the rule's text: `/playbook action:add rule:<text>`." };
  if (rule.length > RULE_MAX_CHARS) return { ok: false, message: `A rule is at most ${RULE_MAX_CHARS} characters.` };
  const symbol = request.symbol?.trim().toUpperCase() || null;
  if (symbol !== null && !/^[A-Z][A-Z0-9.]{0,9}$/.test(symbol))
    return { ok: false, message: `"${symbol}" is not a ticker symbol. Nothing was added.` };
  const row = await app.playbook.add({ rule, symbol, strategy: request.strategy ?? null, ivRegime: null }, by);
  return { ok: true, rule: row, changed: true, change: "added" };
}

async function setRuleStatus(
  app: App,
  id: number | undefined,
  to: PlaybookRuleRow["status"],
  by: PersonsChange,
): Promise<PlaybookChange> {
  const verb = to === "retired" ? "retire" : "restore";
  if (id === undefined) return { ok: false, message: `Say which rule: \`/playbook action:${verb} id:<n>\`.` };
  if (!(await app.playbook.rule(id)))
    return { ok: false, message: `There is no rule ${id}. \`/playbook\` lists them. Nothing was changed.` };
  const { changed, rule } = await app.playbook.setStatus(id, to, by);
  if (!rule) return { ok: false, message: `There is no rule ${id}. Nothing was changed.` };
  return { ok: true, rule, changed, change: to === "retired" ? "retired" : "restored" };
}
