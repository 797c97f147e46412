// The console's clock panel (vanilla JS, sent as text, joined to console-script's): the one
// simulated clock in New York time (GET /sandbox/api/clock?detail=1) and the fast-forward
// buttons: +15 min, to the next open, to the close, to just after the nearest expiration either
// book holds (POST /sandbox/api/clock, forward only). After a move in market hours the monitor
// runs, as its cron would; then the panels refresh. simNow() is the page's idea of the simulated
// now (relative times in messages count from it). Uses the channel and panel scripts' helpers.
// No backticks or template placeholders inside: it lives in a template string.
export const CLOCK_SCRIPT = `
var clock = { offset: null, ahead: null, busy: false };

function simNow() { return Date.now() + (clock.offset || 0); }

function nyText(ms, parts) {
  var o = { timeZone: "America/New_York", hour12: false };
  Object.keys(parts).forEach(function (k) { o[k] = parts[k]; });
  return new Date(ms).toLocaleString("en-GB", o);
}
function nyDay(ms) { return nyText(ms, { weekday: "short", day: "numeric", month: "short" }); }
function nyTime(ms) { return nyText(ms, { hour: "2-digit", minute: "2-digit" }); }
function nyWhen(ms) { return nyDay(ms) + " " + nyTime(ms); }

function tickClock() {
  if (clock.offset === null) return;
  var now = simNow();
  $("clock-time").textContent = nyTime(now);
  $("clock-day").textContent = nyText(now, { weekday: "short", day: "numeric", month: "short", year: "numeric" }) + " · New York";
  $("jump-15").querySelector("small").textContent = nyTime(now + 15 * 60000);
}

function drawClock(c) {
  if (!c || !c.now) return;
  var moved = clock.offset === null || Math.abs(Date.parse(c.now) - simNow()) > 30000;
  clock.offset = Date.parse(c.now) - Date.now();
  $("clock-now").dataset.now = c.now;
  tickClock();
  if (moved) refreshTimes();
  if (c.next_close) clock.ahead = c;
  var a = clock.ahead;
  if (!a) return;
  $("jump-open").querySelector("small").textContent = nyWhen(Date.parse(a.next_open));
  $("jump-close").querySelector("small").textContent = nyWhen(Date.parse(a.next_close));
  var x = a.next_expiration, expiry = $("jump-expiry");
  expiry.querySelector("small").textContent = x ? nyDay(Date.parse(x.close)) + " · " + x.underlyings.join(", ") : "none held";
  expiry.title = x
    ? "Just after the close of " + x.date + " (" + nyTime(Date.parse(x.close)) + " New York), when the broker settles the options that expire"
    : "Neither book holds an option: nothing expires.";
  expiry.classList.toggle("none", !x);
  setJumpsDisabled(clock.busy);
}

function setJumpsDisabled(busy) {
  document.querySelectorAll("[data-jump]").forEach(function (b) {
    b.disabled = busy || (b.dataset.jump === "expiry" && !(clock.ahead && clock.ahead.next_expiration));
  });
}

function loadClock() {
  return fetch("/sandbox/api/clock?detail=1", { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; })
    .then(drawClock).catch(function () { /* the next refresh tries again */ });
}

function jumpBody(kind) {
  var a = clock.ahead;
  if (kind === "15") return { advance_minutes: 15 };
  if (!a) return null;
  if (kind === "open") return { to: a.next_open };
  if (kind === "close") return { to: a.next_close };
  if (kind === "expiry" && a.next_expiration) return { to: new Date(Date.parse(a.next_expiration.close) + 60000).toISOString() };
  return null;
}

function jump(kind, label) {
  var note = $("clock-note");
  note.textContent = label + "…";
  clock.busy = true;
  setJumpsDisabled(true);
  loadClock().then(function () {
    var body = jumpBody(kind);
    if (!body) { note.textContent = label + ": nothing to move to."; return; }
    return fetch("/sandbox/api/clock", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) { note.textContent = label + " refused: " + (res.body.message || res.body.error); return; }
        var moved = "Now " + nyWhen(Date.parse(res.body.now)) + " New York. ";
        drawClock(res.body);
        if (!res.body.market_open) {
          note.textContent = moved + "Market closed: the monitor runs in market hours (To the open).";
          return refreshPanels();
        }
        note.textContent = moved + "Running the monitor, as its cron would…";
        return runJob("monitor", $("job-monitor")).then(function (text) { note.textContent = moved + text; });
      });
  }).catch(function (e) { note.textContent = label + " failed: " + e.message; })
    .then(function () { clock.busy = false; setJumpsDisabled(false); });
}

function startClock() {
  document.querySelectorAll("[data-jump]").forEach(function (b) {
    b.addEventListener("click", function () { jump(b.dataset.jump, b.querySelector("span").textContent); });
  });
  setInterval(tickClock, 1000);
}
`;
