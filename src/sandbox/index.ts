// Sandbox entry (`npm run dev`, tests): the production worker with the outside world simulated,
// plus the /sandbox/ routes. Never part of the production bundle (wrangler.toml [env.sandbox]).
import { json } from "../http";
import { createWorker } from "../worker";
import { alpacaSandboxRoute } from "./alpaca/routes";
import { discordSandboxRoute } from "./discord/routes";
import { ensureIvHistory } from "./iv-backfill";
import { jobsSandboxRoute } from "./jobs-route";
import { jobsRunSandboxRoute } from "./jobs-run-route";
import { sandboxWorld } from "./outside";

export { AlpacaSimulator } from "./alpaca/simulator-object";
export { DiscordSimulator } from "./discord/simulator-object";

const worker = createWorker(sandboxWorld);

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    await ensureIvHistory(env); // a year of simulated IV history, once, so IV rank has a value
    const url = new URL(request.url);
    if (url.pathname === "/sandbox" || url.pathname.startsWith("/sandbox/")) {
      // The routes get the worker's own fetch: the console's interactions go to the real endpoint.
      return sandboxRoute(request, env, url, (r) => worker.fetch(r, env, ctx));
    }
    return worker.fetch(request, env, ctx);
  },
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    await ensureIvHistory(env);
    return worker.scheduled(controller, env, ctx);
  },
} satisfies ExportedHandler<Env>;

// Each capability owns its sandbox routes and answers null for a path that is not its own.
const ROUTES = [discordSandboxRoute, alpacaSandboxRoute, jobsSandboxRoute, jobsRunSandboxRoute];

async function sandboxRoute(
  request: Request,
  env: Env,
  url: URL,
  dispatch: (request: Request) => Promise<Response>,
): Promise<Response> {
  for (const route of ROUTES) {
    const response = await route(request, env, url, dispatch);
    if (response) return response;
  }
  return json({ error: "not_found", message: `No sandbox route for ${url.pathname}` }, 404);
}
