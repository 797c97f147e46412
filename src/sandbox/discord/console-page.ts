// GET /sandbox/: the local channel drawn like Discord draws it (dark theme, embeds with their
// colour bar, fields, buttons, "(edited)", ephemeral replies), polled every 1.5 s. Buttons and
// slash commands go to /sandbox/api/interactions, which signs them and calls the real endpoint.
// One self-contained page: vanilla JS, no framework, no external assets. Everything the bot or
// the analyst wrote is inserted as text (escaped), never as HTML.
const STYLE = `
:root { --bg: #313338; --side: #2b2d31; --deep: #1e1f22; --text: #dbdee1; --muted: #949ba4; --head: #f2f3f5;
  --blurple: #5865f2; --green: #248046; --red: #da373c; --grey: #4e5058; --embed: #2b2d31; --link: #00a8fc; }
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { background: var(--bg); color: var(--text); display: flex; font: 15px/1.375 "gg sans", "Noto Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; }
button { font: inherit; cursor: pointer; }
aside { width: 260px; flex: none; background: var(--side); display: flex; flex-direction: column; overflow-y: auto; }
aside h1 { font-size: 15px; color: var(--head); margin: 0; padding: 14px 16px; border-bottom: 1px solid var(--deep); }
.channel { margin: 10px 8px 4px; padding: 6px 8px; border-radius: 4px; background: #404249; color: var(--head); font-weight: 600; }
.channel::before { content: "# "; color: var(--muted); }
.panel { margin: 14px 12px 0; }
.panel h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .02em; color: var(--muted); margin: 0 0 6px; }
.panel select, .panel button { width: 100%; margin: 2px 0; padding: 6px 8px; border-radius: 4px; border: 0; background: var(--deep); color: var(--text); }
.panel .row { display: flex; gap: 6px; }
.panel .row button { flex: 1; }
.panel button:hover { background: #35373c; }
.note { font-size: 12px; color: var(--muted); margin: 6px 0 0; min-height: 16px; }
main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
header { height: 48px; flex: none; display: flex; align-items: center; gap: 10px; padding: 0 16px; border-bottom: 1px solid var(--deep); box-shadow: 0 1px 0 rgba(4,4,5,.2); }
header .name { color: var(--head); font-weight: 600; }
header .name::before { content: "# "; color: var(--muted); }
header .topic { color: var(--muted); font-size: 13px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.badge { font-size: 11px; font-weight: 700; padding: 1px 6px; border-radius: 4px; background: var(--grey); color: #fff; }
.badge.paper { background: #23a559; } .badge.live { background: var(--red); }
#messages { flex: 1; overflow-y: auto; padding: 12px 0 16px; }
.empty { color: var(--muted); text-align: center; margin-top: 30vh; }
.msg { display: flex; gap: 14px; padding: 6px 16px 6px 16px; margin-top: 10px; }
.msg:hover { background: #2e3035; }
.msg.ephemeral { background: rgba(88,101,242,.07); }
.avatar { width: 40px; height: 40px; flex: none; border-radius: 50%; background: var(--blurple); color: #fff; display: grid; place-items: center; font-weight: 700; font-size: 14px; margin-top: 2px; }
.body { min-width: 0; flex: 1; }
.reply { font-size: 13px; color: var(--muted); margin-bottom: 2px; }
.reply b { color: var(--text); font-weight: 500; }
.reply .cmd { color: var(--link); }
.meta { display: flex; align-items: baseline; gap: 6px; }
.author { color: var(--head); font-weight: 500; }
.app { font-size: 10px; font-weight: 600; background: var(--blurple); color: #fff; padding: 0 4px; border-radius: 3px; line-height: 15px; }
.time { font-size: 12px; color: var(--muted); }
.content { white-space: pre-wrap; word-wrap: break-word; }
.edited { font-size: 10px; color: var(--muted); margin-left: 4px; }
.thinking { color: var(--muted); font-style: italic; }
.embed { max-width: 520px; margin-top: 6px; background: var(--embed); border-left: 4px solid #1e1f22; border-radius: 4px; padding: 8px 16px 12px 12px; }
.embed .title { color: var(--head); font-weight: 600; margin-top: 4px; }
.embed .desc { margin-top: 6px; font-size: 14px; white-space: pre-wrap; word-wrap: break-word; }
.fields { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px 12px; margin-top: 8px; }
.field { grid-column: 1 / -1; font-size: 14px; min-width: 0; }
.field.inline { grid-column: auto; }
.field .fname { color: var(--head); font-weight: 600; margin-bottom: 2px; }
.field .fvalue { white-space: pre-wrap; word-wrap: break-word; }
.footer { margin-top: 8px; font-size: 12px; color: var(--muted); }
.buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.cbtn { border: 0; border-radius: 4px; color: #fff; padding: 4px 16px; min-height: 32px; font-size: 14px; font-weight: 500; }
.cbtn.s1 { background: var(--blurple); } .cbtn.s2 { background: var(--grey); } .cbtn.s3 { background: var(--green); } .cbtn.s4 { background: var(--red); } .cbtn.s5 { background: var(--grey); }
.cbtn:hover { filter: brightness(1.1); }
.cbtn:disabled { opacity: .5; cursor: not-allowed; }
.only-you { font-size: 12px; color: var(--muted); margin-top: 4px; }
.only-you::before { content: "👁 "; }
.mention { background: rgba(88,101,242,.3); color: #c9cdfb; border-radius: 3px; padding: 0 2px; }
.ts { background: rgba(255,255,255,.06); border-radius: 3px; padding: 0 2px; }
code { background: var(--deep); border-radius: 3px; padding: 0 3px; font-size: 85%; }
blockquote { margin: 2px 0; padding-left: 10px; border-left: 4px solid var(--grey); }
footer.compose { flex: none; padding: 8px 16px 20px; border-top: 1px solid rgba(0,0,0,.15); }
.commands { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; }
.commands button { border: 0; border-radius: 4px; padding: 4px 10px; background: #3f4147; color: var(--text); font-weight: 600; }
.commands button:hover { background: var(--blurple); color: #fff; }
.commands button.danger:hover { background: var(--red); }
.input { display: flex; background: #383a40; border-radius: 8px; padding: 0 6px 0 14px; align-items: center; }
.input input { flex: 1; background: none; border: 0; outline: 0; color: var(--text); font: inherit; padding: 11px 0; }
.input button { background: none; border: 0; color: var(--muted); padding: 6px 10px; }
#toasts { position: fixed; right: 16px; bottom: 96px; display: flex; flex-direction: column; gap: 6px; max-width: 380px; }
.toast { background: var(--deep); border-left: 4px solid var(--blurple); padding: 8px 12px; border-radius: 4px; font-size: 13px; box-shadow: 0 4px 12px rgba(0,0,0,.4); }
.toast.bad { border-color: var(--red); }
@media (max-width: 760px) { body { flex-direction: column; } aside { width: auto; max-height: 40vh; } .fields { grid-template-columns: minmax(0, 1fr); } }
`;

