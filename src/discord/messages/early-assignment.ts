// What the channel is told when Alpaca assigns a spread's short leg before its expiration: what
// happened, what the account holds because of it, and what to do at Alpaca. The same sentence is
// the position's attention line (/portfolio, the midday review, the end of day) until it settles.
import type { PositionRow } from "../../../drizzle/schema";
import { assignedShares } from "../../domain/broker-book";
import { optionTypeOf } from "../../domain/recommendation-state";
import type { MessageBody } from "../port";
import { price, shortDate, strike } from "./format";
import { noticeMessage } from "./notice";

type Assigned = Pick<PositionRow, "id" | "symbol" | "strategy" | "shortStrike" | "longStrike" | "contracts">;

/** "Assigned early on 14 Jan: 1 short SPY 580 put …, so the account bought 100 SPY shares at $580. …" */
export function earlyAssignmentNote(p: Assigned, assigned: { qty: number; activityDate: string }, now: number): string {
  const kind = optionTypeOf(p.strategy);
  const shares = Math.abs(assignedShares(p.strategy, assigned.qty));
  const contracts = assigned.qty === p.contracts ? `${assigned.qty}` : `${assigned.qty} of ${p.contracts}`;
  const delivered =
    p.strategy === "bull_put"
      ? `the account bought ${shares} ${p.symbol} shares at ${price(p.shortStrike)}`
      : `the account sold ${shares} ${p.symbol} shares short at ${price(p.shortStrike)}`;
  const undo = p.strategy === "bull_put" ? "sell the shares" : "buy the shares back";
  return [
    `Assigned early on ${shortDate(assigned.activityDate, now)}: Alpaca assigned ${contracts} short ${p.symbol} ${strike(p.shortStrike)} ${kind}${assigned.qty === 1 && p.contracts === 1 ? "" : "s"}, so ${delivered}.`,
    `The long ${strike(p.longStrike)} ${kind} is still held and still limits the loss to the width.`,
    "The bot cannot close a spread with a leg gone.",
    "Leaving it is safe: the bot books the position at its expiration, with the shares, and then offers to flatten them.",
    `To get out sooner, ${undo} and sell the long ${kind} at Alpaca; the bot cannot book a close made there, and will say its books disagree.`,
  ].join(" ");
}

export function earlyAssignmentNotice(p: Assigned, note: string): MessageBody {
  return noticeMessage(
    `Early assignment: ${p.symbol} ${strike(p.shortStrike)}/${strike(p.longStrike)} (position ${p.id})`,
    note,
    "danger",
  );
}
