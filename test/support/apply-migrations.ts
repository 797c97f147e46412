import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// The same SQL files wrangler applies in dev and deploy, applied to this test file's D1.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
