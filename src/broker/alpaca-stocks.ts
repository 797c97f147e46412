// The underlyings' prices from Alpaca's stock snapshots, read raw (alpaca-raw.ts): every scan
// asks for its whole watchlist's, and the SDK's own path parsed them with lossless-json into
// model objects for the four numbers read here.
import type { Alpaca, marketData } from "@alpacahq/alpaca-trade-api";
import type { UnderlyingQuote } from "../domain/types";
import { ms, num } from "./alpaca-map";
import { isRecord, rawBody } from "./alpaca-raw";

/** The stock feed the prices come from (alpaca-broker.ts picks it beside the options feed). */
export type StockFeed = marketData.StockLatestFeed;

/** A raw stock snapshot's price: the last trade, or the quote's mid without one; null without either. */
function toUnderlyingQuote(symbol: string, snapshot: unknown): UnderlyingQuote | null {
  const quote = isRecord(snapshot) && isRecord(snapshot.latestQuote) ? snapshot.latestQuote : {};
  const trade = isRecord(snapshot) && isRecord(snapshot.latestTrade) ? snapshot.latestTrade : {};
  const bid = num(quote.bp);
  const ask = num(quote.ap);
  const last = num(trade.p);
  const mid = bid !== null && ask !== null && ask > 0 ? (bid + ask) / 2 : null;
  const price = last ?? mid;
  if (price === null || price <= 0) return null;
  return { symbol, price, bid, ask, asOf: ms(trade.t) ?? ms(quote.t) };
}

/** One underlying's price, or null when Alpaca has none. */
export async function stockQuote(client: Alpaca, feed: StockFeed, symbol: string): Promise<UnderlyingQuote | null> {
  const body = await rawBody(await client.marketData.stocks.stockSnapshotSingleRaw({ symbol, feed }), "stock snapshot");
  return toUnderlyingQuote(symbol, body);
}

/** The prices of the given underlyings in one request (symbol → snapshot); those without one are left out. */
export async function stockQuotes(
  client: Alpaca,
  feed: StockFeed,
  symbols: string[],
): Promise<Map<string, UnderlyingQuote>> {
  const body = await rawBody(
    await client.marketData.stocks.stockSnapshotsRaw({ symbols: symbols.join(","), feed }),
    "stock snapshots",
  );
  const out = new Map<string, UnderlyingQuote>();
  for (const symbol of symbols) {
    const quote = toUnderlyingQuote(symbol, body[symbol]);
    if (quote) out.set(symbol, quote);
  }
  return out;
}
