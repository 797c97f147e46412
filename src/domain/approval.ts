// The recheck at the moment a person taps Approve, between the claim and the order. The
// recommendation was analysed minutes ago; everything that could have changed is checked
// again. It fails closed: anything unknown (market state, quotes, breakers, buying power)
// refuses, with every reason that applies, in words a trader can read.
import {
  ENTRY_LIMIT_CODES,
  type EntryLimits,
  type EntryLoad,
  positionLimitReason,
  RISK_TOLERANCE,
  riskHeadroom,
  riskLimitReason,
} from "./breakers";
import { type BlackoutDate, blackoutsInLife } from "./events";
import { usd } from "./format";
import { daysToExpiration, tradingDay } from "./market-time";
import { describeOptionsLevel, SPREAD_OPTIONS_LEVEL } from "./options-level";
import { quoteFreshness, staleQuoteReason } from "./quote-age";

export interface RecheckInput {
  rec: {
    symbol: string;
    expiresAt: number;
    /** The underlying's price the analysis (and the thesis) was about. */
    underlyingPrice: number;
    /** The credit per share the card promised (the screener's fillable estimate). */
    credit: number;
    /** Strike distance, dollars per share. */
    width: number;
    expiration: string;
    /** Dollars at risk per contract. */
    maxLoss: number;
  };
  contracts: number;
  now: number;
  /** null = the clock could not be read. */
  marketOpen: boolean | null;
  underlyingNow: number | null;
  /** The spread's credit per share now, priced as the screener prices it (fillable estimate). */
  creditNow: number | null;
  /** When the older of the two fresh leg quotes was taken; null = a leg's quote has no time. */
  quotesAt: number | null;
  /** Days no position may span (BLACKOUT_DATES as configured now: it may have changed since the scan). */
  blackoutDates?: BlackoutDate[];
  /** null = the breaker state could not be read. */
  breakers: { halted: boolean; reasons: { code: string; message: string }[] } | null;
  buyingPower: number | null;
  /** The account's options trading level; null = the account could not be read. */
  optionsLevel: number | null;
  settings: {
    /** How far the underlying may have moved since the analysis, either way. */
    maxDriftPct: number;
    dteMin: number;
    dteMax: number;
    /** The screener's own floor: credit as a share of the width. */
    minCreditToWidth: number;
    /** How much worse the credit may have become, as a share of the width (better never refuses). */
    maxCreditSlipOfWidth: number;
    /** Leg quotes older than this, or without a time, price no order. */
    maxQuoteAgeSeconds: number;
  };
}

export interface RecheckReason {
  code: string;
  message: string;
}

export type RecheckResult = { ok: true } | { ok: false; reasons: RecheckReason[] };

// Drift "exactly at the limit" must pass: compare with a tolerance well below a cent's worth.
const EPS = 1e-9;
const pct = (n: number) => `${(n * 100).toFixed(2)}%`;
const signedPct = (n: number) => `${n >= 0 ? "+" : "−"}${pct(Math.abs(n))}`;

/**
 * The lowest credit per share an approved entry may go at, then or while its limit walks: the
 * screener's own floor and the slippage limit from the card's credit, whichever is higher.
 */
export function lowestAcceptableCredit(
  rec: Pick<RecheckInput["rec"], "credit" | "width">,
  settings: Pick<RecheckInput["settings"], "minCreditToWidth" | "maxCreditSlipOfWidth">,
): number {
  return Math.max(settings.minCreditToWidth * rec.width, rec.credit - settings.maxCreditSlipOfWidth * rec.width);
}

