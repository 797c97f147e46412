// Canceling one of our working orders, shared by the monitor (unfilled too long) and /halt.
import type { App } from "../app";
import type { BrokerOrder } from "../broker/port";
import { errorFields, log } from "../log";

/** Statuses a cancel can still stop (pending_cancel is already on its way). */
const CANCELABLE = new Set(["new", "pending_new", "accepted", "partially_filled"]);

export const isCancelable = (order: BrokerOrder) => CANCELABLE.has(order.status);

/** Cancels the order and reads it again: it may have filled while the cancel was on its way. */
export async function cancelAndLookUp(
  app: App,
  order: BrokerOrder,
  clientOrderId: string,
): Promise<BrokerOrder | null> {
  try {
    await app.broker.cancelOrder(order.id);
  } catch (error) {
    // Too late to cancel (it filled, or is being filled): the lookup below tells which.
    log.warn("could not cancel a working order", { clientOrderId, ...errorFields(error) });
  }
  return app.broker.orderByClientId(clientOrderId);
}
