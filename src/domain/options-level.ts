// The options level a credit spread needs, and what a trader reads when the account is below it.
//
// Alpaca's levels (docs.alpaca.markets/docs/options-trading, "Trading Levels"; the SDK's Account
// model says the same: "0=disabled, 1=Covered Call/Cash-Secured Put, 2=Long Call/Put,
// 3=Spreads/Straddles"). A bull put or bear call spread is a level-3 strategy: below it Alpaca
// refuses every mleg entry, so the bot must not offer one. The account carries two levels:
// `options_approved_level` (what Alpaca approved) and `options_trading_level` (the one in effect:
// the lower of the approved level and the account configuration's `max_options_trading_level`,
// which the holder may lower under Account > Configure in Alpaca's dashboard). Paper accounts
// start at level 3 (alpaca.markets/learn/how-to-trade-options-with-alpaca: "All paper trading
// accounts will automatically have access to Level 3 strategies").

/** The level Alpaca requires for spreads. */
export const SPREAD_OPTIONS_LEVEL = 3;

export interface OptionsLevels {
  /** `options_trading_level`: the level orders are checked against. */
  trading: number;
  /** `options_approved_level`: the most the account may set itself to. */
  approved: number;
}

const WHAT: Record<number, string> = {
  0: "options trading disabled",
  1: "covered calls and cash-secured puts",
  2: "long calls and puts",
  3: "spreads",
};

/** "level 2 (long calls and puts)". */
export function describeOptionsLevel(level: number): string {
  const what = WHAT[level];
  return what ? `level ${level} (${what})` : `level ${level}`;
}

export const canTradeSpreads = (levels: Pick<OptionsLevels, "trading">): boolean =>
  levels.trading >= SPREAD_OPTIONS_LEVEL;

/**
 * Why the account cannot trade spreads and what to do at Alpaca, or null when it can. The fix
 * differs: a level approved but capped by the account's own setting is raised in the dashboard
 * at once; a level never approved is applied for.
 */
export function optionsLevelProblem(levels: OptionsLevels): string | null {
  if (canTradeSpreads(levels)) return null;
  const now = `The Alpaca account trades at options ${describeOptionsLevel(levels.trading)}; credit spreads need level ${SPREAD_OPTIONS_LEVEL}, so Alpaca would refuse every spread order.`;
  const fix =
    levels.approved >= SPREAD_OPTIONS_LEVEL
      ? `Alpaca approved level ${levels.approved}, but the account's own setting caps it: in Alpaca's dashboard open Account > Configure and set the options trading level to ${SPREAD_OPTIONS_LEVEL}.`
      : `Alpaca approved ${describeOptionsLevel(levels.approved)}: apply for level ${SPREAD_OPTIONS_LEVEL} in Alpaca's dashboard (a paper account has it from the start, unless it was lowered under Account > Configure).`;
  return `${now} ${fix} Until then the bot posts no ideas.`;
}
