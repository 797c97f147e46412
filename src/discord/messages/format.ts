// Small text helpers shared by the message builders: money, prices, dates, Discord markup.
// Short, phone-friendly spellings: "$1,250", "$1.25/sh", "16 Jan", "<t:1800000000:R>".
import type { Strategy } from "../../domain/types";

/** Colours of the left bar, one per kind of news. */
export const COLORS = {
  pending: 0x5865f2, // blurple: waiting for a person
  working: 0xf0b232, // amber: in flight
  good: 0x23a559, // green: done, money in
  bad: 0xf23f43, // red: refused, failed, loss
  muted: 0x80848e, // grey: rejected, expired
  warn: 0xe67e22, // orange: alerts, warnings
  info: 0x3b82f6,
} as const;

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const usdCents = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2 });

/** Whole dollars for totals: "$1,250". */
export function money(n: number): string {
  return usd.format(n);
}

/** Dollars and cents for prices: "$1.25". */
export function price(n: number): string {
  return usdCents.format(n);
}

/** The prices a walking limit worked at, oldest first: "$1.05 → $1.03 → $1.00". */
export function walkPath(walk: readonly { price: number }[]): string {
  return walk.map((s) => price(s.price)).join(" → ");
}

/** P/L with an explicit sign: "+$120", "−$45". */
export function signedMoney(n: number): string {
  if (Math.round(n) === 0) return "$0";
  return `${n > 0 ? "+" : "−"}${usd.format(Math.abs(n))}`;
}

export function percent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Strikes drop useless decimals: 580, 582.5. */
export function strike(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

export function strategyName(s: Strategy): string {
  return s === "bull_put" ? "bull put" : "bear call";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2027-01-16" → "16 Jan", with the year when it is not the year of `now`. */
export function shortDate(isoDay: string, now?: number): string {
  const [y, m, d] = isoDay.split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined || Number.isNaN(y + m + d)) return isoDay;
  const base = `${d} ${MONTHS[m - 1] ?? "?"}`;
  return now !== undefined && new Date(now).getUTCFullYear() !== y ? `${base} ${y}` : base;
}

/**
 * Who halted: " by @someone" for a person (a Discord user id), " automatically (monitor)" for a
 * job's loss breaker, which stays until a person resumes like a manual halt.
 */
export function haltedBy(changedBy: string | null): string {
  if (changedBy === null) return "";
  return /^\d+$/.test(changedBy) ? ` by ${mention(changedBy)}` : ` automatically (${changedBy})`;
}

/** "SPY bull put 580/575 · 16 Jan": the name of a spread, short leg first. */
export function spreadName(
  s: { symbol: string; strategy: Strategy; shortStrike: number; longStrike: number; expiration: string },
  now?: number,
): string {
  return `${s.symbol} ${strategyName(s.strategy)} ${strike(s.shortStrike)}/${strike(s.longStrike)} · ${shortDate(s.expiration, now)}`;
}

/** Discord timestamp markup: each reader sees it in their own time zone. */
export function discordTime(ms: number, style: "R" | "t" | "f" | "d" = "R"): string {
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}

export function mention(userId: string | null | undefined): string {
  return userId ? `<@${userId}>` : "someone";
}

export function modeMarker(mode: "paper" | "live"): string {
  return mode === "live" ? "🔴 LIVE · real money" : "🧪 PAPER";
}

/** "profit_target" → "Profit target". */
export function humanize(code: string): string {
  const words = code.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "At Alpaca, not by the bot" → "at Alpaca, not by the bot": inside a sentence, names keep their capitals. */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
