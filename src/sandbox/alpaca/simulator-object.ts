// The simulated Alpaca: one Durable Object ("market") so its prices, orders and positions are one
// consistent state every request of the sandbox sees, persisted in the object's storage.
// Alpaca's REST paths are answered by api-routes.ts; /control/* is the knob panel for tests
// and the sandbox routes (reset, faults, market moves, the order list, the request log).
import { DurableObject } from "cloudflare:workers";
import { isRegularSession, tradingDay, utcInstant } from "../../domain/market-time";
import { parseOccSymbol } from "../../domain/occ";
import { closeSpreadOrder } from "../../domain/orders";
import { errorFields, log } from "../../log";
import { handleApi } from "./api-routes";
import {
  type Book,
  emptyBook,
  fillMarketable,
  isMarketable,
  isOpenStatus,
  type QuoteOf,
  settlePendingCancels,
  upgradeBook,
} from "./book";
import { expirations, quoteContract, type SimQuote, stockQuote, strikes } from "./chain";
import { type ClockInput, parseClockInput, type SimClock, START_CLOCK, simulatedNow } from "./clock";
import { type DividendOverrides, DividendsInput } from "./dividends";
import { afterFailure, type Faults, FaultsInput, mergeFaults, NO_FAULTS, takeFailure } from "./faults";
import { assignEarly, dayOrderEnd, expireDayOrders, settleExpirations } from "./lifecycle";
import {
  initialMarket,
  isTicker,
  type MarketState,
  moveByPercent,
  moveToPrice,
  NAMED_TICKERS,
  spotPrice,
} from "./market";
import { parseMarketInput } from "./market-input";
import { droppedConnection } from "./network-failure";
import { type AlpacaFailure, REJECTIONS } from "./order-request";
import { atmVolatility, dailyIvHistory } from "./volatility-path";
import { orderJson, positionJson } from "./wire";

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
}

interface State {
  market: MarketState;
  book: Book;
  faults: Faults;
  createdAt: number;
  /** Tests can stop the simulated clock, so prices do not move between two requests. */
  frozenAt?: number | null;
  /** The sandbox's one clock (GET|POST /sandbox/api/clock): the bot reads it too. */
  clock?: SimClock;
  /** Ex-dividend dates set by POST /control/dividends (absent: the default schedule, dividends.ts). */
  dividends?: DividendOverrides;
}

const MAX_LOG = 1000;

/** What every contract of one underlying shares at one instant. */
interface Listing {
  expirations: ReadonlySet<string>;
  strikes: ReadonlySet<number>;
  spot: number;
  atmVol: number;
}
const WATCHED = NAMED_TICKERS;
const json = (body: unknown, status = 200, headers: HeadersInit = {}) =>
  status === 204 ? new Response(null, { status }) : Response.json(body, { status, headers });

