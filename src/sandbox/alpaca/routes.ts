// Sandbox routes of the simulated market: GET /sandbox/api/orders, POST /sandbox/api/market.
// Placeholder until the broker capability lands.
export async function alpacaSandboxRoute(_request: Request, _env: Env, _url: URL): Promise<Response | null> {
  return null;
}
