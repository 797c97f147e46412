// POST /discord/interactions. Placeholder until the Discord capability lands: it refuses
// everything, which is the safe answer for an endpoint that cannot verify yet.
import { json } from "../http";
import type { Outside } from "../outside";

export async function handleInteraction(
  _request: Request,
  _env: Env,
  _ctx: ExecutionContext,
  _outside: Outside,
): Promise<Response> {
  return json({ error: "unauthorized" }, 401);
}
