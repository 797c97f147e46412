// The console's books panel (vanilla JS, sent as text, joined to console-script's): the
// simulated broker's positions beside the bot's (GET /sandbox/api/positions), one row per leg
// with its signed quantity on each side and ≠ where they disagree; and the partial-fill fault
// for the next order (POST /sandbox/api/faults). Uses the channel script's helpers ($, el).
// No backticks or template placeholders inside: it lives in a template string.
export const BOOKS_SCRIPT = `
var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/* SPY270115P00580000 → "SPY 580P 15 Jan"; a stock symbol → "SPY shares". */
function legLabel(symbol) {
  var m = /^([A-Z][A-Z0-9.]{0,5})(\\d{2})(\\d{2})(\\d{2})([CP])(\\d{8})$/.exec(symbol);
  if (!m) return symbol + " shares";
  return m[1] + " " + Number(m[6]) / 1000 + m[5] + " " + Number(m[4]) + " " + MONTHS[Number(m[3]) - 1];
}

function signed(n) { return n > 0 ? "+" + n : n < 0 ? "−" + -n : "0"; }

/* One row per symbol either book holds: the broker's signed qty, the bot's (short leg −, long leg +). */
function bookRows(books) {
  var rows = {};
  function row(symbol) {
    if (!rows[symbol]) rows[symbol] = { symbol: symbol, broker: 0, bot: 0, atBroker: false, inBot: false };
    return rows[symbol];
  }
  (books.broker || []).forEach(function (p) { var r = row(p.symbol); r.broker += Number(p.qty); r.atBroker = true; });
  (books.bot || []).forEach(function (p) {
    var s = row(p.short_symbol), l = row(p.long_symbol);
    s.bot -= p.contracts; s.inBot = true;
    l.bot += p.contracts; l.inBot = true;
  });
  return Object.keys(rows).sort().map(function (k) { return rows[k]; });
}

function qtyCell(side, held, qty) {
  var td = el("td", "qty " + side + (held ? "" : " none"), held ? signed(qty) : "—");
  td.dataset.qty = String(held ? qty : 0);
  return td;
}

function drawBooks(books) {
  if (!books) return;
  var table = $("books"), rows = bookRows(books), differ = 0;
  table.textContent = "";
  var head = el("tr", "head");
  head.appendChild(el("td", "leg", "Leg"));
  head.appendChild(el("td", "qty", "Broker"));
  head.appendChild(el("td", "qty", "Bot"));
  head.appendChild(el("td", "mark", ""));
  table.appendChild(head);
  rows.forEach(function (r) {
    var same = r.broker === r.bot;
    if (!same) differ++;
    var tr = el("tr", same ? "agree" : "differ");
    tr.dataset.symbol = r.symbol;
    var leg = el("th", "leg", legLabel(r.symbol));
    leg.title = r.symbol;
    tr.appendChild(leg);
    tr.appendChild(qtyCell("broker", r.atBroker, r.broker));
    tr.appendChild(qtyCell("bot", r.inBot, r.bot));
    var mark = el("td", "mark", same ? "=" : "≠");
    mark.title = same ? "The books agree" : "The books disagree";
    tr.appendChild(mark);
    table.appendChild(tr);
  });
  table.hidden = rows.length === 0;
  var badge = $("books-state");
  badge.textContent = rows.length === 0 ? "EMPTY" : differ ? differ + " DIFFER" : "AGREE";
  badge.className = "state" + (rows.length === 0 ? "" : differ ? " differ" : " agree");
  var bot = (books.bot || []).length;
  $("books-note").textContent = rows.length === 0
    ? "Both books are empty: approve a recommendation to open a position."
    : differ
      ? "Broker and bot disagree on " + plural(differ, "line") + " (≠)."
      : "Broker and bot agree: " + plural(bot, "position") + ", " + plural(rows.length, "leg") + ".";
}

function loadBooks() {
  return fetch("/sandbox/api/positions", { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; })
    .then(drawBooks).catch(function () { /* the next refresh tries again */ });
}

function armPartialFill(button) {
  var share = Number($("fault-share").value), note = $("fault-note");
  button.disabled = true;
  fetch("/sandbox/api/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ partial_fill_next_order: share }) })
    .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
    .then(function (res) {
      note.textContent = !res.ok ? "Refused: " + (res.body.message || res.body.error)
        : "Armed at " + $("clock-time").textContent + ": the next order fills " + Math.round(res.body.partial_fill_next_order * 100) +
          "% at once (at least 1 contract); the rest rests until canceled or the close.";
      note.dataset.armed = res.ok ? "true" : "false";
    })
    .catch(function (e) { note.textContent = "Request failed: " + e.message; })
    .then(function () { button.disabled = false; });
}

function startBooks() {
  $("fault-arm").addEventListener("click", function () { armPartialFill($("fault-arm")); });
}
`;
