// `npm run dev`: migrate the local D1 (scripts/local-d1.ts), then start the sandbox on 127.0.0.1:8787.
// wrangler builds the console first (wrangler.toml [env.sandbox] build: scripts/build-console.ts)
// and again whenever src/sandbox/console changes.
// Arguments after `--` go to `wrangler dev` and win over the defaults (`npm run dev -- --port 8788`).
import { spawnSync } from "node:child_process";
import { migrateLocalD1 } from "./local-d1.ts";

const extra = process.argv.slice(2);
const has = (flag: string) => extra.some((a) => a === flag || a.startsWith(`${flag}=`));

// The sandbox signs interactions with a published test key: it runs on this machine only.
if (has("--remote") || has("-r")) {
  console.error(
    "npm run dev runs the sandbox locally only: it signs with a published test key and must never reach a real account. For the real Worker see the README's Deploy section.",
  );
  process.exit(2);
}
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };

// The local D1 wrangler dev will use: the same --persist-to, if one was given (scripts/local-d1.ts
// makes a new one in one step, and migrates an existing one).
const persistAt = extra.findIndex((a) => a === "--persist-to" || a.startsWith("--persist-to="));
const persistTo =
  persistAt < 0
    ? undefined
    : extra[persistAt]?.includes("=")
      ? extra[persistAt]?.slice("--persist-to=".length)
      : extra[persistAt + 1];
try {
  console.log(await migrateLocalD1(persistTo));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const args = ["dev", "--env", "sandbox"];
if (!has("--port")) args.push("--port", "8787");
if (!has("--ip")) args.push("--ip", "127.0.0.1");
const dev = spawnSync("wrangler", [...args, ...extra], { stdio: "inherit", env });
process.exit(dev.status ?? 0);
