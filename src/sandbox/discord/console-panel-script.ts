// The console's side panel (vanilla JS, sent as text, joined to console-script's): the simulated
// market's prices, IV and moves (/sandbox/api/market), and the monitor and end of day run on
// demand (/sandbox/api/jobs/run); refreshPanels redraws every panel (market, clock, books) after
// an action. Uses the channel script's helpers ($, el, state, poll).
// No backticks or template placeholders inside: it lives in a template string.
export const PANEL_SCRIPT = `
var money = function (x) { return "$" + Number(x).toFixed(2); };

function drawMarket(m) {
  if (!m || !m.prices) return;
  var open = $("market-open");
  open.textContent = m.open ? "OPEN" : "CLOSED";
  open.className = "state " + (m.open ? "open" : "closed");
  var table = $("prices");
  table.textContent = "";
  var head = el("tr");
  head.appendChild(el("th", "", ""));
  head.appendChild(el("td", "iv", "price"));
  head.appendChild(el("td", "iv", "ATM IV"));
  table.appendChild(head);
  var pick = $("symbol"), chosen = pick.value;
  pick.textContent = "";
  Object.keys(m.prices).forEach(function (sym) {
    var tr = el("tr");
    tr.dataset.symbol = sym;
    tr.appendChild(el("th", "", sym));
    tr.appendChild(el("td", "price", money(m.prices[sym])));
    var iv = m.iv && typeof m.iv[sym] === "number" ? (m.iv[sym] * 100).toFixed(1) + "%" : "";
    tr.appendChild(el("td", "iv", iv));
    table.appendChild(tr);
    pick.appendChild(new Option("Move " + sym, sym));
  });
  if (chosen && m.prices[chosen] !== undefined) pick.value = chosen;
}

function loadMarket() {
  return fetch("/sandbox/api/market", { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; })
    .then(drawMarket).catch(function () { /* the next refresh tries again */ });
}

function market(payload, label, button) {
  $("market-note").textContent = label + "…";
  if (button) button.disabled = true;
  fetch("/sandbox/api/market", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) })
    .then(function (r) {
      if (r.status === 404) { $("market-note").textContent = "Market controls are not available in this build."; return; }
      return r.json().then(function (m) {
        if (!r.ok) { $("market-note").textContent = label + " failed: " + (m.message || r.status); return; }
        drawMarket(m);
        $("market-note").textContent = payload.symbol
          ? label + " → " + money(m.prices[payload.symbol]) + ". Run the monitor to see what it does to open positions."
          : "The market is now " + (m.open ? "open" : "closed") + ".";
      });
    })
    .catch(function (e) { $("market-note").textContent = "Market request failed: " + e.message; })
    .then(function () { if (button) button.disabled = false; });
}

function plural(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }

var JOB_LABELS = { monitor: "Monitor", eod: "End of day", scan: "Scan" };

function jobSummary(job, s) {
  if (!s) return "";
  if (job === "monitor") {
    var parts = [plural(s.marked, "open position") + " checked", plural(s.exitAlerts, "exit alert") + " posted"];
    if (s.closed) parts.push(plural(s.closed, "position") + " closed");
    if (s.settledAtExpiry && s.settledAtExpiry.length) parts.push(plural(s.settledAtExpiry.length, "position") + " booked at expiry");
    if (s.expired) parts.push(plural(s.expired, "recommendation") + " expired");
    if (s.errors && s.errors.length) parts.push("errors: " + s.errors.join("; "));
    return parts.join(", ") + ".";
  }
  if (job === "eod") return s.posted ? "summary posted in the channel." : "nothing posted" + (s.reason ? " (" + s.reason + ")" : "") + ".";
  if (job === "eod" && s.posted) return "summary posted in the channel" + (s.reviewed ? ": " + plural(s.reviewed, "trade") + " reviewed" : "") + (s.rulesProposed ? ", " + plural(s.rulesProposed, "rule") + " proposed" : "") + ".";
  if (job === "scan") return plural(s.posted ? s.posted.length : 0, "recommendation") + " posted.";
  return "";
}

function refreshPanels() {
  return Promise.all([loadMarket(), loadClock(), loadBooks()]);
}

/* Runs a job; resolves to what the job note then says. */
function runJob(job, button, slot) {
  var label = (JOB_LABELS[job] || job) + (slot ? " " + slot : "");
  $("job-note").textContent = label + ": running…";
  button.disabled = true;
  var body = slot ? { job: job, slot: slot } : { job: job };
  return fetch("/sandbox/api/jobs/run", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
    .then(function (res) {
      var b = res.body;
      var text = !res.ok ? label + " could not run: " + (b.message || b.error)
        : b.outcome === "ran" ? label + " ran: " + jobSummary(job, b.summary)
        : b.outcome === "skipped" ? label + " skipped: " + b.reason + "."
        : label + " failed: " + b.reason;
      $("job-note").textContent = text;
      $("job-note").dataset.outcome = b.outcome || "error";
      state.forceBottom = true;
      return Promise.all([poll(), refreshPanels()]);
    })
    .catch(function (e) { $("job-note").textContent = label + " request failed: " + e.message; })
    .then(function () { button.disabled = false; return $("job-note").textContent; });
}

`;
