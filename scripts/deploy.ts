// `npm run deploy`: the database's migrations, then the Worker, in the order that keeps them
// compatible. Normally migrations first (new columns exist before new code reads them). On the
// very first deploy the database does not exist yet: wrangler deploy creates it (automatic
// provisioning, no ids in wrangler.toml), then the migrations run against it.
// Arguments after `--` go to wrangler deploy.
import { spawnSync } from "node:child_process";

const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" }; // CI=true: no prompts
const run = (args: string[]) => spawnSync("wrangler", args, { stdio: "inherit", env }).status ?? 1;
const migrate = () => run(["d1", "migrations", "apply", "DB", "--remote"]);
const deploy = () => run(["deploy", ...process.argv.slice(2)]);

if (migrate() === 0) process.exit(deploy());
console.error(
  "deploy: migrations could not run (first deploy: the database is created now); deploying, then migrating",
);
const deployed = deploy();
if (deployed !== 0) process.exit(deployed);
process.exit(migrate());
