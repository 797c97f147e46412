// Sandbox routes of the simulated market (design.md, "sandbox contract"):
//   GET  /sandbox/api/orders  → the simulated broker's orders, as Alpaca order objects
//   POST /sandbox/api/market  → {"symbol","move_pct"} | {"symbol","price"} | {"open"}: moves the market
// Both go to the AlpacaSimulator's control panel, which validates and answers (400 on bad input).
import { json } from "../../http";

function simulator(env: Env): DurableObjectStub | null {
  return env.SIM_ALPACA ? env.SIM_ALPACA.get(env.SIM_ALPACA.idFromName("market")) : null;
}

export async function alpacaSandboxRoute(request: Request, env: Env, url: URL): Promise<Response | null> {
  const route = `${request.method} ${url.pathname}`;
  if (route !== "GET /sandbox/api/orders" && route !== "POST /sandbox/api/market") return null;
  const sim = simulator(env);
  if (!sim) return json({ error: "unavailable", message: "the simulated market (SIM_ALPACA) is not bound" }, 503);
  if (route === "GET /sandbox/api/orders") return sim.fetch("https://sim.control/control/orders");
  return sim.fetch("https://sim.control/control/market", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: await request.text(),
  });
}
