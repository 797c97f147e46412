// One underlying's option chain in as few requests as Alpaca allows: the contracts (for open
// interest) at 10,000 a page and the chain snapshots (quotes, greeks, IV) at 1,000 a page,
// fetched side by side with the underlying's price: 2 + ceil(contracts / 1000) requests. SPY (482
// contracts an expiry) costs 3-4 for a 30-45 DTE window, 8 for every expiry out to 70 days.
// Read by side, each of the two sides is paged on its own: ceil(puts / 1000) + ceil(calls / 1000).
// The scan asks for the snapshots alone (`openInterest: false`) and lists only its chosen
// spreads' expiry and side (listedContracts): the listing is as large as the chain. When its
// budget allows, it asks by side (ChainRequest.sides): a put and a call request, each within its
// own strikes, side by side, for about half the bytes of one request across both.
// Snapshots that came without greeks or IV get them computed from their own quote, marked as
// computed (domain/greeks-from-quotes.ts); snapshot keys that are not OCC symbols are skipped, and
// so are adjusted contracts (another root than the underlying's, domain/occ.ts hasStandardRoot)
// and the contracts the request does not select (ChainRequest.select), before they are mapped.
//
// The responses are read raw: the SDK still builds, sends, retries and rate-limits each request
// and maps its errors (its *Raw methods), but the body is parsed by the runtime's JSON.parse and
// read field by field here, instead of by the SDK's lossless-json parser and a model object per
// snapshot with a Date per time. On a chain of thousands of contracts that was most of the bot's
// CPU in a scan (BENCHMARKS.md). Only the fields the bot reads are taken (alpaca-map.ts).
import type { Alpaca, marketData } from "@alpacahq/alpaca-trade-api";
import { withComputedChainGreeks } from "../domain/greeks-from-quotes";
import { hasStandardRoot, type OccParse, type OccParts, occRoot, parseOccSymbol } from "../domain/occ";
import type { ListedContract, ListingRequest } from "../domain/open-interest";
import type { OptionChain, OptionQuote, OptionType, UnderlyingQuote } from "../domain/types";
import { log } from "../log";
import { type ContractFields, num, quoteOf, type SnapshotFields, toOptionQuote } from "./alpaca-map";
import { isRecord, nextToken, rawBody } from "./alpaca-raw";
import { type ChainRequest, RequestBudgetExceeded } from "./port";

export const CONTRACTS_PAGE = 10_000;
export const SNAPSHOTS_PAGE = 1_000;
/** A runaway guard: no real chain window needs more pages than this. */
const MAX_PAGES = 25;

const day = (date: string) => new Date(`${date}T00:00:00Z`);

/** Whether the caller's subrequest budget allows one more request (ChainRequest.maxRequests). */
export type MayFetch = () => boolean;

/** Every page. Before each, `mayFetch` is asked: when it says no, RequestBudgetExceeded is thrown. */
async function allPages<T>(
  fetchPage: (token: string | undefined) => Promise<{ items: T[]; next: string | null | undefined }>,
  mayFetch: MayFetch = () => true,
) {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    if (!mayFetch()) throw new RequestBudgetExceeded("the chain needs more requests than the subrequest budget leaves");
    const page = await fetchPage(token);
    items.push(...page.items);
    if (!page.next || seen.has(page.next)) return items;
    seen.add(page.next);
    token = page.next;
  }
  throw new Error(`more than ${MAX_PAGES} pages: narrow the chain request`);
}

/** A raw `option_contracts` entry (snake_case, as Alpaca sends it) as the fields the chain reads. */
function toContract(raw: unknown): ContractFields | null {
  if (!isRecord(raw) || typeof raw.symbol !== "string") return null;
  return {
    symbol: raw.symbol,
    tradable: raw.tradable === true,
    ...(typeof raw.underlying_symbol === "string" ? { underlyingSymbol: raw.underlying_symbol } : {}),
    strikePrice: raw.strike_price,
    openInterest: raw.open_interest,
  };
}

/** Raw `snapshots` (symbol → snapshot, the names the SDK's model uses too) as entries. */
function snapshotEntries(body: Record<string, unknown>): [string, SnapshotFields][] {
  const snapshots = body.snapshots;
  if (!isRecord(snapshots)) return [];
  return Object.entries(snapshots).filter((e): e is [string, SnapshotFields] => isRecord(e[1]));
}

/** A request's share of the chain: one side or both, within strikes (the SDK's filter names). */
interface ChainSlice {
  type?: OptionType;
  strikePriceGte?: number;
  strikePriceLte?: number;
}