export function recheckApproval(input: RecheckInput): RecheckResult {
  const { rec, settings } = input;
  const reasons: RecheckReason[] = [];
  const refuse = (code: string, message: string) => reasons.push({ code, message });

  if (!(input.now < rec.expiresAt)) refuse("expired", "the recommendation expired before it was approved");

  if (input.marketOpen === null) refuse("market_unknown", "the market clock could not be read");
  else if (!input.marketOpen) refuse("market_closed", "the market is closed: a day order would wait at a stale price");

  if (!(Number.isInteger(input.contracts) && input.contracts >= 1))
    refuse("invalid_contracts", `${input.contracts} is not a number of contracts`);

  const dte = daysToExpiration(rec.expiration, input.now);
  if (dte < settings.dteMin || dte > settings.dteMax)
    refuse("dte_out_of_window", `${dte} days to expiration is outside ${settings.dteMin}-${settings.dteMax}`);

  const blackouts = blackoutsInLife(input.blackoutDates ?? [], tradingDay(input.now), rec.expiration);
  if (blackouts.length > 0)
    refuse(
      "blackout",
      `the trade would now span ${blackouts.map((b) => `${b.label} ${b.date}`).join(", ")} before its ${rec.expiration} expiry (BLACKOUT_DATES)`,
    );

  // The thesis was about the price at analysis: a move either way beyond the limit refuses.
  if (input.underlyingNow === null || !Number.isFinite(input.underlyingNow))
    refuse("no_quote", "no current price for the underlying");
  else if (rec.underlyingPrice > 0) {
    const move = (input.underlyingNow - rec.underlyingPrice) / rec.underlyingPrice;
    if (Math.abs(move) > settings.maxDriftPct + EPS)
      refuse(
        "drift",
        `${rec.symbol} moved from ${usd(rec.underlyingPrice)} to ${usd(input.underlyingNow)} (${signedPct(move)}, limit ${pct(settings.maxDriftPct)}): the analysis was about ${usd(rec.underlyingPrice)}`,
      );
  }

  // The credit is re-judged by the screener's rule on the fresh quote, and the order goes at the
  // fresh price: a better credit never refuses; a worse one only past the slippage limit.
  if (input.creditNow === null || !Number.isFinite(input.creditNow)) {
    refuse("no_quote", "no current two-sided quote for both legs");
  } else if (!(rec.width > 0)) {
    refuse("no_longer_qualifies", `the spread's width ${rec.width} is not positive`);
  } else {
    const now = input.creditNow;
    if (now / rec.width + EPS < settings.minCreditToWidth)
      refuse(
        "no_longer_qualifies",
        `the credit is now ${usd(now)}, ${pct(now / rec.width)} of the ${usd(rec.width)} width; the screener asks at least ${pct(settings.minCreditToWidth)}`,
      );
    const slip = rec.credit - now;
    const allowed = settings.maxCreditSlipOfWidth * rec.width;
    if (slip > allowed + EPS)
      refuse(
        "credit_slipped",
        `the credit fell from ${usd(rec.credit)} to ${usd(now)} (${usd(slip)} less, more than ${pct(settings.maxCreditSlipOfWidth)} of the width: ${usd(allowed)})`,
      );
  }

  // The order is priced on these quotes: too old, or of no known age, they price nothing.
  if (input.creditNow !== null) {
    const freshness = quoteFreshness(input.quotesAt, input.now, settings.maxQuoteAgeSeconds);
    const why = staleQuoteReason(freshness, settings.maxQuoteAgeSeconds, "the option quotes");
    if (why) refuse(freshness.kind === "unknown" ? "quote_age_unknown" : "stale_quotes", why);
  }

  if (input.breakers === null) refuse("breakers_unreadable", "the circuit-breaker state could not be read");
  else if (input.breakers.halted) {
    // The limits on what is committed are not breakers: each says itself what is over.
    const isLimit = (code: string) => (ENTRY_LIMIT_CODES as readonly string[]).includes(code);
    const limits = input.breakers.reasons.filter((r) => isLimit(r.code));
    const tripped = input.breakers.reasons.filter((r) => !isLimit(r.code));
    for (const r of limits) refuse("over_limit", r.message);
    const why = tripped.map((r) => r.message).join("; ");
    if (tripped.length > 0 || limits.length === 0)
      refuse("breakers_halted", `circuit breakers are tripped${why ? `: ${why}` : ""}`);
  }

  const required = rec.maxLoss * Math.max(input.contracts, 0);
  if (input.buyingPower === null || !Number.isFinite(input.buyingPower))
    refuse("buying_power_unknown", "buying power could not be read");
  else if (input.buyingPower + EPS < required)
    refuse(
      "insufficient_buying_power",
      `buying power ${usd(input.buyingPower)} is less than the ${usd(required)} at risk for ${input.contracts} contract(s)`,
    );

  // Below level 3 Alpaca refuses the spread: say why before sending an order that cannot pass.
  // An unread account already refused above (buying power), so it is not said twice.
  if (input.optionsLevel !== null && input.optionsLevel < SPREAD_OPTIONS_LEVEL)
    refuse(
      "options_level",
      `the Alpaca account trades at options ${describeOptionsLevel(input.optionsLevel)} and spreads need level ${SPREAD_OPTIONS_LEVEL}, so Alpaca would refuse the order (/status says what to change at Alpaca)`,
    );
  else if (input.optionsLevel === null && input.buyingPower !== null)
    refuse("options_level_unknown", "the account's options level could not be read");

  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/**
 * What the clicker reads when the claim refused an entry for a limit: every limit it is over,
 * counting what is open and in flight, and the size that would still fit. The recommendation
 * stays pending. `equity` null: the claim knew none, so only the count was checked.
 */
export function overLimitMessage(
  load: EntryLoad,
  trade: { maxLossPerContract: number; contracts: number },
  equity: number | null,
  limits: EntryLimits,
): string {
  const entry = { risk: trade.maxLossPerContract * trade.contracts };
  const count = positionLimitReason(load, entry, limits);
  const risk = equity === null ? null : riskLimitReason(load, entry, equity, limits);
  const reasons = [count, risk].flatMap((r) => (r ? [r.message] : []));
  if (reasons.length === 0) reasons.push("over the open-position or total-risk limit, counting orders in flight");
  let fits = "";
  if (risk && !count && equity !== null && trade.maxLossPerContract > 0) {
    const most = Math.floor(
      (riskHeadroom(load, equity, limits.maxTotalRiskPct) + RISK_TOLERANCE) / trade.maxLossPerContract,
    );
    fits = most >= 1 ? ` At most ${most} contract${most === 1 ? "" : "s"} fit now.` : " Not one contract fits now.";
  }
  return `Not approved: ${reasons.join("; ")}.${fits} Nothing was done; the recommendation stays open for approval if room frees up.`;
}
