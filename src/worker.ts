// The Worker: routes fetch() and dispatches scheduled() to jobs. Thin on purpose: every
// behaviour lives in a module named after it. The sandbox wraps this same handler.
// With app.ts, the composition root: the only place that turns env into an App (built once per
// request or job, lazily) and hands it down; nothing below reads env.
import { version } from "../package.json";
import { type App, createApp } from "./app";
import { ConfigError, discordPublicKey, parseConfig, type World } from "./config";
import { createInteractionHandler, type InteractionRoot } from "./discord/endpoint";
import { tradingHandlers } from "./discord/handlers";
import { json, notFound } from "./http";
import { runScheduled } from "./jobs/run-scheduled";
import { errorFields, log } from "./log";
import type { Outside } from "./outside";

/**
 * `world` says which one this entry is ("real" or the sandbox's) before anything is built: the
 * health check and the signature check need only that, so a PING or an unsigned caller never
 * reaches the outside world (in the sandbox, the simulated clock's read).
 */
export function createWorker(world: World, outside: (env: Env) => Outside | Promise<Outside>) {
  const handleInteraction = createInteractionHandler(tradingHandlers());
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      const url = new URL(request.url);
      try {
        if (url.pathname === "/health" && request.method === "GET") return health(env, world);
        if (url.pathname === "/discord/interactions") {
          if (request.method !== "POST") return json({ error: "method_not_allowed" }, 405, { allow: "POST" });
          return await handleInteraction(
            request,
            ctx,
            interactionRoot(env, world, () => outside(env)),
          );
        }
        return notFound(url.pathname);
      } catch (error) {
        if (error instanceof ConfigError) return json({ error: "config", message: error.message }, 503);
        log.error("unhandled error in fetch", { path: url.pathname, ...errorFields(error) });
        return json({ error: "internal", message: "Something went wrong; the error was logged." }, 500);
      }
    },

    async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
      const world = await outside(env);
      await runScheduled(controller, () => createApp(env, world));
    },
  } satisfies ExportedHandler<Env>;
}

/** One interaction's root: the key to verify with, the config, and its app, built once on first use. */
export function interactionRoot(env: Env, world: World, outside: () => Outside | Promise<Outside>): InteractionRoot {
  let app: Promise<App> | undefined;
  return {
    publicKey: discordPublicKey(env, world),
    config: () => parseConfig(env, world),
    app: () => {
      app ??= Promise.resolve(outside()).then((o) => createApp(env, o));
      return app;
    },
  };
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
