// Today's schedule: one button per slot (GET /sandbox/api/schedule: the SCAN_TIMES scans, the
// monitor, the end of day), each running its job now, as its cron would (POST /sandbox/api/jobs/run).
// refreshPanels redraws every panel (market, clock, books) after an action.
import type { JobRun, JobSummary, Schedule } from "./api";
import { loadBooks } from "./books";
import { poll, scrollDownNextDraw } from "./channel";
import { loadClock } from "./clock";
import { byId, el, plural, postJson, reason } from "./dom";
import { loadMarket } from "./market";

export function refreshPanels(): Promise<unknown> {
  return Promise.all([loadMarket(), loadClock(), loadBooks()]);
}

type Job = "scan" | "monitor" | "eod";
const JOB_LABELS: Record<Job, string> = { monitor: "Monitor", eod: "End of day", scan: "Scan" };

function jobSummary(job: Job, s: JobSummary | undefined): string {
  if (!s) return "";
  if (job === "monitor") {
    const parts = [
      `${plural(s.marked ?? 0, "open position")} checked`,
      `${plural(s.exitAlerts ?? 0, "exit alert")} posted`,
    ];
    if (s.closed) parts.push(`${plural(s.closed, "position")} closed`);
    if (s.settledAtExpiry?.length) parts.push(`${plural(s.settledAtExpiry.length, "position")} booked at expiry`);
    if (s.expired) parts.push(`${plural(s.expired, "recommendation")} expired`);
    if (s.errors?.length) parts.push(`errors: ${s.errors.join("; ")}`);
    return `${parts.join(", ")}.`;
  }
  if (job === "eod")
    return s.posted ? "summary posted in the channel." : `nothing posted${s.reason ? ` (${s.reason})` : ""}.`;
  return `${plural(Array.isArray(s.posted) ? s.posted.length : 0, "recommendation")} posted.`;
}

/** Runs a job; resolves to what the job note then says. */
export function runJob(job: Job, button: HTMLButtonElement, slot?: string): Promise<string> {
  const label = JOB_LABELS[job] + (slot ? ` ${slot}` : "");
  const note = byId("job-note");
  note.textContent = `${label}: running…`;
  button.disabled = true;
  return postJson<JobRun>("/sandbox/api/jobs/run", slot ? { job, slot } : { job })
    .then((res) => {
      const b = res.body;
      note.textContent = !res.ok
        ? `${label} could not run: ${b.message || b.error}`
        : b.outcome === "ran"
          ? `${label} ran: ${jobSummary(job, b.summary)}`
          : b.outcome === "skipped"
            ? `${label} skipped: ${b.reason}.`
            : `${label} failed: ${b.reason}`;
      note.dataset.outcome = b.outcome || "error";
      scrollDownNextDraw();
      return Promise.all([poll(), refreshPanels()]);
    })
    .catch((e: unknown) => {
      note.textContent = `${label} request failed: ${reason(e)}`;
    })
    .then(() => {
      button.disabled = false;
      return note.textContent;
    });
}

/** The monitor's slot button: the clock panel runs the monitor after a move, as its cron would. */
export const runMonitor = () => runJob("monitor", byId("job-monitor", HTMLButtonElement));

function slotButton(id: string, title: string, detail: string, run: (b: HTMLButtonElement) => unknown) {
  const b = el("button", "slot");
  b.type = "button";
  b.id = id;
  b.appendChild(el("span", "", title));
  b.appendChild(el("small", "", detail));
  b.addEventListener("click", () => run(b));
  return b;
}

/** One button per slot of the day's schedule (New York times), each run now as its cron would. */
function drawSchedule(s: Schedule): void {
  const slots = byId("slots");
  slots.textContent = "";
  for (const t of s.scan_times) {
    const detail = t === s.midday_scan ? "new ideas + open positions review" : "new ideas";
    const b = slotButton(`job-scan-${t.replace(":", "")}`, `Scan ${t}`, detail, (self) => runJob("scan", self, t));
    b.dataset.job = "scan";
    b.dataset.slot = t;
    slots.appendChild(b);
  }
  const monitor = slotButton("job-monitor", "Monitor now", "every 5 min in the session", (self) =>
    runJob("monitor", self),
  );
  monitor.dataset.job = "monitor";
  slots.appendChild(monitor);
  const eod = slotButton("job-eod", `End of day ${s.eod_time}`, "summary, lessons, rules, backup", (self) =>
    runJob("eod", self),
  );
  eod.dataset.job = "eod";
  slots.appendChild(eod);
}

export function startSchedule(): Promise<void> {
  return fetch("/sandbox/api/schedule", { cache: "no-store" })
    .then((r) => r.json() as Promise<Schedule>)
    .then(drawSchedule)
    .catch((e: unknown) => {
      byId("job-note").textContent = `Could not read the schedule: ${reason(e)}`;
    });
}
