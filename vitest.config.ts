import { availableParallelism, tmpdir } from "node:os";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { ramTmpDir } from "./test/support/runtime-tmp.ts";

// Two projects:
// - "workers": runs inside workerd with the sandbox environment's bindings from wrangler.toml
//   (real local D1/KV/R2, the simulators as Durable Objects) and the migrations applied.
// - "node": checks made from outside the runtime (schema vs migrations, the production bundle,
//   the console page in a real browser).
//
// Speed (issue 16): vitest's default on a 2-core machine is one worker, and per-file isolation
// started a workerd and loaded the module graph again for every file, half of the suite's time.
// Both projects share the machine's cores, and the workers project shares one runtime per worker
// across its files; test/support/apply-migrations.ts gives each file a fresh world first.
export default defineConfig(async () => {
  // The workers project's runtimes are started by this process and keep their storage under
  // TMPDIR: on /dev/shm when it has room (test/support/runtime-tmp.ts), which took the workers
  // project from 41-44 s to 33-35 s here. The node project keeps the usual one, where its browser
  // is unpacked once.
  const diskTmp = tmpdir();
  const ramTmp = ramTmpDir();
  if (ramTmp) process.env.TMPDIR = ramTmp;
  return {
    test: {
      // vitest's default (one less than the cores), but at least two: one on 2 cores left a core idle.
      maxWorkers: Math.max(2, availableParallelism() - 1),
      // The bot logs one JSON line per step; a passing test's lines are noise (a failing one's show).
      silent: "passed-only" as const,
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml", environment: "sandbox" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: await readD1Migrations("migrations"),
                  // No wait takes time and no time limit runs out in the sandbox (src/sandbox/outside.ts).
                  SANDBOX_TIMELESS: "true",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            // One runtime per worker for all its files; each file still starts from an empty D1,
            // KV and R2 and fresh simulators (the setup file below).
            isolate: false,
            include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
            // One budget against a hung test, never a speed check (files set none lower than 90 s): whole
            // scans, approvals and monitor runs through the simulators take 5-30 s per test on a
            // loaded 2-core machine (30 s failed limit-walk there; the default 5 s failed on speed).
            testTimeout: 120_000,
            hookTimeout: 120_000,
            setupFiles: ["./test/support/apply-migrations.ts"],
            // The console's static assets (wrangler.toml [env.sandbox] assets), built before the runtime starts.
            globalSetup: ["./test/support/build-console.ts"],
            // The packages, pre-bundled once (kept in node_modules/.vite): transformed module by module
            // in every runtime, the SDKs cost seconds each (the first Claude test of a runtime took
            // 7.4 s, 1.4 s pre-bundled). discord-api-types must be: it is CommonJS behind an .mjs
            // shim, and loaded as is inside workerd its enums (ButtonStyle…) come out undefined.
            // discord-interactions cannot be (it requires node:crypto by a name esbuild cannot follow).
            deps: {
              optimizer: {
                ssr: {
                  enabled: true,
                  include: [
                    "discord-api-types/v10",
                    "@anthropic-ai/sdk/client",
                    "@anthropic-ai/sdk/resources/messages/messages",
                    "@anthropic-ai/sdk/core/error",
                    "@alpacahq/alpaca-trade-api",
                    "drizzle-orm",
                    "drizzle-orm/d1",
                    "drizzle-orm/sqlite-core",
                    "zod",
                    "zod/mini",
                    "zod/locales",
                  ],
                },
              },
            },
          },
        },
        {
          test: {
            name: "node",
            environment: "node",
            include: ["test/node/**/*.test.ts"],
            env: { TMPDIR: diskTmp },
            testTimeout: 120_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  };
});