const SCRIPT = `
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

function relative(ms) {
  var d = Math.round((ms - Date.now()) / 1000), a = Math.abs(d), n, u;
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
  if (list.length === 0) box.appendChild(el("div", "empty", "No messages yet. Try /help, or /scan to get recommendations."));
  list.forEach(function (m) { box.appendChild(renderMessage(m)); });
  if (atBottom || state.forceBottom) box.scrollTop = box.scrollHeight;
  state.forceBottom = false;
}

function poll() {
  return fetch("/sandbox/api/messages", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (text) {
    if (text !== state.last) { state.last = text; render(JSON.parse(text)); }
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

function market(payload, label) {
  $("market-note").textContent = label + "…";
  fetch("/sandbox/api/market", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) })
    .then(function (r) {
      if (r.status === 404) { $("market-note").textContent = "Market controls are not available in this build."; return; }
      return r.text().then(function (t) { $("market-note").textContent = r.ok ? label + ": done" : label + " failed: " + t.slice(0, 120); });
    })
    .catch(function (e) { $("market-note").textContent = "Market request failed: " + e.message; });
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
    b.addEventListener("click", function () { market(JSON.parse(b.dataset.market), b.textContent); });
  });
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
    return poll();
  }).then(function () {
    setInterval(poll, 1500);
    setInterval(refreshTimes, 15000);
    document.body.dataset.ready = "true";
  });
}

start();
`;

const COMMANDS: { name: string; danger?: boolean }[] = [
  { name: "status" },
  { name: "portfolio" },
  { name: "scan" },
  { name: "halt", danger: true },
  { name: "resume" },
  { name: "help" },
];

const commandButtons = COMMANDS.map(
  (c) =>
    `<button type="button" id="cmd-${c.name}" data-command="${c.name}"${c.danger ? ' class="danger"' : ""}>/${c.name}</button>`,
).join("");

export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title># trading-desk · spread-desk sandbox</title>
<style>${STYLE}</style>
</head>
<body>
<aside>
  <h1>spread-desk sandbox</h1>
  <div class="channel">trading-desk</div>
  <section class="panel">
    <h2>Click as</h2>
    <select id="as" aria-label="Click as"></select>
    <p class="note">Buttons and commands are sent as this user, signed like Discord signs them.</p>
  </section>
  <section class="panel">
    <h2>Simulated market</h2>
    <div class="row">
      <button type="button" data-market='{"symbol":"SPY","move_pct":-1.5}'>SPY −1.5%</button>
      <button type="button" data-market='{"symbol":"SPY","move_pct":1.5}'>SPY +1.5%</button>
    </div>
    <div class="row">
      <button type="button" data-market='{"open":true}'>Open market</button>
      <button type="button" data-market='{"open":false}'>Close market</button>
    </div>
    <p class="note" id="market-note"></p>
  </section>
  <section class="panel">
    <h2>Tips</h2>
    <p class="note">/scan posts recommendations now. Approve places a paper order in the simulated broker. Type options like <code>/halt reason: lunch</code>.</p>
  </section>
</aside>
<main>
  <header>
    <span class="name">trading-desk</span>
    <span class="badge" id="mode">…</span>
    <span class="topic">Local Discord: the bot's real messages, sent to a simulated channel. Nothing leaves this machine.</span>
  </header>
  <div id="messages" aria-live="polite"></div>
  <footer class="compose">
    <div class="commands">${commandButtons}</div>
    <form class="input" id="compose">
      <input id="typed" autocomplete="off" placeholder="Message #trading-desk — type a command, e.g. /status or /halt reason: news">
      <button type="submit">Send</button>
    </form>
  </footer>
</main>
<div id="toasts"></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
