// Alpaca's check on a closing order: a position's quantity held by orders still working cannot be
// closed again. Alpaca answers 403 {"code":40310000,"message":"insufficient qty available for
// order (requested: N, available: M)"} with the position's figures beside it (alpacahq/
// Alpaca-API#111 shows the body; #282 the same on a spread's closing order). A second close
// while the first works, or a close sent by the bot while one placed by hand at Alpaca works,
// meets it. Only the hold is modelled: a close larger than a position nothing holds passes.
import { type Book, isOpenStatus, type SimOrder } from "./book";
import type { AlpacaFailure, OrderRequest } from "./order-request";

const closes = (intent: string) => intent === "buy_to_close" || intent === "sell_to_close";

/** Working orders hold their unfilled rest; a cancel Alpaca has not confirmed still holds it. */
const holds = (o: SimOrder) => isOpenStatus(o.status) || o.status === "pending_cancel";

export function heldQtyRefusal(book: Book, order: OrderRequest): AlpacaFailure | null {
  for (const leg of order.legs) {
    if (!closes(leg.positionIntent)) continue;
    const position = book.positions.find((p) => p.symbol === leg.symbol);
    if (!position) continue;
    let held = 0;
    for (const o of book.orders) {
      if (!holds(o)) continue;
      for (const l of o.legs)
        if (l.symbol === leg.symbol && closes(l.positionIntent)) held += l.ratioQty * (o.qty - o.filledQty);
    }
    if (held === 0) continue;
    const requested = leg.ratioQty * order.qty;
    const available = Math.max(0, Math.abs(position.qty) - held);
    if (requested <= available) continue;
    return {
      status: 403,
      code: 40310000,
      message: `insufficient qty available for order (requested: ${requested}, available: ${available})`,
      details: {
        available: String(available),
        existing_qty: String(Math.abs(position.qty)),
        held_for_orders: String(held),
        related_orders: book.orders
          .filter((o) => holds(o) && o.legs.some((l) => l.symbol === leg.symbol && closes(l.positionIntent)))
          .map((o) => o.id),
        symbol: leg.symbol,
      },
    };
  }
  return null;
}
