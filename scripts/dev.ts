// `npm run dev`: the sandbox on 127.0.0.1:8787. Its local D1 migrates itself on the first request
// (src/sandbox/local-migrations.ts).
// wrangler builds the console first (wrangler.toml [env.sandbox] build: scripts/build-console.ts)
// and again whenever src/sandbox/console changes.
// Arguments after `--` go to `wrangler dev` and win over the defaults (`npm run dev -- --port 8788`).
import { spawnSync } from "node:child_process";

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

const args = ["dev", "--env", "sandbox"];
if (!has("--port")) args.push("--port", "8787");
if (!has("--ip")) args.push("--ip", "127.0.0.1");
const dev = spawnSync("wrangler", [...args, ...extra], { stdio: "inherit", env });
process.exit(dev.status ?? 0);