/** What every page request of a chain or listing sends: its slice, the expiry window, the page token. */
type PageFilters = ChainSlice & { expirationDateGte: Date; expirationDateLte: Date; pageToken?: string };

/**
 * The chain as one request across strikeFrom-strikeTo, or as a put and a call one within their
 * own strikes (ChainRequest.sides; strikeFrom and strikeTo are then not sent). A `type` keeps
 * its side only.
 */
function slices(req: ChainRequest & { type?: OptionType }): ChainSlice[] {
  const within = (from: number | undefined, to: number | undefined) => ({
    ...(from === undefined ? {} : { strikePriceGte: from }),
    ...(to === undefined ? {} : { strikePriceLte: to }),
  });
  if (!req.sides)
    return [{ ...(req.type === undefined ? {} : { type: req.type }), ...within(req.strikeFrom, req.strikeTo) }];
  const { put, call } = req.sides;
  const sides: ChainSlice[] = [
    { type: "put", ...within(put.from, put.to) },
    { type: "call", ...within(call.from, call.to) },
  ];
  return sides.filter((slice) => req.type === undefined || slice.type === req.type);
}

/**
 * Every slice's pages, the slices side by side, as one list. Their pages are granted one by one
 * against req.maxRequests, so two sides asking at once cannot both take the last request (the
 * broker counts a request only once it is sent). When a slice fails, the other asks for no more
 * pages, both are let finish, and the first failure is thrown: nothing is left running after it.
 */
async function allSlices<T>(
  req: ChainRequest & { type?: OptionType },
  fetchPage: (filters: PageFilters) => Promise<{ items: T[]; next: string | null | undefined }>,
  mayFetch: MayFetch = () => true,
): Promise<T[]> {
  const window = { expirationDateGte: day(req.expirationFrom), expirationDateLte: day(req.expirationTo) };
  let granted = 0;
  /** The slices' failures, first first. */
  const failures: unknown[] = [];
  const mayAsk = () => {
    if (failures.length > 0 || (req.maxRequests !== undefined && granted >= req.maxRequests) || !mayFetch())
      return false;
    granted++;
    return true;
  };
  const settled = await Promise.allSettled(
    slices(req).map((slice) =>
      allPages((token) => fetchPage({ ...window, ...slice, ...(token ? { pageToken: token } : {}) }), mayAsk).catch(
        (error: unknown) => {
          failures.push(error);
          throw error;
        },
      ),
    ),
  );
  if (failures.length > 0) throw failures[0];
  return settled.flatMap((result) => (result.status === "fulfilled" ? result.value : []));
}

export function listContracts(
  client: Alpaca,
  req: ChainRequest & { type?: OptionType },
  mayFetch?: MayFetch,
): Promise<ContractFields[]> {
  return allSlices(
    req,
    async (filters) => {
      const body = await rawBody(
        await client.trading.assets.getOptionsContractsRaw({
          underlyingSymbols: req.underlying,
          status: "active",
          limit: CONTRACTS_PAGE,
          ...filters,
        }),
        "option contracts",
      );
      const raw = Array.isArray(body.option_contracts) ? body.option_contracts : [];
      const items = raw.map(toContract).filter((c): c is ContractFields => c !== null);
      return { items, next: nextToken(body) };
    },
    mayFetch,
  );
}

/** One expiry and side of the listing, by symbol: the open interest of a scan's chosen legs. */
export async function listedContracts(client: Alpaca, req: ListingRequest): Promise<Map<string, ListedContract>> {
  const contracts = await listContracts(client, {
    underlying: req.underlying,
    expirationFrom: req.expiration,
    expirationTo: req.expiration,
    type: req.type,
    strikeFrom: req.strikeFrom,
    strikeTo: req.strikeTo,
  });
  return new Map(
    contracts.map((c) => [c.symbol, { openInterest: num(c.openInterest), tradable: c.tradable === true }]),
  );
}

export function chainSnapshots(
  client: Alpaca,
  feed: marketData.OptionFeed,
  req: ChainRequest,
  mayFetch?: MayFetch,
): Promise<[string, SnapshotFields][]> {
  return allSlices(
    req,
    async (filters) => {
      const body = await rawBody(
        await client.marketData.options.optionChainRaw({
          underlyingSymbol: req.underlying,
          feed,
          limit: SNAPSHOTS_PAGE,
          ...filters,
        }),
        "option chain",
      );
      return { items: snapshotEntries(body), next: nextToken(body) };
    },
    mayFetch,
  );
}

