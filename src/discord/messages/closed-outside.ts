// What the channel is told when the bot books spreads closed at Alpaca by orders it did not send.
import type { PositionRow } from "../../../drizzle/schema";
import type { OutsideClose } from "../../domain/closed-outside";
import type { MessageBody } from "../port";
import { price, signedMoney, spreadName } from "./format";
import { noticeMessage } from "./notice";

/** "Position 3 (SPY bull put 580/575 · 16 Jan): 2 of 2 contracts closed at Alpaca, not by the bot, …". */
export function closedOutsideNotice(
  before: Pick<PositionRow, "id" | "contracts">,
  after: PositionRow,
  close: OutsideClose,
  now: number,
): MessageBody {
  const left = after.status === "closed" ? 0 : after.contracts;
  const orders = close.orderIds.length === 1 ? "order" : "orders";
  const text = [
    `Position ${after.id} (${spreadName(after, now)}): ${close.contracts} of ${before.contracts} contracts closed at Alpaca, not by the bot, at ${price(close.debit)} a share (Alpaca ${orders} ${close.orderIds.join(", ")}).`,
    after.status === "closed"
      ? `Booked as closed: realized P/L ${signedMoney(after.realizedPl ?? 0)}.`
      : `Booked: realized so far ${signedMoney(after.realizedPl ?? 0)}; ${left} still open, watched as before.`,
    "The bot's books, risk limits and P/L follow the account again.",
  ].join(" ");
  return noticeMessage("Closed at Alpaca", text, "info");
}
