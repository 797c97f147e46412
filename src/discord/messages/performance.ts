// The /performance reply: the track record of a period (src/domain/track-record.ts) in the
// figures a trader checks, with the cumulative P/L as a sparkline in the description and, when
// sent with it, the equity-curve image (src/discord/png.ts) under the fields.
import type { APIEmbedField } from "discord-api-types/v10";
import type { Strategy } from "../../domain/recommendation-state";
import type { Period, TrackRecord } from "../../domain/track-record";
import type { MessageBody } from "../port";
import { COLORS, money, percent, signedMoney, strategyName } from "./format";
import { finalizeMessage } from "./limits";

const PERIOD_TITLES: Record<Period, string> = {
  week: "last 7 days",
  month: "last 30 days",
  year: "last 365 days",
  all: "all time",
};

const BARS = "▁▂▃▄▅▆▇█";
/** At most this many points: a Discord line is about 60 of these wide on a phone. */
const SPARK_POINTS = 48;

/** The cumulative P/L as block characters, lowest to highest, the curve starting at $0. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return "";
  const points = [0, ...values];
  const step = Math.max(1, Math.ceil(points.length / SPARK_POINTS));
  const sampled = points.filter((_, i) => i % step === 0 || i === points.length - 1);
  const lo = Math.min(...sampled);
  const hi = Math.max(...sampled);
  const span = hi - lo || 1;
  return sampled.map((v) => BARS[Math.round(((v - lo) / span) * (BARS.length - 1))]).join("");
}

const orDash = (value: number | null, show: (n: number) => string) => (value === null ? "—" : show(value));

function breakdownLines(rows: TrackRecord["bySymbol"], name: (key: string) => string): string {
  const lines = rows.slice(0, 8).map((r) => `${name(r.key)} ${signedMoney(r.pl)} (${r.trades})`);
  if (rows.length > 8) lines.push(`and ${rows.length - 8} more`);
  return lines.join("\n") || "—";
}

/** The equity-curve image's name: the embed shows it as `attachment://equity.png`. */
export const EQUITY_CHART_FILE = "equity.png";

/**
 * The reply's body; with `chart`, the embed shows the equity-curve image sent beside it. It
 * edits a deferred, ephemeral reply, so it carries no flags of its own.
 */
export function performanceMessage(
  period: Period,
  record: TrackRecord,
  options: { chart?: boolean } = {},
): MessageBody {
  const title = `Performance · ${PERIOD_TITLES[period]}`;
  if (record.trades === 0)
    return finalizeMessage({
      embeds: [{ title, color: COLORS.info, description: "No trades closed in this period yet." }],
    });
  const counts = [`${record.wins} won`, `${record.losses} lost`];
  if (record.scratches > 0) counts.push(`${record.scratches} scratch${record.scratches === 1 ? "" : "es"}`);
  const equity =
    record.equityFrom && record.equityTo && record.equityChange !== null
      ? `${money(record.equityFrom.equity)} → ${money(record.equityTo.equity)} (${signedMoney(record.equityChange)}), close of ${record.equityFrom.tradingDay} to close of ${record.equityTo.tradingDay}`
      : "not enough end-of-day equity yet";
  const fields: APIEmbedField[] = [
    { name: "Trades", value: `${record.trades} (${counts.join(" · ")})`, inline: true },
    { name: "Win rate", value: orDash(record.winRate, (r) => percent(r)), inline: true },
    { name: "Realized P/L", value: signedMoney(record.realizedPl), inline: true },
    { name: "Expectancy", value: orDash(record.expectancy, (e) => `${signedMoney(e)} a trade`), inline: true },
    {
      name: "Average win / loss",
      value: `${orDash(record.averageWin, signedMoney)} / ${orDash(record.averageLoss, signedMoney)}`,
      inline: true,
    },
    {
      name: "Profit factor",
      value: record.profitFactor === null ? "— (no losing trade)" : record.profitFactor.toFixed(2),
      inline: true,
    },
    { name: "Max drawdown", value: record.maxDrawdown > 0 ? `−${money(record.maxDrawdown)}` : "none", inline: true },
    { name: "Account equity (end of day)", value: equity, inline: false },
    { name: "By symbol", value: breakdownLines(record.bySymbol, (k) => k), inline: true },
    { name: "By strategy", value: breakdownLines(record.byStrategy, (k) => strategyName(k as Strategy)), inline: true },
  ];
  const curve = sparkline(record.curve.map((p) => p.pl));
  return finalizeMessage({
    embeds: [
      {
        title,
        color: record.realizedPl < 0 ? COLORS.bad : COLORS.good,
        description: `Cumulative realized P/L, trade by trade (fees included):\n\`${curve}\``,
        fields,
        ...(options.chart ? { image: { url: `attachment://${EQUITY_CHART_FILE}` } } : {}),
        footer: { text: "Realized P/L of closed trades; open positions are in /portfolio" },
      },
    ],
  });
}
