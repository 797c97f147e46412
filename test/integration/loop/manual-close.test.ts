// Closing at will: /close posts an open position's card with its Close button (no exit rule
// needed), which becomes the position's message; tapping it is the same exactly-once close.
import { beforeEach, describe, expect, it } from "vitest";
import * as alpaca from "../../support/alpaca-sim";
import { discordSim } from "../../support/discord-sim";
import {
  buttonsOf,
  click,
  command,
  embedOf,
  messageById,
  OTHER_USER,
  openPosition,
  resetWorld,
  runMonitorNow,
  storedPosition,
  textOf,
} from "../../support/sandbox-driver";

beforeEach(resetWorld);

describe("/close", () => {
  it("posts the position's card with its Close button, and the tap closes it, the card following the close", async () => {
    const position = await openPosition();
    // The filled card and /portfolio name the number /close takes.
    const filledCard = (await discordSim.messages()).find((m) =>
      embedOf(m).footer?.text?.endsWith(`rec ${position.recommendationId}`),
    );
    expect(filledCard && embedOf(filledCard).description).toMatch(
      new RegExp(`^✅ \\*\\*Filled at \\$[\\d.]+ credit\\*\\* · position ${position.id}\n`),
    );
    expect(JSON.stringify((await command("portfolio")).response)).toContain(`position ${position.id}`);

    const answer = await command("close", { position: position.id });
    expect(answer.response.data?.flags).toBe(64);
    expect(answer.response.data?.content).toContain(`Position ${position.id}'s card is going up in the channel`);
    // Found by its button, so that what it says is checked rather than assumed.
    const card = (await discordSim.messages()).find((m) =>
      buttonsOf(m).some((b) => b.custom_id === `v1:close:${position.id}`),
    );
    if (!card) throw new Error("no card with the position's Close button was posted");
    expect(textOf(card)).toContain("Close requested");
    expect(textOf(card)).toContain("asked to close it before any exit rule said so");
    // Tapped before the monitor's first mark of it: the card says so rather than "unavailable".
    expect(textOf(card)).toMatch(/P\/L now[\s\S]*not marked yet/);
    const close = buttonsOf(card).find((b) => b.custom_id === `v1:close:${position.id}`);
    expect(close?.label).toBe(`Close ${position.contracts}`);
    expect((await storedPosition(position.id))?.exitAlertMessageId).toBe(card.id);

    // Someone not allowed cannot close it; an allowed trader's tap sends one close order.
    expect((await click(card.id, close?.custom_id ?? "", OTHER_USER)).response.data?.content).toMatch(/not allowed/i);
    await click(card.id, close?.custom_id ?? "");
    await runMonitorNow();
    const closes = (await alpaca.listOrders()).filter((o) => String(o.client_order_id).startsWith("sd-close-"));
    expect(closes).toHaveLength(1);
    const after = await storedPosition(position.id);
    expect(after?.status).toBe("closed");
    expect(after?.closeReason).toBe("manual");
    expect(textOf(await messageById(card.id))).toContain("Closed:");
    expect((await command("close", { position: position.id })).response.data?.content).toBe(
      `Position ${position.id} is closed: there is nothing to close. Nothing was done.`,
    );
  });

  it("says so for a position that does not exist or is not open, and posts no card", async () => {
    const missing = await command("close", { position: 999 });
    expect(missing.response.data?.content).toBe("Position 999 does not exist. /portfolio lists the open ones.");
    expect(missing.response.data?.flags).toBe(64);
    expect((await discordSim.messages()).some((m) => textOf(m).includes("Close requested"))).toBe(false);
  });
});
