// What a trade costs beyond its prices. Alpaca charges no commission on options; it passes on
// regulatory fees, per Alpaca's "Regulatory Fees" page (docs.alpaca.markets/docs/regulatory-fees,
// read 2026-11-30):
//   options, buys and sells: OCC clearing $0.02 a contract, ORF $0.02685 a contract,
//                            CAT $0.000046 an equivalent share ($0.0046 a contract);
//   options, sells only:     FINRA TAF $0.00279 a contract, SEC $27.80 per million of premium;
//   shares, sells only:      SEC $27.80 per million, FINRA TAF $0.000166 a share (at most $8.30);
//   shares, buys and sells:  CAT $0.000046 a share.
// A bought contract costs $0.05145, a sold one about $0.057 at a $1 premium: the option figure is
// one setting (OPTION_FEE_PER_CONTRACT, per contract, per leg, per fill; default $0.06, rounded up
// so the P/L is never flattered). Expiration, assignment and exercise are no fill: no fee.
// Pure: the caller brings the setting.

export interface FeeSettings {
  /** Dollars per contract, per leg, per fill (OPTION_FEE_PER_CONTRACT). */
  optionFeePerContract: number;
}

/** A credit spread has two legs, and every fill of it (the entry, a close) trades both. */
export const SPREAD_LEGS = 2;

const cents = (n: number) => Math.round(n * 100) / 100;
const centsUp = (n: number) => Math.ceil(n * 100 - 1e-9) / 100;

/** Dollars of fees for one fill (opening or closing) of `contracts` contracts of a 2-leg spread. */
export function spreadFillFees(contracts: number, fees: FeeSettings): number {
  return cents(fees.optionFeePerContract * SPREAD_LEGS * Math.abs(contracts));
}

/** Round trip per contract: opened and closed, both legs each time ($0.24 at $0.06). */
export function feesPerContract(fees: FeeSettings): number {
  return fees.optionFeePerContract * SPREAD_LEGS * 2;
}

/**
 * Dollars lost per contract at worst, fees in: the spread bought back at its full width, the
 * entry's and the close's fees paid ((5 − 1.25) × 100 + $0.24 = $375.24 at $0.06). A spread left
 * to settle past its long strike loses the width with the entry's fees only ($0.12 less): the
 * close is the worse case, and the bot closes (stops, targets and its time exit all close).
 */
export function spreadMaxLoss(width: number, credit: number, fees: FeeSettings): number {
  return cents((width - credit) * 100 + feesPerContract(fees));
}

/**
 * The underlying's price at expiry where the trade books $0: past the short strike by the credit
 * less the entry's fees a share (an expiry is no fill, so only the entry's fees count): a 580/575
 * bull put sold at 1.25 breaks even at 580 − 1.25 + 0.0012 = 578.7512 at $0.06.
 */
export function spreadBreakeven(side: "put" | "call", shortStrike: number, credit: number, fees: FeeSettings): number {
  const keptPerShare = credit - (fees.optionFeePerContract * SPREAD_LEGS) / 100;
  return side === "put" ? shortStrike - keptPerShare : shortStrike + keptPerShare;
}

/**
 * Realized P/L of closing `contracts` of a spread sold at `credit` and bought back at `debit`
 * (per share): the price difference ×100, less the fees of the entry and of the close for those
 * contracts. Also what a position would book if closed at its mark.
 */
export function closedSpreadPl(credit: number, debit: number, contracts: number, fees: FeeSettings): number {
  return cents((credit - debit) * 100 * contracts - 2 * spreadFillFees(contracts, fees));
}

/**
 * Realized P/L of `contracts` the broker settled at expiry at `settlePrice` (per share): the
 * entry's fees only, since an expiration, an assignment or an exercise is no fill.
 */
export function settledSpreadPl(credit: number, settlePrice: number, contracts: number, fees: FeeSettings): number {
  return cents((credit - settlePrice) * 100 * contracts - spreadFillFees(contracts, fees));
}

// Alpaca's share rates (same page); each fee rounded up to the cent, as Alpaca rounds its daily total.
const SEC_PER_DOLLAR_SOLD = 27.8 / 1_000_000;
const TAF_PER_SHARE_SOLD = 0.000166;
const TAF_MAX = 8.3;
const CAT_PER_SHARE = 0.000046;

/** Dollars of fees on a share trade (flattening assigned shares): more on a sale than on a purchase. */
export function shareTradeFees(trade: { side: "buy" | "sell"; shares: number; price: number }): number {
  const shares = Math.abs(trade.shares);
  if (shares === 0) return 0;
  const cat = centsUp(shares * CAT_PER_SHARE);
  if (trade.side === "buy") return cat;
  const sec = centsUp(shares * trade.price * SEC_PER_DOLLAR_SOLD);
  const taf = centsUp(Math.min(shares * TAF_PER_SHARE_SOLD, TAF_MAX));
  return cents(sec + taf + cat);
}
