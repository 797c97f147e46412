// The Worker: routes fetch() and dispatches scheduled() to jobs. Thin on purpose: every
// behaviour lives in a module named after it. The sandbox wraps this same handler.
import { version } from "../package.json";
import { ConfigError, parseConfig, type World } from "./config";
import { createInteractionHandler } from "./discord/endpoint";
import { tradingHandlers } from "./discord/trading-handlers";
import { json, notFound } from "./http";
import { runScheduled } from "./jobs/run-scheduled";
import { errorFields, log } from "./log";
import type { Outside } from "./outside";

export function createWorker(outside: (env: Env) => Outside | Promise<Outside>) {
  const handleInteraction = createInteractionHandler(tradingHandlers());
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      const url = new URL(request.url);
      try {
        if (url.pathname === "/health" && request.method === "GET") return health(env, (await outside(env)).world);
        if (url.pathname === "/discord/interactions") {
          if (request.method !== "POST") return json({ error: "method_not_allowed" }, 405, { allow: "POST" });
          return await handleInteraction(request, env, ctx, await outside(env));
        }
        return notFound(url.pathname);
      } catch (error) {
        if (error instanceof ConfigError) return json({ error: "config", message: error.message }, 503);
        log.error("unhandled error in fetch", { path: url.pathname, ...errorFields(error) });
        return json({ error: "internal", message: "Something went wrong; the error was logged." }, 500);
      }
    },

    async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
      await runScheduled(controller, env, ctx, await outside(env));
    },
  } satisfies ExportedHandler<Env>;
}

/** Production says only that it runs (and which version); the sandbox adds its settings. */
function health(env: Env, world: World): Response {
  try {
    const config = parseConfig(env, world);
    if (world === "real") return json({ ok: true, version });
    return json({ ok: true, version, mode: config.mode, watchlist: config.watchlist });
  } catch (error) {
    if (error instanceof ConfigError) return json({ ok: false, version, error: error.message }, 503);
    throw error;
  }
}
