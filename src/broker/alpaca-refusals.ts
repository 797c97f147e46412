// Alpaca's refusal texts, as Alpaca words them, mapped to what a trader reads and can do. Alpaca's
// error codes are coarse (40310000 covers buying power, held quantity and eligibility alike), so
// the message is what tells them apart. Each rule names where its text was seen; a text no rule
// knows is shown verbatim by alpaca-errors.ts. Texts seen only quoted in public trading bots'
// code and logs (found by a text search of public repositories, no thread or page to cite) say so.
import type { BrokerFailureCode } from "./port";

export interface RefusalRule {
  pattern: RegExp;
  code: BrokerFailureCode;
  /** What happened and what to do, in a trader's words (the raw text follows it). */
  sentence: string;
}

export const REFUSALS: readonly RefusalRule[] = [
  {
    // 422 {"code":40010001,"message":"client_order_id must be unique"}: test/fixtures/alpaca.
    pattern: /client_order_id must be unique/i,
    code: "duplicate_client_order_id",
    sentence: "An order with this client order id already exists at Alpaca",
  },
  {
    // 403 {"code":40310000,"message":"insufficient qty available for order (requested: 23,
    // available: 0)","held_for_orders":"23","related_orders":[…]}: alpacahq/Alpaca-API#111 (a
    // second order while the first holds the quantity); on a spread's closing order,
    // alpacahq/Alpaca-API#282; alpacahq/alpaca-trade-api-python#129. Alpaca's "Why can't I place
    // an order?" (alpaca.markets/learn/issues-placing-an-order): orders sent before earlier ones
    // finished. Also a close larger than the position Alpaca holds.
    pattern: /insufficient qty available for order/i,
    code: "qty_held",
    sentence:
      "A close is already working at Alpaca for these contracts (an earlier one, or one placed by hand there), or Alpaca holds fewer than the bot's books say: let the working order finish or cancel it at Alpaca, then close again",
  },
  {
    // Below options level 3 Alpaca judges a spread's short leg alone. 403 {"code":40310000,
    // "message":"account not eligible to trade uncovered option contracts"}: seen only in public
    // bots' logs. 403 "insufficient underlying qty available for covered call (required: 200,
    // available: 0)": alpacahq/Alpaca-API#271. Levels: docs.alpaca.markets/docs/options-trading.
    pattern: /not eligible to trade uncovered option|underlying qty available for covered call|options trading level/i,
    code: "options_level",
    sentence:
      "Alpaca judged a short leg on its own, as it does when the account's options level is below 3 (spreads): /status shows the level and what to change at Alpaca",
  },
  {
    // 403 {"code":40310000,"message":"insufficient buying power","buying_power":…,"cost_basis":…}:
    // alpacahq/alpaca-py#225. Options: "insufficient options buying power for cash-secured put
    // (required: …, available: …)", seen in public bots' logs. "insufficient day trading buying
    // power": alpacahq/Alpaca-API#98.
    pattern: /insufficient.*buying power|buying power.*insufficient/i,
    code: "insufficient_buying_power",
    sentence: "Not enough options buying power for this order",
  },
  {
    // 403 {"code":40310100,"message":"trade denied due to pattern day trading protection"}:
    // Alpaca's forum thread linked from alpacahq/Alpaca-API#156. FINRA retired the PDT rule in
    // 2026 (Alpaca changelog 2026-06-03: PDT fields deprecated); the code may still come back
    // under the intraday margin rules that replaced it (bennycode/trading-signals#1366 keeps it).
    pattern: /pattern day trad/i,
    code: "pattern_day_trader",
    sentence: "Alpaca blocked the trade under pattern day trader protection (a same-day open and close)",
  },
  {
    // 422 {"code":42210000,"message":"potential wash trade detected. use complex orders"}:
    // Petersoj/alpaca-java#145; "Preventing Wash Trades" in Alpaca's User Protection docs
    // (docs.alpaca.markets/docs/trading/user-protections): an opposite order on the same contract.
    pattern: /wash trade/i,
    code: "wash_trade",
    sentence: "Alpaca flagged the order as a potential wash trade: an opposite order on the same contract is working",
  },
  {
    // 403 {"code":40310000,"message":"account is not authorized to trade"}: a blocked or
    // restricted account, not bad keys (alpacahq/alpaca-trade-api-csharp#330).
    pattern: /account is not authorized to trade|restricted to liquidation|trading (is )?blocked/i,
    code: "account_restricted",
    sentence:
      "Alpaca does not let this account trade right now (blocked or restricted): check the account's status in Alpaca's dashboard",
  },
  {
    // "asset not found for ARAV": alpacahq/Alpaca-API#114; "could not find us_equity '…'"
    // (40010001): alpacahq/Alpaca-API#184; 422 'asset "X" is not tradable': public bots' code.
    pattern: /not tradable|not active|could not find|asset.*not found|not found.*asset/i,
    code: "not_tradable",
    sentence: "A contract in the order is not tradable at Alpaca",
  },
  {
    // 422 {"code":42210000,"message":"options market orders are only allowed during market
    // hours"}: seen in public bots' code and logs. Limit day orders sent while closed are queued
    // instead ("Placing Orders", docs.alpaca.markets/docs/orders-at-alpaca).
    pattern: /market (is )?closed|market hours|outside.*hours/i,
    code: "market_closed",
    sentence: "The market is closed, so Alpaca will not take the order now",
  },
];

export function matchRefusal(message: string): RefusalRule | null {
  return REFUSALS.find((rule) => rule.pattern.test(message)) ?? null;
}
