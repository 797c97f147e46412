// Wall time of `npm test`'s three steps, each timed on its own: typecheck (tsc, both configs),
// lint (biome ci) and vitest (both projects: workers on workerd, node incl. the browser test).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { CHILD_ENV, ROOT } from "./processes.ts";

export interface TestTimes {
  typecheckS: number;
  lintS: number;
  vitestS: number;
  passed: boolean;
  /** vitest's own "Tests  N passed" line. */
  vitestLine: string;
  /** The failing test files, if any, as vitest names them. */
  failing: string[];
}

function timed(bin: string, args: string[]): { seconds: number; ok: boolean; output: string } {
  const start = performance.now();
  const run = spawnSync(process.execPath, [join(ROOT, "node_modules", bin), ...args], {
    cwd: ROOT,
    env: CHILD_ENV,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { seconds: (performance.now() - start) / 1000, ok: run.status === 0, output: `${run.stdout}\n${run.stderr}` };
}

export function measureTests(): TestTimes {
  const tsc = "typescript/bin/tsc";
  const typecheckA = timed(tsc, ["--noEmit"]);
  const typecheckB = timed(tsc, ["--noEmit", "-p", "tsconfig.node.json"]);
  const lint = timed("@biomejs/biome/bin/biome", ["ci", "."]);
  const vitest = timed("vitest/vitest.mjs", ["run"]);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the colour codes of vitest's summary
  const plain = vitest.output.replace(/\u001b\[[0-9;]*m/g, "");
  return {
    typecheckS: typecheckA.seconds + typecheckB.seconds,
    lintS: lint.seconds,
    vitestS: vitest.seconds,
    passed: typecheckA.ok && typecheckB.ok && lint.ok && vitest.ok,
    vitestLine: /Tests\s+[^\n]*/.exec(plain)?.[0]?.trim() ?? "(no summary)",
    failing: [...new Set([...plain.matchAll(/FAIL\s+(?:\S+\s+)?(test\/\S+\.test\.ts)/g)].map((m) => m[1] ?? ""))],
  };
}
