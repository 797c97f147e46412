// The clock panel: the one simulated clock in New York time (GET /sandbox/api/clock?detail=1)
// and the fast-forward buttons: +15 min, to the next open, to the close, to just after the
// nearest expiration either book holds (POST /sandbox/api/clock, forward only). After a move in
// market hours the monitor runs, as its cron would; then the panels refresh.
import { newYorkParts } from "../../domain/market-time";
import type { Clock, Refusal } from "./api";
import { refreshTimes } from "./channel";
import { byId, getJson, inside, postJson, reason } from "./dom";
import { clockOffset, setClockOffset, simNow } from "./sim-time";

/** What a move of the clock sets off: the monitor (resolves to what it reported) and a redraw. */
export interface AfterMove {
  runMonitor: () => Promise<string>;
  refreshPanels: () => Promise<unknown>;
}

const clock: { ahead: Clock | null; busy: boolean; after: AfterMove | null } = {
  ahead: null,
  busy: false,
  after: null,
};

// New York time from the domain's one clock (the bot's own), not a second formatter here.
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Mon 30 Nov", with the year when asked: "Mon 30 Nov 2026". */
function nyDay(ms: number, withYear = false): string {
  const { date, weekday } = newYorkParts(ms);
  const [year, month, day] = date.split("-").map(Number);
  return `${WEEKDAYS[weekday]} ${day} ${MONTHS[(month ?? 1) - 1]}${withYear ? ` ${year}` : ""}`;
}
const nyTime = (ms: number) => newYorkParts(ms).time;
const nyWhen = (ms: number) => `${nyDay(ms)} ${nyTime(ms)}`;

const small = (id: string) => inside(byId(id), "small");

function tickClock(): void {
  if (clockOffset() === null) return;
  const now = simNow();
  byId("clock-time").textContent = nyTime(now);
  byId("clock-day").textContent = `${nyDay(now, true)} · New York`;
  small("jump-15").textContent = nyTime(now + 15 * 60000);
}

function drawClock(c: Clock | null): void {
  if (!c?.now) return;
  const moved = clockOffset() === null || Math.abs(Date.parse(c.now) - simNow()) > 30000;
  setClockOffset(Date.parse(c.now) - Date.now());
  byId("clock-now").dataset.now = c.now;
  tickClock();
  if (moved) refreshTimes();
  if (c.next_close) clock.ahead = c;
  const a = clock.ahead;
  if (!a) return;
  small("jump-open").textContent = nyWhen(Date.parse(a.next_open ?? ""));
  small("jump-close").textContent = nyWhen(Date.parse(a.next_close ?? ""));
  const x = a.next_expiration;
  const expiry = byId("jump-expiry");
  small("jump-expiry").textContent = x ? `${nyDay(Date.parse(x.close))} · ${x.underlyings.join(", ")}` : "none held";
  expiry.title = x
    ? `Just after the close of ${x.date} (${nyTime(Date.parse(x.close))} New York), when the broker settles the options that expire`
    : "Neither book holds an option: nothing expires.";
  expiry.classList.toggle("none", !x);
  setJumpsDisabled(clock.busy);
}

function setJumpsDisabled(busy: boolean): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-jump]")) {
    b.disabled = busy || (b.dataset.jump === "expiry" && !clock.ahead?.next_expiration);
  }
}

export function loadClock(): Promise<void> {
  return getJson<Clock>("/sandbox/api/clock?detail=1")
    .then(drawClock)
    .catch(() => {
      /* the next refresh tries again */
    });
}

function jumpBody(kind: string): { advance_minutes: number } | { to: string } | null {
  const a = clock.ahead;
  if (kind === "15") return { advance_minutes: 15 };
  if (!a) return null;
  if (kind === "open" && a.next_open) return { to: a.next_open };
  if (kind === "close" && a.next_close) return { to: a.next_close };
  if (kind === "expiry" && a.next_expiration) {
    return { to: new Date(Date.parse(a.next_expiration.close) + 60000).toISOString() };
  }
  return null;
}

function jump(kind: string, label: string): void {
  const note = byId("clock-note");
  note.textContent = `${label}…`;
  clock.busy = true;
  setJumpsDisabled(true);
  loadClock()
    .then(() => {
      const body = jumpBody(kind);
      if (!body) {
        note.textContent = `${label}: nothing to move to.`;
        return;
      }
      return postJson<Clock & Refusal>("/sandbox/api/clock", body).then((res) => {
        if (!res.ok) {
          note.textContent = `${label} refused: ${res.body.message || res.body.error}`;
          return;
        }
        const moved = `Now ${nyWhen(Date.parse(res.body.now))} New York. `;
        drawClock(res.body);
        if (!res.body.market_open) {
          note.textContent = `${moved}Market closed: the monitor runs in market hours (To the open).`;
          return clock.after?.refreshPanels();
        }
        note.textContent = `${moved}Running the monitor, as its cron would…`;
        return clock.after?.runMonitor().then((text) => {
          note.textContent = moved + text;
        });
      });
    })
    .catch((e: unknown) => {
      note.textContent = `${label} failed: ${reason(e)}`;
    })
    .then(() => {
      clock.busy = false;
      setJumpsDisabled(false);
    });
}

export function startClock(after: AfterMove): void {
  clock.after = after;
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-jump]")) {
    b.addEventListener("click", () => jump(b.dataset.jump ?? "", inside(b, "span").textContent));
  }
  setInterval(tickClock, 1000);
}