export async function fetchOptionChain(
  client: Alpaca,
  feed: marketData.OptionFeed,
  req: ChainRequest,
  underlyingQuote: () => Promise<UnderlyingQuote>,
  mayFetch?: MayFetch,
): Promise<OptionChain> {
  const [underlying, contracts, snapshots] = await Promise.all([
    underlyingQuote(),
    req.openInterest === false ? null : listContracts(client, req, mayFetch),
    chainSnapshots(client, feed, req, mayFetch),
  ]);
  const quotes = contracts
    ? listedQuotes(req.underlying, contracts, snapshots, req.select)
    : readQuotes(
        req.underlying,
        snapshots.map(([symbol, snapshot]) => ({ symbol, occ: parseOccSymbol(symbol), snapshot })),
        req.select,
      );
  // Read at the spot's instant: the option quotes are taken beside it. A spot without a time
  // dates only the greeks' time to expiry by the wall clock here; its age stays unknown.
  return withComputedChainGreeks({ underlying, contracts: quotes }, underlying.asOf ?? Date.now());
}

/** The tradable listed contracts the request selects, each with its snapshot (when it has one) and open interest. */
function listedQuotes(
  underlying: string,
  contracts: ContractFields[],
  snapshots: [string, SnapshotFields][],
  select: ChainRequest["select"],
) {
  const bySymbol = new Map(snapshots);
  const entries = contracts
    .filter((contract) => contract.tradable)
    .map((contract) => ({
      symbol: contract.symbol,
      occ: parseOccSymbol(contract.symbol),
      snapshot: bySymbol.get(contract.symbol),
      contract,
    }));
  // Snapshot keys that matched no contract are parsed only to be reported.
  const listed = new Set(contracts.map((c) => c.symbol));
  const unreadable = snapshots
    .map(([symbol]) => symbol)
    .filter((symbol) => !listed.has(symbol) && !parseOccSymbol(symbol).ok);
  return readQuotes(underlying, entries, select, unreadable);
}

/** A chain entry: a symbol, what it parses to, its snapshot and (from the listing) its contract. */
interface ChainEntry {
  symbol: string;
  occ: OccParse;
  snapshot: SnapshotFields | undefined;
  contract?: ContractFields;
}

/**
 * The entries as quotes. Symbols that are not OCC symbols are left out, and so are adjusted
 * contracts (hasStandardRoot) and what the request does not select, before a snapshot is mapped;
 * the unreadable and the adjusted are warned about once a chain.
 */
function readQuotes(
  underlying: string,
  entries: ChainEntry[],
  select: ChainRequest["select"],
  unreadable: string[] = [],
): OptionQuote[] {
  const adjusted: string[] = [];
  const standard: { entry: ChainEntry; occ: OccParts }[] = [];
  for (const entry of entries) {
    if (!entry.occ.ok) unreadable.push(entry.symbol);
    else if (!hasStandardRoot(entry.symbol, underlying)) adjusted.push(entry.symbol);
    else standard.push({ entry, occ: entry.occ.value });
  }
  warnUnreadable(underlying, unreadable);
  warnAdjusted(underlying, adjusted);
  const keep = select?.(standard.map((s) => s.occ));
  const quotes: OptionQuote[] = [];
  for (const { entry, occ } of standard)
    if (!keep || keep(occ)) quotes.push(quoteOf(entry.symbol, occ, entry.snapshot, entry.contract));
  return quotes;
}

/** Adjusted contracts (hasStandardRoot) are left out of the chain; say so once a chain. */
function warnAdjusted(underlying: string, symbols: string[]): void {
  if (symbols.length === 0) return;
  log.warn("option chain: skipped adjusted contracts (another root than the underlying's: a changed deliverable)", {
    underlying,
    count: symbols.length,
    roots: [...new Set(symbols.map(occRoot))],
  });
}

/** Snapshot keys that are not OCC symbols match no contract and are left out; say so once a chain. */
function warnUnreadable(underlying: string, unreadable: string[]): void {
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
      const body = await rawBody(
        await client.marketData.options.optionSnapshotsRaw({
          symbols: batch,
          feed,
          limit: SNAPSHOTS_PAGE,
          ...(pageToken ? { pageToken } : {}),
        }),
        "option snapshots",
      );
      return { items: snapshotEntries(body), next: nextToken(body) };
    });
    for (const [symbol, snapshot] of pages) {
      const quote = toOptionQuote(symbol, snapshot);
      if (quote) out.set(symbol, quote);
    }
  }
  return out;
}
