// The console page's script (vanilla JS, sent as text): polls the channel, draws it, sends
// clicks and commands; the side panels come from console-panel-script (market, jobs),
// console-clock-script (the simulated clock) and console-books-script (both books, the fault).
// No backticks or template placeholders inside: it lives in a template string.
import { BOOKS_SCRIPT } from "./console-books-script";
import { CLOCK_SCRIPT } from "./console-clock-script";
import { PANEL_SCRIPT } from "./console-panel-script";

const CHANNEL_SCRIPT = `
"use strict";
var state = { app: null, last: "", users: {}, busy: false };
var $ = function (id) { return document.getElementById(id); };

function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function esc(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/* "in 30 minutes", "2 days ago": from the simulated clock's now (it may be ahead of the wall clock). */
function relative(ms) {
  var d = Math.round((ms - simNow()) / 1000), a = Math.abs(d), n, u;
  if (a < 45) return d >= 0 ? "in a few seconds" : "a few seconds ago";
  if (a < 3600) { n = Math.round(a / 60); u = "minute"; }
  else if (a < 86400) { n = Math.round(a / 3600); u = "hour"; }
  else { n = Math.round(a / 86400); u = "day"; }
  var s = n + " " + u + (n === 1 ? "" : "s");
  return d >= 0 ? "in " + s : s + " ago";
}

function stamp(ms, style) {
  var date = new Date(ms);
  if (style === "R") return relative(ms);
  if (style === "t") return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (style === "d") return date.toLocaleDateString();
  return date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

function userName(id) {
  return state.users[id] || ("user " + id.slice(-4));
}

/* Discord markdown, the part the bot uses. Input is escaped first: nothing becomes HTML by accident. */
function md(text) {
  var h = esc(text || "");
  h = h.replace(/&lt;t:(\\d+)(?::([tTdDfFR]))?&gt;/g, function (_m, s, style) {
    var ms = Number(s) * 1000;
    return '<span class="ts" data-ts="' + ms + '" data-style="' + (style || "f") + '" title="' + esc(new Date(ms).toLocaleString()) + '">' + esc(stamp(ms, style || "f")) + "</span>";
  });
  h = h.replace(/&lt;@!?(\\d+)&gt;/g, function (_m, id) { return '<span class="mention">@' + esc(userName(id)) + "</span>"; });
  h = h.replace(/\`([^\`]+)\`/g, "<code>$1</code>");
  h = h.replace(/\\*\\*([^*]+)\\*\\*/g, "<b>$1</b>");
  h = h.replace(/(^|\\W)_([^_]+)_(?=\\W|$)/g, "$1<i>$2</i>");
  h = h.replace(/^&gt; (.*)$/gm, "<blockquote>$1</blockquote>");
  return h.replace(/<\\/blockquote>\\n/g, "</blockquote>");
}

function mdEl(tag, cls, text) {
  var e = el(tag, cls);
  e.innerHTML = md(text);
  return e;
}

function color(n) {
  return typeof n === "number" ? "#" + ("000000" + n.toString(16)).slice(-6) : "#1e1f22";
}

function renderEmbed(e) {
  var box = el("div", "embed");
  box.style.borderLeftColor = color(e.color);
  if (e.author && e.author.name) box.appendChild(el("div", "footer", e.author.name));
  if (e.title) box.appendChild(mdEl("div", "title", e.title));
  if (e.description) box.appendChild(mdEl("div", "desc", e.description));
  if (e.fields && e.fields.length) {
    var grid = el("div", "fields");
    e.fields.forEach(function (f) {
      var field = el("div", "field" + (f.inline ? " inline" : ""));
      field.appendChild(mdEl("div", "fname", f.name));
      field.appendChild(mdEl("div", "fvalue", f.value));
      grid.appendChild(field);
    });
    box.appendChild(grid);
  }
  // Only inline images (the local channel keeps attachments as data: URLs); nothing fetched.
  if (e.image && typeof e.image.url === "string" && e.image.url.indexOf("data:image/png;base64,") === 0) {
    var img = el("img", "embed-image");
    img.src = e.image.url;
    img.alt = "chart";
    box.appendChild(img);
  }
  var foot = [];
  if (e.footer && e.footer.text) foot.push(e.footer.text);
  if (e.timestamp) foot.push(new Date(e.timestamp).toLocaleString([], { dateStyle: "short", timeStyle: "short" }));
  if (foot.length) box.appendChild(el("div", "footer", foot.join(" • ")));
  return box;
}

function renderButtons(m) {
  var wrap = el("div");
  (m.components || []).forEach(function (row) {
    if (row.type !== 1) return;
    var line = el("div", "buttons");
    (row.components || []).forEach(function (c) {
      if (c.type !== 2) return;
      var b = el("button", "cbtn s" + (c.style || 2), (c.emoji && c.emoji.name ? c.emoji.name + " " : "") + (c.label || ""));
      b.disabled = !!c.disabled;
      b.dataset.customId = c.custom_id || "";
      b.dataset.messageId = m.id;
      b.addEventListener("click", function () { click(b, m.id, c.custom_id); });
      line.appendChild(b);
    });
    wrap.appendChild(line);
  });
  return wrap;
}

function renderMessage(m) {
  var row = el("div", "msg");
  row.dataset.id = m.id;
  var meta = m.interaction_metadata;
  if (meta && meta.name) row.dataset.command = meta.name;
  if (m.flags & 64) row.classList.add("ephemeral");
  row.appendChild(el("div", "avatar", "SD"));
  var body = el("div", "body");
  if (meta) {
    var reply = el("div", "reply");
    reply.appendChild(document.createTextNode("↱ "));
    reply.appendChild(el("b", "", "@" + ((meta.user && (meta.user.global_name || meta.user.username)) || "someone")));
    if (meta.name) { reply.appendChild(document.createTextNode(" used ")); reply.appendChild(el("span", "cmd", "/" + meta.name)); }
    else reply.appendChild(document.createTextNode(" clicked a button"));
    body.appendChild(reply);
  }
  var head = el("div", "meta");
  head.appendChild(el("span", "author", (m.author && m.author.username) || "spread-desk"));
  head.appendChild(el("span", "app", "APP"));
  head.appendChild(el("span", "time", new Date(m.timestamp).toLocaleString([], { dateStyle: "short", timeStyle: "medium" })));
  body.appendChild(head);
  if (m.flags & 128) body.appendChild(el("div", "thinking", "spread-desk is thinking…"));
  if (m.content) {
    var content = mdEl("div", "content", m.content);
    if (m.edited_timestamp) content.appendChild(el("span", "edited", "(edited)"));
    body.appendChild(content);
  }
  (m.embeds || []).forEach(function (e) { body.appendChild(renderEmbed(e)); });
  if (!m.content && m.edited_timestamp) body.appendChild(el("span", "edited", "(edited)"));
  body.appendChild(renderButtons(m));
  if (m.flags & 64) {
    var who = meta && meta.user ? " (shown to @" + (meta.user.global_name || meta.user.username) + ")" : "";
    body.appendChild(el("div", "only-you", "Only you can see this" + who));
  }
  row.appendChild(body);
  return row;
}

function render(list) {
  var box = $("messages");
  var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  box.textContent = "";
  if (list.length === 0) box.appendChild(emptyChannel());
  list.forEach(function (m) { box.appendChild(renderMessage(m)); });
  if (atBottom || state.forceBottom) box.scrollTop = box.scrollHeight;
  state.forceBottom = false;
}

function emptyChannel() {
  var box = el("div", "empty");
  box.appendChild(el("div", "", "No messages yet. This is the bot's channel: recommendations, fills, exit alerts and the end-of-day summary appear here."));
  var go = el("button", "go", "Run /scan");
  go.type = "button";
  go.id = "empty-scan";
  go.addEventListener("click", function () { command("scan"); });
  box.appendChild(go);
  return box;
}

function poll() {
  return fetch("/sandbox/api/messages", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (text) {
    if (text !== state.last) { state.last = text; render(JSON.parse(text)); loadBooks(); }
  }).catch(function (e) { toast("Could not read the channel: " + e.message, true); });
}

function toast(text, bad) {
  var t = el("div", "toast" + (bad ? " bad" : ""), text);
  $("toasts").appendChild(t);
  setTimeout(function () { t.remove(); }, bad ? 8000 : 4000);
}

function send(payload) {
  payload.user_id = $("as").value;
  return fetch("/sandbox/api/interactions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) })
    .then(function (r) { return r.json().then(function (j) { return { http: r.status, body: j }; }); })
    .then(function (res) {
      var b = res.body;
      if (res.http !== 200) toast("Sandbox refused: " + (b.message || res.http), true);
      else if (b.status !== 200) toast("The bot answered " + b.status + ": " + JSON.stringify(b.response).slice(0, 200), true);
      else if (b.discord_error) toast(b.discord_error, true);
      state.forceBottom = payload.type === "command";
      return poll();
    })
    .catch(function (e) { toast("Request failed: " + e.message, true); });
}

function click(button, messageId, customId) {
  button.disabled = true;
  send({ type: "component", message_id: messageId, custom_id: customId }).then(function () { button.disabled = false; });
}

function command(name, options) {
  return send({ type: "command", name: name, options: options || {} });
}

/* "/halt reason: lunch" → command halt with { reason: "lunch" }. */
function typed(text) {
  var m = /^\\/?([\\w-]+)\\s*(.*)$/.exec(text.trim());
  if (!m) return;
  var options = {}, rest = m[2], re = /([\\w-]+):\\s*/g, hit, keys = [];
  while ((hit = re.exec(rest))) keys.push({ key: hit[1], start: hit.index, end: re.lastIndex });
  keys.forEach(function (k, i) {
    var v = rest.slice(k.end, i + 1 < keys.length ? keys[i + 1].start : rest.length).trim();
    options[k.key] = /^-?\\d+(\\.\\d+)?$/.test(v) ? Number(v) : v === "true" ? true : v === "false" ? false : v;
  });
  return command(m[1], options);
}

function refreshTimes() {
  document.querySelectorAll(".ts[data-style='R']").forEach(function (s) { s.textContent = relative(Number(s.dataset.ts)); });
}

function start() {
  document.querySelectorAll("[data-command]").forEach(function (b) {
    if (b.tagName === "BUTTON") b.addEventListener("click", function () { command(b.dataset.command); });
  });
  $("compose").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var v = $("typed").value;
    $("typed").value = "";
    if (v.trim()) typed(v);
  });
  document.querySelectorAll("[data-market]").forEach(function (b) {
    b.addEventListener("click", function () { market(JSON.parse(b.dataset.market), b.textContent, b); });
  });
  document.querySelectorAll("[data-move]").forEach(function (b) {
    b.addEventListener("click", function () {
      var symbol = $("symbol").value || "SPY";
      market({ symbol: symbol, move_pct: Number(b.dataset.move) }, symbol + " " + b.textContent, b);
    });
  });
  document.querySelectorAll("[data-job]").forEach(function (b) {
    b.addEventListener("click", function () { runJob(b.dataset.job, b, b.dataset.slot); });
  });
  startClock();
  startBooks();
  fetch("/health").then(function (r) { return r.json(); }).then(function (h) {
    var mode = (h && h.mode) || "?";
    $("mode").textContent = String(mode).toUpperCase();
    $("mode").className = "badge " + mode;
  }).catch(function () { $("mode").textContent = "?"; });
  fetch("/sandbox/api/discord").then(function (r) { return r.json(); }).then(function (app) {
    state.app = app;
    state.users[app.allowed_user_id] = "Trader";
    state.users[app.other_user_id] = "Guest";
    $("as").appendChild(new Option("Trader (allowed to approve)", app.allowed_user_id));
    $("as").appendChild(new Option("Guest (not allowed)", app.other_user_id));
    state.forceBottom = true;
    return Promise.all([poll(), refreshPanels()]);
  }).then(function () {
    setInterval(poll, 1500);
    setInterval(refreshPanels, 10000);
    setInterval(refreshTimes, 15000);
    document.body.dataset.ready = "true";
  });
}

`;

export const SCRIPT = `${CHANNEL_SCRIPT}${PANEL_SCRIPT}${CLOCK_SCRIPT}${BOOKS_SCRIPT}\nstart();\n`;
