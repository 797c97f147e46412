// GET /sandbox/: the local channel drawn like Discord draws it (dark theme, embeds with their
// colour bar, fields, buttons, "(edited)", ephemeral replies), polled every 1.5 s. Buttons and
// slash commands go to /sandbox/api/interactions, which signs them and calls the real endpoint.
// The side panel says what the sandbox is, moves the simulated market (/sandbox/api/market) and
// runs the monitor and end of day on demand (/sandbox/api/jobs/run). The right-hand panel moves
// the clock (/sandbox/api/clock), shows the broker's book beside the bot's (/sandbox/api/positions)
// and arms the partial-fill fault (/sandbox/api/faults).
// One self-contained page: vanilla JS, no framework, no external assets. Everything the bot or
// the analyst wrote is inserted as text (escaped), never as HTML.
import { EOD_TIME, middayScan } from "../../domain/job-slots";
import { SCRIPT } from "./console-script";
import { STYLE } from "./console-style";

const COMMANDS: { name: string; danger?: boolean }[] = [
  { name: "status" },
  { name: "portfolio" },
  { name: "performance" },
  { name: "playbook" },
  { name: "scan" },
  { name: "halt", danger: true },
  { name: "resume" },
  { name: "help" },
];

const commandButtons = COMMANDS.map(
  (c) =>
    `<button type="button" id="cmd-${c.name}" data-command="${c.name}"${c.danger ? ' class="danger"' : ""}>/${c.name}</button>`,
).join("");

/** One button per slot of the day's schedule (New York times), each run now as its cron would. */
function scheduleButtons(scanTimes: readonly string[]): string {
  const midday = middayScan(scanTimes);
  const scans = scanTimes.map(
    (t) =>
      `<button type="button" class="slot" id="job-scan-${t.replace(":", "")}" data-job="scan" data-slot="${t}"><span>Scan ${t}</span><small>${t === midday ? "new ideas + open positions review" : "new ideas"}</small></button>`,
  );
  return [
    ...scans,
    `<button type="button" class="slot" id="job-monitor" data-job="monitor"><span>Monitor now</span><small>every 5 min in the session</small></button>`,
    `<button type="button" class="slot" id="job-eod" data-job="eod"><span>End of day ${EOD_TIME}</span><small>summary, lessons, rules, backup</small></button>`,
  ].join("");
}

export const consolePage = (scanTimes: readonly string[]) => `<!doctype html>
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
  <p class="intro" id="intro">The real bot, running on this machine against a <b>simulated Alpaca paper market</b> and this <b>local Discord channel</b>. No accounts, no keys, no network: nothing leaves this machine.</p>
  <section class="panel">
    <h2>Try it</h2>
    <ol class="steps">
      <li><b>/scan</b> below: the bot posts trade ideas.</li>
      <li><b>Approve</b> one: a paper order fills in the simulated broker.</li>
      <li>Move the market, then <b>Monitor now</b>: exits are flagged with a Close button.</li>
      <li><b>End of day 16:15</b>: the day's summary and each closed trade's lesson.</li>
      <li><b>To next expiration</b>, then <b>To the open</b>: the broker settles, the bot catches up (see Books).</li>
      <li>A few days of trading: <code>npm run sandbox:days</code>, then <b>/performance</b> and <b>/playbook</b>.</li>
    </ol>
  </section>
  <section class="panel">
    <h2>Click as</h2>
    <select id="as" aria-label="Click as"></select>
    <p class="note">Buttons and commands are sent as this user, signed the way Discord signs them.</p>
  </section>
  <section class="panel" id="market">
    <h2>Simulated market <span class="state" id="market-open">…</span></h2>
    <table class="prices" id="prices" aria-label="Prices and at-the-money implied volatility"></table>
    <div class="row">
      <select id="symbol" aria-label="Symbol to move"></select>
    </div>
    <div class="row moves">
      <button type="button" data-move="-5">−5%</button>
      <button type="button" data-move="-1.5">−1.5%</button>
      <button type="button" data-move="1.5">+1.5%</button>
      <button type="button" data-move="5">+5%</button>
    </div>
    <div class="row">
      <button type="button" data-market='{"open":true}'>Open market</button>
      <button type="button" data-market='{"open":false}'>Close market</button>
    </div>
    <p class="note" id="market-note">Open whatever the wall clock says, until you close it or move the clock (then it keeps NYSE hours).</p>
  </section>
  <section class="panel">
    <h2>Today's schedule <span class="state">New York</span></h2>
    <div class="slots">${scheduleButtons(scanTimes)}</div>
    <p class="note" id="job-note">Deployed, these run on cron (SCAN_TIMES). Here each button runs its slot now; a slot that already ran today says so.</p>
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
<aside class="right">
  <section class="panel" id="clock">
    <h2>Simulated clock</h2>
    <div class="clock-now" id="clock-now"><span class="hm" id="clock-time">…</span><span class="day" id="clock-day"></span></div>
    <button type="button" class="jump" id="jump-15" data-jump="15"><span>+15 min</span><small></small></button>
    <button type="button" class="jump" id="jump-close" data-jump="close"><span>To the close</span><small></small></button>
    <button type="button" class="jump" id="jump-open" data-jump="open"><span>To the open</span><small></small></button>
    <button type="button" class="jump" id="jump-expiry" data-jump="expiry"><span>To next expiration</span><small></small></button>
    <p class="note" id="clock-note">Forward only. After a move in market hours the monitor runs, as its cron would.</p>
  </section>
  <section class="panel" id="books-panel">
    <h2>Books <span class="state" id="books-state">…</span></h2>
    <table class="books" id="books" aria-label="The broker's positions beside the bot's"></table>
    <p class="note" id="books-note">The simulated broker's positions beside the bot's, leg by leg.</p>
  </section>
  <section class="panel" id="fault">
    <h2>Next order</h2>
    <div class="row">
      <select id="fault-share" aria-label="Share of the next order that fills at once">
        <option value="0.2">fills 20%</option>
        <option value="0.4">fills 40%</option>
        <option value="0.6" selected>fills 60%</option>
        <option value="0.8">fills 80%</option>
      </select>
      <button type="button" id="fault-arm">Arm</button>
    </div>
    <p class="note" id="fault-note">A fault: the next order sent fills only in part; the rest rests.</p>
  </section>
</aside>
<div id="toasts"></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
