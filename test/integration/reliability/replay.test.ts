// Captured requests: an attacker (or a retrying proxy) who has one signed Approve can send it
// again, or hold it and send it later. The bot acts on it at most once, and not at all when the
// signature's timestamp is outside its window.
import { beforeEach, describe, expect, it } from "vitest";
import { ALREADY_HANDLED } from "../../../src/discord/endpoint";
import * as alpaca from "../../support/alpaca-sim";
import { ALLOWED_USER, resetWorld, scanAndPick } from "../../support/sandbox-driver";
import { deliver, signedClick, snapshot } from "./edge";

const nowSeconds = () => Math.floor(Date.now() / 1000);

beforeEach(resetWorld);

describe("replay and staleness", () => {
  it("acts once on an Approve sent twice with the same body and signature; the second answer says already handled", async () => {
    const { message, approve, recId } = await scanAndPick("SPY");
    const captured = await signedClick(message, approve.custom_id, ALLOWED_USER);

    const first = await deliver(captured);
    const second = await deliver(captured);

    expect(first).toMatchObject({ status: 200, answer: { type: 7 } });
    expect(second).toMatchObject({ status: 200, answer: { type: 4, data: { content: ALREADY_HANDLED, flags: 64 } } });
    const orders = (await alpaca.listOrders()).filter((o) => o.client_order_id === `sd-open-${recId}`);
    expect(orders).toHaveLength(1);
    expect((await snapshot()).recommendations[recId]).toBe("filled");
  });

  it("refuses a signed Approve 6 minutes old and one 2 minutes in the future with 401, writing nothing", async () => {
    const { message, approve } = await scanAndPick("SPY");
    const before = await snapshot();

    const stale = await deliver(await signedClick(message, approve.custom_id, ALLOWED_USER, nowSeconds() - 6 * 60));
    const future = await deliver(await signedClick(message, approve.custom_id, ALLOWED_USER, nowSeconds() + 2 * 60));

    expect(stale).toMatchObject({ status: 401, answer: { error: "unauthorized", message: "stale timestamp" } });
    expect(future).toMatchObject({
      status: 401,
      answer: { error: "unauthorized", message: "timestamp in the future" },
    });
    expect(await snapshot()).toEqual(before);
  });
});
