// One underlying's option chain in as few requests as Alpaca allows: the contracts (for open
// interest) at 10,000 a page and the chain snapshots (quotes, greeks, IV) at 1,000 a page,
// fetched side by side with the underlying's price: 2 + ceil(contracts / 1000) requests. SPY (482
// contracts an expiry) costs 3-4 for a 30-45 DTE window, 8 for every expiry out to 70 days.
// Snapshots that came without greeks or IV get them computed from their own quote, marked as
// computed (domain/greeks-from-quotes.ts); snapshot keys that are not OCC symbols are skipped.
import type { Alpaca, marketData, trading } from "@alpacahq/alpaca-trade-api";
import { withComputedChainGreeks } from "../domain/greeks-from-quotes";
import { parseOccSymbol } from "../domain/occ";
import type { OptionChain, OptionQuote, UnderlyingQuote } from "../domain/types";
import { log } from "../log";
import { toOptionQuote } from "./alpaca-map";
import type { ChainRequest } from "./port";

export const CONTRACTS_PAGE = 10_000;
export const SNAPSHOTS_PAGE = 1_000;
/** A runaway guard: no real chain window needs more pages than this. */
const MAX_PAGES = 25;

const day = (date: string) => new Date(`${date}T00:00:00Z`);

async function allPages<T>(
  fetchPage: (token: string | undefined) => Promise<{ items: T[]; next: string | null | undefined }>,
) {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await fetchPage(token);
    items.push(...page.items);
    if (!page.next || seen.has(page.next)) return items;
    seen.add(page.next);
    token = page.next;
  }
  throw new Error(`more than ${MAX_PAGES} pages: narrow the chain request`);
}

export function listContracts(client: Alpaca, req: ChainRequest): Promise<trading.OptionContract[]> {
  return allPages(async (pageToken) => {
    const r = await client.trading.assets.getOptionsContracts({
      underlyingSymbols: req.underlying,
      status: "active",
      expirationDateGte: day(req.expirationFrom),
      expirationDateLte: day(req.expirationTo),
      ...(req.strikeFrom === undefined ? {} : { strikePriceGte: req.strikeFrom }),
      ...(req.strikeTo === undefined ? {} : { strikePriceLte: req.strikeTo }),
      limit: CONTRACTS_PAGE,
      ...(pageToken ? { pageToken } : {}),
    });
    return { items: r.optionContracts, next: r.nextPageToken };
  });
}

export function chainSnapshots(
  client: Alpaca,
  feed: marketData.OptionFeed,
  req: ChainRequest,
): Promise<[string, marketData.OptionSnapshot][]> {
  return allPages(async (pageToken) => {
    const r = await client.marketData.options.optionChain({
      underlyingSymbol: req.underlying,
      feed,
      limit: SNAPSHOTS_PAGE,
      expirationDateGte: day(req.expirationFrom),
      expirationDateLte: day(req.expirationTo),
      ...(req.strikeFrom === undefined ? {} : { strikePriceGte: req.strikeFrom }),
      ...(req.strikeTo === undefined ? {} : { strikePriceLte: req.strikeTo }),
      ...(pageToken ? { pageToken } : {}),
    });
    return { items: Object.entries(r.snapshots ?? {}), next: r.nextPageToken };
  });
}

export async function fetchOptionChain(
  client: Alpaca,
  feed: marketData.OptionFeed,
  req: ChainRequest,
  underlyingQuote: () => Promise<UnderlyingQuote>,
): Promise<OptionChain> {
  const [underlying, contracts, snapshots] = await Promise.all([
    underlyingQuote(),
    listContracts(client, req),
    chainSnapshots(client, feed, req),
  ]);
  const bySymbol = new Map(snapshots);
  const quotes: OptionQuote[] = [];
  for (const contract of contracts) {
    if (!contract.tradable) continue;
    const quote = toOptionQuote(contract.symbol, bySymbol.get(contract.symbol), contract);
    if (quote) quotes.push(quote);
  }
  warnUnreadable(req.underlying, snapshots);
  // Read at the spot's instant: the option quotes are taken beside it. A spot without a time
  // dates only the greeks' time to expiry by the wall clock here; its age stays unknown.
  return withComputedChainGreeks({ underlying, contracts: quotes }, underlying.asOf ?? Date.now());
}

/** Snapshot keys that are not OCC symbols match no contract and are left out; say so once a chain. */
function warnUnreadable(underlying: string, snapshots: [string, unknown][]): void {
  const unreadable = snapshots.map(([symbol]) => symbol).filter((symbol) => !parseOccSymbol(symbol).ok);
  if (unreadable.length === 0) return;
  log.warn("option chain: skipped snapshots whose symbol is not an OCC symbol", {
    underlying,
    count: unreadable.length,
    examples: unreadable.slice(0, 3),
  });
}

/** Current snapshots of the given contracts, 100 symbols a request (Alpaca's limit). */
export async function symbolSnapshots(
  client: Alpaca,
  feed: marketData.OptionFeed,
  symbols: string[],
): Promise<Map<string, OptionQuote>> {
  const out = new Map<string, OptionQuote>();
  const unique = [...new Set(symbols)];
  for (let i = 0; i < unique.length; i += 100) {
    const batch = unique.slice(i, i + 100).join(",");
    const pages = await allPages(async (pageToken) => {
      const r = await client.marketData.options.optionSnapshots({
        symbols: batch,
        feed,
        limit: SNAPSHOTS_PAGE,
        ...(pageToken ? { pageToken } : {}),
      });
      return { items: Object.entries(r.snapshots ?? {}), next: r.nextPageToken };
    });
    for (const [symbol, snapshot] of pages) {
      const quote = toOptionQuote(symbol, snapshot);
      if (quote) out.set(symbol, quote);
    }
  }
  return out;
}
