// The console's script (built to console.js by scripts/build-console.ts; index.html loads it):
// wires the channel, the market, the schedule, the clock and the books panels, draws them once,
// then polls the channel every 1.5 s and the panels every 10 s. body[data-ready] says it is up.
import { startBooks } from "./books";
import { poll, refreshTimes, scrollDownNextDraw, startChannel } from "./channel";
import { startClock } from "./clock";
import { refreshPanels, runMonitor, startSchedule } from "./jobs";
import { startMarket } from "./market";

function start(): void {
  startMarket();
  startClock({ runMonitor, refreshPanels });
  startBooks();
  Promise.all([startChannel(), startSchedule()])
    .then(() => {
      scrollDownNextDraw();
      return Promise.all([poll(), refreshPanels()]);
    })
    .then(() => {
      setInterval(poll, 1500);
      setInterval(refreshPanels, 10000);
      setInterval(refreshTimes, 15000);
      document.body.dataset.ready = "true";
    });
}

start();
