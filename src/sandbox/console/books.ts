// The books panel: the simulated broker's positions beside the bot's (GET /sandbox/api/positions),
// one row per leg with its signed quantity on each side and ≠ where they disagree; and the
// partial-fill fault for the next order (POST /sandbox/api/faults).
import type { Books, Refusal } from "./api";
import { byId, el, getJson, plural, postJson, reason } from "./dom";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** SPY270115P00580000 → "SPY 580P 15 Jan"; a stock symbol → "SPY shares". */
function legLabel(symbol: string): string {
  const m = /^([A-Z][A-Z0-9.]{0,5})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/.exec(symbol);
  if (!m) return `${symbol} shares`;
  return `${m[1]} ${Number(m[6]) / 1000}${m[5]} ${Number(m[4])} ${MONTHS[Number(m[3]) - 1]}`;
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "0");

interface BookRow {
  symbol: string;
  broker: number;
  bot: number;
  atBroker: boolean;
  inBot: boolean;
}

/** One row per symbol either book holds: the broker's signed qty, the bot's (short leg −, long leg +). */
function bookRows(books: Books): BookRow[] {
  const rows = new Map<string, BookRow>();
  const row = (symbol: string): BookRow => {
    let r = rows.get(symbol);
    if (!r) {
      r = { symbol, broker: 0, bot: 0, atBroker: false, inBot: false };
      rows.set(symbol, r);
    }
    return r;
  };
  for (const p of books.broker ?? []) {
    const r = row(p.symbol);
    r.broker += Number(p.qty);
    r.atBroker = true;
  }
  for (const p of books.bot ?? []) {
    const s = row(p.short_symbol);
    s.bot -= p.contracts;
    s.inBot = true;
    const l = row(p.long_symbol);
    l.bot += p.contracts;
    l.inBot = true;
  }
  return [...rows.keys()].sort().map((k) => row(k));
}

function qtyCell(side: "broker" | "bot", held: boolean, qty: number): HTMLElement {
  const td = el("td", `qty ${side}${held ? "" : " none"}`, held ? signed(qty) : "—");
  td.dataset.qty = String(held ? qty : 0);
  return td;
}

function drawBooks(books: Books | null): void {
  if (!books) return;
  const table = byId("books");
  const rows = bookRows(books);
  let differ = 0;
  table.textContent = "";
  const head = el("tr", "head");
  head.appendChild(el("td", "leg", "Leg"));
  head.appendChild(el("td", "qty", "Broker"));
  head.appendChild(el("td", "qty", "Bot"));
  head.appendChild(el("td", "mark", ""));
  table.appendChild(head);
  for (const r of rows) {
    const same = r.broker === r.bot;
    if (!same) differ++;
    const tr = el("tr", same ? "agree" : "differ");
    tr.dataset.symbol = r.symbol;
    const leg = el("th", "leg", legLabel(r.symbol));
    leg.title = r.symbol;
    tr.appendChild(leg);
    tr.appendChild(qtyCell("broker", r.atBroker, r.broker));
    tr.appendChild(qtyCell("bot", r.inBot, r.bot));
    const mark = el("td", "mark", same ? "=" : "≠");
    mark.title = same ? "The books agree" : "The books disagree";
    tr.appendChild(mark);
    table.appendChild(tr);
  }
  table.hidden = rows.length === 0;
  const badge = byId("books-state");
  badge.textContent = rows.length === 0 ? "EMPTY" : differ ? `${differ} DIFFER` : "AGREE";
  badge.className = `state${rows.length === 0 ? "" : differ ? " differ" : " agree"}`;
  const bot = (books.bot ?? []).length;
  byId("books-note").textContent =
    rows.length === 0
      ? "Both books are empty: approve a recommendation to open a position."
      : differ
        ? `Broker and bot disagree on ${plural(differ, "line")} (≠).`
        : `Broker and bot agree: ${plural(bot, "position")}, ${plural(rows.length, "leg")}.`;
}

export function loadBooks(): Promise<void> {
  return getJson<Books>("/sandbox/api/positions")
    .then(drawBooks)
    .catch(() => {
      /* the next refresh tries again */
    });
}

function armPartialFill(button: HTMLButtonElement): void {
  const share = Number(byId("fault-share", HTMLSelectElement).value);
  const note = byId("fault-note");
  button.disabled = true;
  postJson<{ partial_fill_next_order: number } & Refusal>("/sandbox/api/faults", { partial_fill_next_order: share })
    .then((res) => {
      note.textContent = !res.ok
        ? `Refused: ${res.body.message || res.body.error}`
        : `Armed at ${byId("clock-time").textContent}: the next order fills ${Math.round(res.body.partial_fill_next_order * 100)}% at once (at least 1 contract); the rest rests until canceled or the close.`;
      note.dataset.armed = res.ok ? "true" : "false";
    })
    .catch((e: unknown) => {
      note.textContent = `Request failed: ${reason(e)}`;
    })
    .then(() => {
      button.disabled = false;
    });
}

export function startBooks(): void {
  const arm = byId("fault-arm", HTMLButtonElement);
  arm.addEventListener("click", () => armPartialFill(arm));
}
