// Sandbox routes of the simulated market (design.md, "sandbox contract"):
//   GET  /sandbox/api/orders  → the simulated broker's orders, as Alpaca order objects
//   GET  /sandbox/api/market  → the market now: {open, as_of, prices, iv} (the console's market panel)
//   POST /sandbox/api/market  → {"symbol","move_pct"} | {"symbol","price"} | {"open"}: moves the market
// They go to the AlpacaSimulator's control panel, which validates and answers (400 on bad input).
import { json } from "../../http";

function simulator(env: Env): DurableObjectStub | null {
  return env.SIM_ALPACA ? env.SIM_ALPACA.get(env.SIM_ALPACA.idFromName("market")) : null;
}

const ROUTES = new Set(["GET /sandbox/api/orders", "GET /sandbox/api/market", "POST /sandbox/api/market"]);

export async function alpacaSandboxRoute(request: Request, env: Env, url: URL): Promise<Response | null> {
  const route = `${request.method} ${url.pathname}`;
  if (!ROUTES.has(route)) return null;
  const sim = simulator(env);
  if (!sim) return json({ error: "unavailable", message: "the simulated market (SIM_ALPACA) is not bound" }, 503);
  if (route === "GET /sandbox/api/orders") return sim.fetch("https://sim.control/control/orders");
  if (route === "GET /sandbox/api/market") return sim.fetch("https://sim.control/control/market");
  return sim.fetch("https://sim.control/control/market", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: await request.text(),
  });
}
