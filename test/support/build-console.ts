// Vitest globalSetup of the workers project: builds the sandbox console's static assets
// (build/console, wrangler.toml [env.sandbox] assets) before the runtime starts, so GET /sandbox/
// serves the page there as it does under `wrangler dev`, where wrangler runs the same build.
import { buildConsole } from "../../scripts/build-console.ts";

export default async function setup(): Promise<void> {
  await buildConsole();
}
