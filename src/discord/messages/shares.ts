// The message about shares an assignment or exercise left at Alpaca: what the account holds,
// the P/L so far (shares at the price they were booked at), and one button to flatten them.
// Edited as the flattening order works and once it is done.
import type { PositionRow } from "../../../drizzle/schema";
import { buildCustomId } from "../custom-id";
import { ButtonStyle, ComponentType } from "../enums";
import type { MessageBody } from "../port";
import { COLORS, humanize, price, signedMoney } from "./format";
import { buttonRows, finalizeMessage } from "./limits";

export function sharesMessage(position: PositionRow, note?: string | null): MessageBody {
  const name = `${position.symbol} ${position.shortStrike}/${position.longStrike} (position ${position.id})`;
  const pl = position.realizedPl === null ? "unavailable" : signedMoney(position.realizedPl);
  const extra = note ? `\n${note}` : "";
  if (position.shares === 0)
    return finalizeMessage({
      embeds: [
        {
          title: `✅ Shares flattened: ${name}`,
          color: (position.realizedPl ?? 0) < 0 ? COLORS.bad : COLORS.good,
          description: `The ${position.symbol} shares this trade left are gone from the account.${extra}`,
          fields: [{ name: "Realized P/L, shares included", value: pl, inline: true }],
          footer: { text: `position ${position.id}` },
        },
      ],
      components: [],
    });

  const n = Math.abs(position.shares);
  const side = position.shares > 0 ? "long" : "short";
  const verb = position.shares > 0 ? "Sell" : "Buy back";
  const mark = position.sharesMark === null ? "" : ` Booked at ${price(position.sharesMark)} a share;`;
  const working = position.flattenClientOrderId !== null;
  return finalizeMessage({
    embeds: [
      {
        title: `${working ? "⏳ Flattening" : "📦 Shares held"}: ${name}`,
        color: working ? COLORS.working : COLORS.bad,
        description:
          `${humanize(position.closeReason ?? "assigned")}: Alpaca now holds ${n} ${position.symbol} shares ${side}.${mark} ` +
          `their P/L moves with ${position.symbol} until they are ${position.shares > 0 ? "sold" : "bought back"}.` +
          (working
            ? `\n${verb} ${n} at the market: order working.`
            : `\nTap **${verb} ${n} ${position.symbol}** to flatten them with one market order.`) +
          extra,
        fields: [{ name: "Realized P/L (shares at that price)", value: pl, inline: true }],
        footer: { text: `position ${position.id}` },
      },
    ],
    components: working
      ? []
      : buttonRows([
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: `${verb} ${n} ${position.symbol}`,
            custom_id: buildCustomId({ kind: "flatten", positionId: position.id }),
          },
        ]),
  });
}
