// The console's routes (sandbox only; the page itself is in src/sandbox/console):
//   GET /sandbox/api/schedule  the day's slots for its schedule buttons: {scan_times, midday_scan, eod_time}
//   GET /sandbox/, /sandbox/console.js, /sandbox/console.css  the page, from the static assets that
//       wrangler.toml declares in [env.sandbox] only (build/console, built by scripts/build-console.ts).
// The assets run behind this worker (run_worker_first): the sandbox's local-only check comes first.
import { ConfigError, parseConfig } from "../config";
import { DEFAULT_SCAN_TIMES, EOD_TIME, middayScan } from "../domain/job-slots";
import { json } from "../http";

export async function consoleSandboxRoute(request: Request, env: Env, url: URL): Promise<Response | null> {
  if (request.method !== "GET") return null;
  if (url.pathname === "/sandbox/api/schedule") {
    const scanTimes = scanTimesOf(env);
    return json({ scan_times: scanTimes, midday_scan: middayScan(scanTimes), eod_time: EOD_TIME });
  }
  if (url.pathname.startsWith("/sandbox/api/")) return null;
  if (!env.ASSETS) {
    return json(
      {
        error: "no_console",
        message: "No ASSETS binding: the console is served by wrangler.toml's [env.sandbox] only.",
      },
      503,
    );
  }
  const asset = await env.ASSETS.fetch(request);
  // Not a file of the console: the sandbox's usual 404 answers it.
  return asset.status === 404 ? null : asset;
}

/** The schedule's scan slots; a config error shows the defaults (the jobs say why). */
function scanTimesOf(env: Env): readonly string[] {
  try {
    return parseConfig(env, "sandbox").schedule.scanTimes;
  } catch (error) {
    if (error instanceof ConfigError) return DEFAULT_SCAN_TIMES;
    throw error;
  }
}
