// GET /sandbox/: the local channel drawn like Discord draws it (dark theme, embeds with their
// colour bar, fields, buttons, "(edited)", ephemeral replies), polled every 1.5 s. Buttons and
// slash commands go to /sandbox/api/interactions, which signs them and calls the real endpoint.
// One self-contained page: vanilla JS, no framework, no external assets. Everything the bot or
// the analyst wrote is inserted as text (escaped), never as HTML.
import { SCRIPT } from "./console-script";
import { STYLE } from "./console-style";

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
