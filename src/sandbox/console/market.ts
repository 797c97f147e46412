// The simulated market panel: prices and at-the-money IV per watchlist symbol, open or closed
// (GET /sandbox/api/market), and the buttons that move a price or open and close the market
// (POST /sandbox/api/market).
import type { Market, Refusal } from "./api";
import { byId, el, getJson, money, reason } from "./dom";

function drawMarket(m: Market | null): void {
  if (!m?.prices) return;
  const open = byId("market-open");
  open.textContent = m.open ? "OPEN" : "CLOSED";
  open.className = `state ${m.open ? "open" : "closed"}`;
  const table = byId("prices");
  table.textContent = "";
  const head = el("tr");
  head.appendChild(el("th", "", ""));
  head.appendChild(el("td", "iv", "price"));
  head.appendChild(el("td", "iv", "ATM IV"));
  table.appendChild(head);
  const pick = byId("symbol", HTMLSelectElement);
  const chosen = pick.value;
  pick.textContent = "";
  for (const [sym, price] of Object.entries(m.prices)) {
    const tr = el("tr");
    tr.dataset.symbol = sym;
    tr.appendChild(el("th", "", sym));
    tr.appendChild(el("td", "price", money(price)));
    const iv = m.iv?.[sym];
    tr.appendChild(el("td", "iv", typeof iv === "number" ? `${(iv * 100).toFixed(1)}%` : ""));
    table.appendChild(tr);
    pick.appendChild(new Option(`Move ${sym}`, sym));
  }
  if (chosen && m.prices[chosen] !== undefined) pick.value = chosen;
}

export function loadMarket(): Promise<void> {
  return getJson<Market>("/sandbox/api/market")
    .then(drawMarket)
    .catch(() => {
      /* the next refresh tries again */
    });
}

type MarketMove = { symbol: string; move_pct: number } | { open: boolean };

function market(payload: MarketMove, label: string, button: HTMLButtonElement): void {
  const note = byId("market-note");
  note.textContent = `${label}…`;
  button.disabled = true;
  fetch("/sandbox/api/market", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  })
    .then((r) => {
      if (r.status === 404) {
        note.textContent = "Market controls are not available in this build.";
        return;
      }
      return (r.json() as Promise<Market & Refusal>).then((m) => {
        if (!r.ok) {
          note.textContent = `${label} failed: ${m.message || r.status}`;
          return;
        }
        drawMarket(m);
        note.textContent =
          "symbol" in payload
            ? `${label} → ${money(m.prices[payload.symbol] ?? Number.NaN)}. Run the monitor to see what it does to open positions.`
            : `The market is now ${m.open ? "open" : "closed"}.`;
      });
    })
    .catch((e: unknown) => {
      note.textContent = `Market request failed: ${reason(e)}`;
    })
    .then(() => {
      button.disabled = false;
    });
}

export function startMarket(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-market]")) {
    b.addEventListener("click", () => market(JSON.parse(b.dataset.market ?? "{}") as MarketMove, b.textContent, b));
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-move]")) {
    b.addEventListener("click", () => {
      const symbol = byId("symbol", HTMLSelectElement).value || "SPY";
      market({ symbol, move_pct: Number(b.dataset.move) }, `${symbol} ${b.textContent}`, b);
    });
  }
}
