// What a trader reads when Alpaca refuses a close. The case real accounts meet: a close already
// working at Alpaca (placed there by hand) when the alert's Close is tapped. Alpaca answers
// 403 "insufficient qty available for order"; the alert must say a close is already working,
// keep the position open with its Close button, and send nothing more.
import { beforeEach, describe, expect, it } from "vitest";
import { closeSpreadOrder } from "../../../src/domain/orders";
import * as alpaca from "../../support/alpaca-sim";
import {
  buttonsOf,
  click,
  messageById,
  openPosition,
  profitTargetAlert,
  resetWorld,
  storedPosition,
  textOf,
} from "../../support/sandbox-driver";

beforeEach(resetWorld);

describe("a close Alpaca refuses", () => {
  it("a Close while a close placed by hand still works: the alert says a close is already working", async () => {
    const position = await openPosition();
    const { alert, close } = await profitTargetAlert(position);

    // The trader closes at Alpaca's dashboard at a price nobody takes yet: the order works.
    const byHand = closeSpreadOrder({
      shortSymbol: position.shortSymbol,
      longSymbol: position.longSymbol,
      contracts: position.contracts,
      limitDebit: 0.01,
      clientOrderId: "dashboard-close",
    });
    expect((await alpaca.simBroker().submitOrder(byHand)).kind).toBe("placed");

    await click(alert.id, close.custom_id);
    const text = textOf(await messageById(alert.id));
    expect(text).toContain("Alpaca refused the close: Placing the order: A close is already working at Alpaca");
    expect(text).toContain(`insufficient qty available for order (requested: ${position.contracts}, available: 0)`);
    expect(buttonsOf(await messageById(alert.id)).some((b) => b.custom_id.startsWith("v1:close:"))).toBe(true);
    expect((await storedPosition(position.id))?.status).toBe("open");
    const closes = (await alpaca.listOrders()).filter((o) => String(o.client_order_id).includes("close"));
    expect(closes.map((o) => o.client_order_id)).toEqual(["dashboard-close"]);
  });
});
