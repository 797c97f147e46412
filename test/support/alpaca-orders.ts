// Orders built from the simulator's own quotes, for broker tests: a SPY bull put spread priced
// at (or away from) its mid, and the order that closes it.
import type { Broker } from "../../src/broker/port";
import { closeSpreadOrder } from "../../src/domain/orders";
import type { MlegOrderRequest } from "../../src/domain/types";

const DAY = 86_400_000;
const date = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

/** A SPY bull put spread (short ~3 % below the money, 5 wide) priced off the simulator's quotes. */
export async function bullPut(broker: Broker, opts: { clientOrderId: string; qty?: number; extraCredit?: number }) {
  const chain = await broker.optionChain({ underlying: "SPY", expirationFrom: date(28), expirationTo: date(42) });
  const shortStrike = Math.round(chain.underlying.price * 0.97);
  const expiration = chain.contracts[0]?.expiration;
  const pick = (strike: number) => {
    const c = chain.contracts.find((q) => q.type === "put" && q.strike === strike && q.expiration === expiration);
    if (!c || c.bid === null || c.ask === null) throw new Error(`no quote for the ${strike} put`);
    return { symbol: c.symbol, mid: (c.bid + c.ask) / 2 };
  };
  const short = pick(shortStrike);
  const long = pick(shortStrike - 5);
  const credit = Math.round((short.mid - long.mid) * 100) / 100;
  // Asking 5 cents under the mid credit is marketable; asking more than the mid rests.
  const ask = opts.extraCredit === undefined ? credit - 0.05 : credit + opts.extraCredit;
  const order: MlegOrderRequest = {
    order_class: "mleg",
    type: "limit",
    time_in_force: "day",
    qty: String(opts.qty ?? 1),
    limit_price: (-ask).toFixed(2),
    client_order_id: opts.clientOrderId,
    legs: [
      { symbol: short.symbol, side: "sell", position_intent: "sell_to_open", ratio_qty: "1" },
      { symbol: long.symbol, side: "buy", position_intent: "buy_to_open", ratio_qty: "1" },
    ],
  };
  return { order, short, long, credit: ask };
}

/** The order that buys the spread back; a one-cent debit rests (nobody sells it that cheap). */
export function closeOf(
  spread: { short: { symbol: string }; long: { symbol: string } },
  clientOrderId: string,
  qty = 1,
) {
  return closeSpreadOrder({
    shortSymbol: spread.short.symbol,
    longSymbol: spread.long.symbol,
    contracts: qty,
    limitDebit: 0.01,
    clientOrderId,
  });
}
