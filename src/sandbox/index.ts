// Sandbox entry (`npm run dev`, tests): the production worker with the outside world simulated,
// plus the /sandbox/ routes. Never part of the production bundle (wrangler.toml [env.sandbox]).
import { json } from "../http";
import { createWorker } from "../worker";
import { alpacaSandboxRoute } from "./alpaca/routes";
import { consoleSandboxRoute } from "./console-route";
import { discordSandboxRoute } from "./discord/routes";
import { ensureIvHistory } from "./iv-backfill";
import { jobsSandboxRoute } from "./jobs-route";
import { jobsRunSandboxRoute } from "./jobs-run-route";
import { ensureMigrated } from "./local-migrations";
import { sandboxWorld } from "./outside";

export { AlpacaSimulator } from "./alpaca/simulator-object";
export { DiscordSimulator } from "./discord/simulator-object";

const worker = createWorker("sandbox", sandboxWorld);

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    try {
      await ensureMigrated(env); // the local D1, once per isolate
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return json({ error: "sandbox_d1", message: `The sandbox's local D1 could not be migrated: ${reason}` }, 503);
    }
    await ensureIvHistory(env); // a year of simulated IV history, once, so IV rank has a value
    const url = new URL(request.url);
    // wrangler prints the bare address: it opens the console (on this machine only, as the rest).
    if (url.pathname === "/" && request.method === "GET" && servesSandboxFor(url, env))
      return Response.redirect(new URL("/sandbox/", url).toString(), 302);
    if (url.pathname === "/sandbox" || url.pathname.startsWith("/sandbox/")) {
      if (!servesSandboxFor(url, env)) return notOnThisMachine(url);
      // The routes get the worker's own fetch: the console's interactions go to the real endpoint.
      return sandboxRoute(request, env, url, (r) => worker.fetch(r, env, ctx));
    }
    return worker.fetch(request, env, ctx);
  },
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    await ensureMigrated(env);
    await ensureIvHistory(env);
    return worker.scheduled(controller, env, ctx);
  },
} satisfies ExportedHandler<Env>;

/**
 * The console and its routes (which sign interactions with the published test key) answer on
 * this machine only, unless SANDBOX_ANY_HOST=true says the sandbox is meant to be shared.
 */
function servesSandboxFor(url: URL, env: Env): boolean {
  if ((env as { SANDBOX_ANY_HOST?: string }).SANDBOX_ANY_HOST === "true") return true;
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

function notOnThisMachine(url: URL): Response {
  return json(
    {
      error: "sandbox_local_only",
      message: `The sandbox's routes answer on 127.0.0.1 or localhost only, not ${url.hostname}: they sign interactions with a published test key. Open http://127.0.0.1:8787/sandbox/ on the machine that runs npm run dev (or set SANDBOX_ANY_HOST=true to share it on purpose).`,
    },
    403,
  );
}

// Each capability owns its sandbox routes and answers null for a path that is not its own; the
// console's files come last (a GET of any other /sandbox/ path looks for one).
const ROUTES = [discordSandboxRoute, alpacaSandboxRoute, jobsSandboxRoute, jobsRunSandboxRoute, consoleSandboxRoute];

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