export class AlpacaSimulator extends DurableObject<Env> {
  private state: State = fresh();
  /** Rows logged since the log was last cut back to MAX_LOG. */
  private loggedSinceTrim = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      // The requests made of the API, for the tests: a row each, apart from the state. Kept in the
      // state, every request stored the whole state and up to a thousand entries again (a tenth
      // of the test suite's simulator time).
      ctx.storage.sql.exec(
        "CREATE TABLE IF NOT EXISTS requests (seq INTEGER PRIMARY KEY AUTOINCREMENT, method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL)",
      );
      this.trimRequestLog(); // an object evicted before its thousandth request never trimmed it
      // A state stored before the log left it may still hold one: dropped.
      const stored = await ctx.storage.get<State & { requests?: unknown }>("state");
      if (stored) {
        const { requests: _dropped, ...state } = stored;
        this.state = { ...state, book: upgradeBook(stored.book) };
      }
    });
  }

  /** Requests change the state one at a time, like Alpaca's order book. */
  private queue: Promise<unknown> = Promise.resolve();

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/control/")) return this.serially(() => this.control(request, url));
    return this.api(request, url);
  }

  /**
   * A Durable Object interleaves requests at every await that is not storage I/O (reading a
   * request body is one): two order POSTs could each copy the book and the second write would
   * drop the first order. Running each request's work in turn keeps every order.
   */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private now(): number {
    return simulatedNow(this.state.clock ?? START_CLOCK, this.state.frozenAt ?? null, Date.now());
  }

  /**
   * Open when the market is not switched off and, once the clock has been moved, inside an NYSE
   * session. Until then the sandbox market is open whatever the wall clock says.
   */
  private isOpen(now: number): boolean {
    if (!this.state.market.open) return false;
    return !(this.state.clock ?? START_CLOCK).moved || isRegularSession(now);
  }

  /** Applies what time did since the last request: day orders ended, expirations settled. */
  private catchUp(now: number): void {
    const s = this.state;
    if ((s.clock ?? START_CLOCK).moved) this.fillInSessionsPassed(now);
    let book = s.book;
    if ((s.clock ?? START_CLOCK).moved) book = expireDayOrders(book, now);
    book = settleExpirations(
      book,
      now,
      (underlying, at) => spotPrice(s.market, underlying, at),
      () => crypto.randomUUID(),
    );
    s.book = book;
  }

  private logRequest({ method, path, query }: RequestRecord): void {
    const { sql } = this.ctx.storage;
    sql.exec("INSERT INTO requests (method, path, query) VALUES (?, ?, ?)", method, path, query);
    if (++this.loggedSinceTrim >= MAX_LOG) this.trimRequestLog();
  }

  private clearRequestLog(): void {
    this.ctx.storage.sql.exec("DELETE FROM requests");
    this.loggedSinceTrim = 0;
  }

  private trimRequestLog(): void {
    this.ctx.storage.sql.exec("DELETE FROM requests WHERE seq <= (SELECT MAX(seq) FROM requests) - ?", MAX_LOG);
    this.loggedSinceTrim = 0;
  }

  /** The last MAX_LOG requests, oldest first. */
  private loggedRequests(): RequestRecord[] {
    return this.ctx.storage.sql
      .exec<{ method: string; path: string; query: string }>(
        "SELECT method, path, query FROM requests ORDER BY seq DESC LIMIT ?",
        MAX_LOG,
      )
      .toArray()
      .reverse();
  }

  private async save(): Promise<void> {
    await this.ctx.storage.put("state", this.state);
  }

  /**
   * Quotes at one instant, each symbol priced once. What every contract of an underlying shares
   * (its listed expirations and strikes, spot, ATM IV) is worked out once too: a chain request
   * quotes a thousand contracts, and recomputing the expiration calendar for each was most of
   * the simulator's time in a scan.
   */
  private quoteOf(now: number): QuoteOf {
    const cache = new Map<string, SimQuote | null>();
    const listings = new Map<string, Listing>();
    const listing = (underlying: string): Listing => {
      let found = listings.get(underlying);
      if (!found) {
        const { seed } = this.state.market;
        found = {
          expirations: new Set(expirations(underlying, now)),
          strikes: new Set(strikes(underlying, seed)),
          spot: spotPrice(this.state.market, underlying, now),
          atmVol: atmVolatility(underlying, seed, this.state.createdAt, now),
        };
        listings.set(underlying, found);
      }
      return found;
    };
    return (symbol) => {
      if (!cache.has(symbol)) cache.set(symbol, this.quoteNow(symbol, now, listing));
      return cache.get(symbol) ?? null;
    };
  }

  private quoteNow(symbol: string, now: number, listing: (underlying: string) => Listing): SimQuote | null {
    const occ = parseOccSymbol(symbol);
    if (!occ.ok) return isTicker(symbol) ? stockQuote(spotPrice(this.state.market, symbol, now)) : null;
    const { underlying, expiration, strike } = occ.value;
    const listed = listing(underlying);
    if (!listed.expirations.has(expiration) || !listed.strikes.has(strike)) return null;
    return quoteContract({ ...occ.value, symbol }, listed.spot, now, this.state.market.seed, listed.atmVol);
  }

  /**
   * A day order whose session the clock jumped over had that session to fill in: it fills at
   * the session's open (or when it was sent, if later) when it was marketable then.
   */
  private fillInSessionsPassed(now: number): void {
    if (!this.state.market.open) return;
    for (const order of this.state.book.orders) {
      if (!isOpenStatus(order.status)) continue;
      const end = dayOrderEnd(order.submittedAt);
      if (end > now) continue;
      const at = Math.max(utcInstant(tradingDay(end), "09:30"), order.submittedAt);
      const quoteOf = this.quoteOf(at);
      if (at < end && isMarketable(order, quoteOf, this.state.faults.fills_only_beyond_mid ?? 0))
        this.state.book = fillMarketable(this.state.book, order, quoteOf, at);
    }
  }

  /** Resting orders that became marketable (the market moved, or it opened) fill now. */
  private matchRestingOrders(now: number, quoteOf: QuoteOf): boolean {
    this.catchUp(now);
    if (!this.isOpen(now)) return false;
    // Orders sent while the market was closed are routed at the open: accepted becomes new.
    const book = this.state.book;
    if (book.orders.some((o) => o.status === "accepted"))
      this.state.book = {
        ...book,
        orders: book.orders.map((o) => (o.status === "accepted" ? { ...o, status: "new", updatedAt: now } : o)),
      };
    let changed = false;
    for (const order of this.state.book.orders) {
      if (isOpenStatus(order.status) && isMarketable(order, quoteOf, this.state.faults.fills_only_beyond_mid ?? 0)) {
        this.state.book = fillMarketable(this.state.book, order, quoteOf, now);
        changed = true;
      }
    }
    return changed;
  }

  /** Latency delays the answer, not the work: a slow reply to an order POST still places it. */
  private async api(request: Request, url: URL): Promise<Response> {
    const latency = this.state.faults.latency_ms;
    const answer = await this.serially(() => this.answerAndStore(request, url)).then(
      (response) => ({ response, error: null }),
      (error: unknown) => ({ response: null, error }),
    );
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (answer.response) return answer.response;
    throw answer.error;
  }

  /** Answers one API request, and stores the state when it changed the book or the faults. */
  private async answerAndStore(request: Request, url: URL): Promise<Response> {
    const before = { book: this.state.book, faults: this.state.faults };
    try {
      return await this.answer(request, url);
    } finally {
      await this.storeIfChanged(before);
    }
  }

  /**
   * Stores the state when the book or the faults are no longer the ones `before` holds: reads
   * (quotes, chains, the account, most requests) change neither, and write nothing.
   */
  private async storeIfChanged(before: Pick<State, "book" | "faults">): Promise<void> {
    if (this.state.book !== before.book || this.state.faults !== before.faults) await this.save();
  }

  private async answer(request: Request, url: URL): Promise<Response> {
    const s = this.state;
    this.logRequest({ method: request.method, path: url.pathname, query: url.search });
    if (s.faults.unauthorized) {
      return json({ code: 40110000, message: "request is not authorized" }, 401);
    }
    if (!request.headers.get("APCA-API-KEY-ID") || !request.headers.get("APCA-API-SECRET-KEY")) {
      return json({ code: 40110000, message: "request is not authorized" }, 401);
    }
    const failure = takeFailure(s.faults, request.method, url.pathname);
    if (failure) {
      s.faults = afterFailure(s.faults);
      const headers: Record<string, string> =
        failure.status === 429 ? { "Retry-After": String(failure.retryAfter) } : {};
      const message = failure.status === 429 ? "too many requests." : "internal server error";
      return json({ code: failure.status * 100_000, message }, failure.status, headers);
    }
    const now = this.now();
    const quoteOf = this.quoteOf(now);
    this.matchRestingOrders(now, quoteOf);
    const isOrderPost = request.method === "POST" && url.pathname === "/v2/orders";
    const rejection = isOrderPost ? this.takeRejection() : null;
    const holdOrder = isOrderPost && s.faults.no_fill_next_order;
    if (holdOrder) s.faults = { ...s.faults, no_fill_next_order: false };
    const partialFill = isOrderPost ? s.faults.partial_fill_next_order : null;
    if (partialFill !== null) s.faults = { ...s.faults, partial_fill_next_order: null };
    s.book = settlePendingCancels(s.book, quoteOf, now);
    const isCancel = request.method === "DELETE" && url.pathname.startsWith("/v2/orders/");
    const slowCancel = isCancel ? s.faults.pending_cancel_next_cancel : null;
    if (slowCancel) s.faults = { ...s.faults, pending_cancel_next_cancel: null };
    const result = await handleApi(
      {
        now,
        open: this.isOpen(now),
        market: s.market,
        book: s.book,
        createdAt: s.createdAt,
        pageCap: s.faults.page_cap,
        // A state stored before the knob existed has none: level 3, as a paper account starts.
        optionsLevel: s.faults.options_level ?? 3,
        quoteOf,
        spot: (symbol) => spotPrice(s.market, symbol, now),
        dividends: s.dividends ?? {},
        rejection,
        holdOrder,
        partialFill,
        beyondMid: s.faults.fills_only_beyond_mid ?? 0,
        // A state stored before these knobs existed has neither: quotes dated now.
        quoteTimes: {
          optionAgeMs: (s.faults.quote_age_seconds ?? 0) * 1000,
          withoutTime: s.faults.quotes_without_time ?? false,
        },
        oddChainEntries: s.faults.odd_chain_entries ?? false,
        slowCancel,
      },
      request,
      url,
    );
    if (result.book) s.book = result.book;
    if (isOrderPost && result.status === 200 && s.faults.lose_next_order_response) {
      s.faults = { ...s.faults, lose_next_order_response: false };
      // The order is stored; the caller never learns it, as when a connection drops mid-response.
      return droppedConnection("simulated network failure: the order response was lost");
    }
    if (isOrderPost && s.faults.garble_next_order_response) {
      s.faults = { ...s.faults, garble_next_order_response: false };
      // The status arrives, the body is cut short: the caller cannot read what Alpaca did.
      const text = JSON.stringify(result.body);
      const headers = { "content-type": "application/json" };
      return new Response(text.slice(0, Math.floor(text.length / 2)), { status: result.status, headers });
    }
    return json(result.body, result.status, { "X-Request-ID": crypto.randomUUID() });
  }

  private takeRejection(): AlpacaFailure | null {
    const r = this.state.faults.reject_next_order;
    if (!r) return null;
    this.state.faults = { ...this.state.faults, reject_next_order: null };
    return typeof r === "string" ? REJECTIONS[r] : r;
  }

  private async control(request: Request, url: URL): Promise<Response> {
    const route = `${request.method} ${url.pathname}`;
    const now = this.now();
    switch (route) {
      case "POST /control/reset": {
        const body = await readJson(request);
        if (!body.ok) return badRequest(body.message);
        const v = body.value;
        const seed = typeof v === "object" && v !== null && "seed" in v ? Number(v.seed) : undefined;
        this.state = fresh(Number.isInteger(seed) ? seed : undefined);
        this.clearRequestLog();
        await this.save();
        return json({ ok: true, seed: this.state.market.seed });
      }
      case "GET /control/clock":
        return json(this.clockView(now));
      case "POST /control/clock": {
        const body = await readJson(request);
        if (!body.ok) return badRequest(body.message);
        const parsed = parseClockInput(body.value);
        if (!parsed.ok) return badRequest(parsed.message);
        const moved = this.moveClock(parsed.value, now);
        if (!moved.ok) return badRequest(moved.message);
        const after = this.now();
        this.matchRestingOrders(after, this.quoteOf(after));
        await this.save();
        return json(this.clockView(after));
      }
      case "GET /control/faults":
        return json(this.state.faults);
      case "DELETE /control/faults":
        this.state.faults = NO_FAULTS;
        await this.save();
        return json(this.state.faults);
      case "POST /control/faults": {
        const body = await readJson(request);
        if (!body.ok) return badRequest(body.message);
        const parsed = FaultsInput.safeParse(body.value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return badRequest(`${issue?.path.join(".") ?? ""}: ${issue?.message ?? "bad faults"}`);
        }
        this.state.faults = mergeFaults(this.state.faults, parsed.data);
        await this.save();
        return json(this.state.faults);
      }
      case "GET /control/dividends":
        return json(this.state.dividends ?? {});
      case "POST /control/dividends": {
        const body = await readJson(request);
        if (!body.ok) return badRequest(body.message);
        const parsed = DividendsInput.safeParse(body.value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return badRequest(`${issue?.path.join(".") ?? ""}: ${issue?.message ?? "bad dividends"}`);
        }
        const { symbol, ex_dates, rate } = parsed.data;
        this.state.dividends = { ...this.state.dividends, [symbol]: ex_dates.map((exDate) => ({ exDate, rate })) };
        await this.save();
        return json(this.state.dividends);
      }
      case "GET /control/market":
        return json(this.marketView(now));
      case "POST /control/market": {
        const body = await readJson(request);
        return body.ok ? this.moveMarket(body.value, now) : badRequest(body.message);
      }
      case "GET /control/orders": {
        const before = { book: this.state.book, faults: this.state.faults };
        this.matchRestingOrders(now, this.quoteOf(now));
        await this.storeIfChanged(before);
        return json([...this.state.book.orders].sort((a, b) => b.submittedAt - a.submittedAt).map(orderJson));
      }
      case "GET /control/positions": {
        const before = { book: this.state.book, faults: this.state.faults };
        const quoteOf = this.quoteOf(now);
        this.matchRestingOrders(now, quoteOf);
        await this.storeIfChanged(before);
        const mark = (symbol: string) =>
          isTicker(symbol) ? spotPrice(this.state.market, symbol, now) : (quoteOf(symbol)?.mid ?? null);
        return json(this.state.book.positions.map((p) => positionJson(p, mark(p.symbol))));
      }
      case "GET /control/iv-history":
        return this.ivHistory(url);
      case "GET /control/requests":
        return json(this.loggedRequests());
      case "DELETE /control/requests":
        this.clearRequestLog();
        return json([]);
      default:
        return json({ error: "not_found", message: `simulator: no control route ${route}` }, 404);
    }
  }

  private clockView(now: number) {
    const clock = this.state.clock ?? START_CLOCK;
    return {
      now: new Date(now).toISOString(),
      market_open: this.isOpen(now),
      moved: clock.moved,
      offset_ms: clock.offsetMs,
      frozen_at: this.state.frozenAt ?? null,
    };
  }

  /**
   * Moves the clock: forward only (a ledger cannot un-happen). `freeze_at` (tests) stops it at
   * an instant without making it "moved"; advancing a frozen clock moves the frozen instant.
   */
  private moveClock(input: ClockInput, now: number): { ok: true } | { ok: false; message: string } {
    const clock = this.state.clock ?? START_CLOCK;
    if ("freeze_at" in input) {
      this.state.frozenAt = input.freeze_at;
      return { ok: true };
    }
    if ("pin_at" in input) {
      // The world starts there too: its swings of IV are measured from its start (volatility-path.ts).
      this.state.clock = { offsetMs: input.pin_at - Date.now(), moved: false };
      this.state.frozenAt = input.pin_at;
      this.state.createdAt = input.pin_at;
      return { ok: true };
    }
    const target = "to" in input ? input.to : now + input.advance_minutes * 60_000;
    if (target < now)
      return { ok: false, message: `the clock only moves forward: it is ${new Date(now).toISOString()}` };
    const step = target - now;
    if (this.state.frozenAt !== null && this.state.frozenAt !== undefined) this.state.frozenAt += step;
    this.state.clock = { offsetMs: clock.offsetMs + step, moved: true };
    return { ok: true };
  }

  private async moveMarket(body: unknown, now: number): Promise<Response> {
    const parsed = parseMarketInput(body);
    if (!parsed.ok) return badRequest(parsed.message);
    const { symbol, move_pct, price, open, assign, close_by_hand, close_leg_by_hand, contracts } = parsed.value;
    if (close_by_hand !== undefined) return this.closeByHand(close_by_hand, contracts, now);
    if (close_leg_by_hand !== undefined) return this.closeLegByHand(close_leg_by_hand, contracts, now);
    if (assign !== undefined) {
      const assigned = assignEarly(this.state.book, assign, now, () => crypto.randomUUID(), contracts);
      if (!assigned.ok) return badRequest(assigned.message);
      this.state.book = assigned.book;
      await this.save();
      log.info("simulated early assignment", { symbol: assign });
      return json(this.marketView(now));
    }
    let market = this.state.market;
    if (symbol !== undefined && move_pct !== undefined) market = moveByPercent(market, symbol, move_pct);
    if (symbol !== undefined && price !== undefined) market = moveToPrice(market, symbol, price, now);
    if (open !== undefined) market = { ...market, open };
    this.state.market = market;
    this.matchRestingOrders(now, this.quoteOf(now));
    await this.save();
    log.info("simulated market moved", { symbol, move_pct, price, open });
    return json(this.marketView(now, symbol));
  }

  /**
   * A person closes the spread with this short leg at Alpaca's page, outside the bot: one
   * multi-leg order at the natural (marketable), sent through the API as any client sends it,
   * under a client order id that is not the bot's. Answers the order as Alpaca does.
   */
  private async closeByHand(shortSymbol: string, contracts: number | undefined, now: number): Promise<Response> {
    const { positions, orders } = this.state.book;
    const short = positions.find((p) => p.symbol === shortSymbol && p.qty < 0);
    if (!short) return badRequest(`close_by_hand: the account is not short ${shortSymbol}`);
    // Its long leg: the other leg of the order that sold it to open.
    const opening = orders.find(
      (o) => o.filledQty > 0 && o.legs.some((l) => l.symbol === shortSymbol && l.side === "sell"),
    );
    const longSymbol = opening?.legs.find((l) => l.symbol !== shortSymbol)?.symbol;
    const long = positions.find((p) => p.symbol === longSymbol && p.qty > 0);
    if (!longSymbol || !long) return badRequest(`close_by_hand: no long leg is held beside ${shortSymbol}`);
    const quoteOf = this.quoteOf(now);
    const natural = (quoteOf(shortSymbol)?.ask ?? 0) - (quoteOf(longSymbol)?.bid ?? 0);
    const order = closeSpreadOrder({
      shortSymbol,
      longSymbol,
      contracts: Math.min(contracts ?? Number.POSITIVE_INFINITY, -short.qty, long.qty),
      limitDebit: Math.max(natural, 0.01),
      clientOrderId: `web-${crypto.randomUUID().slice(0, 8)}`,
    });
    log.info("simulated close by hand at Alpaca", { shortSymbol, longSymbol, qty: order.qty });
    return this.answerAsAlpacaPage(order);
  }

  /**
   * A person closes one leg alone at Alpaca's page: a short one bought back at its ask, a long
   * one sold at its bid, in one simple limit order. Answers the order as Alpaca does.
   */
  private async closeLegByHand(symbol: string, contracts: number | undefined, now: number): Promise<Response> {
    const held = this.state.book.positions.find((p) => p.symbol === symbol && p.qty !== 0);
    if (!held) return badRequest(`close_leg_by_hand: the account holds no ${symbol}`);
    const quote = this.quoteOf(now)(symbol);
    if (!quote) return badRequest(`close_leg_by_hand: ${symbol} has no quote`);
    const side = held.qty < 0 ? "buy" : "sell";
    const limit = side === "buy" ? Math.ceil(quote.ask * 100) / 100 : Math.floor(quote.bid * 100) / 100;
    log.info("simulated close of one leg by hand at Alpaca", { symbol, side });
    return this.answerAsAlpacaPage({
      symbol,
      qty: String(Math.min(contracts ?? Number.POSITIVE_INFINITY, Math.abs(held.qty))),
      side,
      type: "limit",
      time_in_force: "day",
      limit_price: Math.max(limit, 0.01).toFixed(2),
      client_order_id: `web-${crypto.randomUUID().slice(0, 8)}`,
    });
  }

  /** An order sent through the simulated API as Alpaca's own page sends it (not the bot's keys or ids). */
  private answerAsAlpacaPage(order: object): Promise<Response> {
    const url = new URL("http://alpaca.simulator/v2/orders");
    const request = new Request(url, {
      method: "POST",
      headers: { "APCA-API-KEY-ID": "sandbox", "APCA-API-SECRET-KEY": "sandbox", "content-type": "application/json" },
      body: JSON.stringify(order),
    });
    return this.answerAndStore(request, url);
  }

  /** ?symbols=SPY,QQQ&before=YYYY-MM-DD&days=252: the daily ATM IV the quotes' model had. */
  private ivHistory(url: URL): Response {
    const q = url.searchParams;
    const symbols = (q.get("symbols") ?? "").split(",").filter(isTicker);
    const before = q.get("before") ?? "";
    const days = Number(q.get("days") ?? 252);
    if (
      symbols.length === 0 ||
      !/^\d{4}-\d{2}-\d{2}$/.test(before) ||
      !Number.isInteger(days) ||
      days < 1 ||
      days > 1000
    )
      return badRequest("needs symbols=A,B, before=YYYY-MM-DD and days between 1 and 1000");
    const { seed } = this.state.market;
    const history = Object.fromEntries(
      symbols.map((s) => [s, dailyIvHistory(s, seed, this.state.createdAt, before, days)]),
    );
    return json({ history });
  }

  private marketView(now: number, symbol?: string) {
    const m = this.state.market;
    const symbols = [...new Set([...WATCHED, ...Object.keys(m.factors), ...(symbol ? [symbol] : [])])];
    return {
      open: this.isOpen(now),
      seed: m.seed,
      as_of: new Date(now).toISOString(),
      prices: Object.fromEntries(symbols.map((s) => [s, spotPrice(m, s, now)])),
      /** At-the-money implied volatility now, as the chains quote it. */
      iv: Object.fromEntries(
        symbols.map((s) => [s, Math.round(atmVolatility(s, m.seed, this.state.createdAt, now) * 10_000) / 10_000]),
      ),
    };
  }
}

function fresh(seed?: number): State {
  return {
    market: initialMarket(seed),
    book: emptyBook(),
    faults: NO_FAULTS,
    createdAt: Date.now(),
    clock: START_CLOCK,
  };
}

type Body = { ok: true; value: unknown } | { ok: false; message: string };

async function readJson(request: Request): Promise<Body> {
  const text = await request.text();
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    log.warn("simulator: control body is not JSON", errorFields(error));
    return { ok: false, message: "the body must be JSON" };
  }
}

const badRequest = (message: string) => json({ error: "bad_request", message }, 400);
