// The domain is the pure core: no I/O, no clock, no randomness. What it may import is Biome's
// noRestrictedImports (biome.json, src/domain override: only src/domain, types included), run by
// `npm run lint`. The globals it may not touch (fetch, the clock, crypto, env, randomness,
// timers) this checks as one list: a lint rule can ban a global's name but not Date.now,
// Math.random or new Date() beside Date.UTC. It reads the sources as text (through Vite's glob,
// inside workerd) and names the file and what it found.
import { describe, expect, it } from "vitest";

declare global {
  interface ImportMeta {
    // Vite's glob import (typed here to keep vite/client's globals out of the worker types).
    glob<T>(pattern: string, options: { query: string; import: string; eager: true }): Record<string, T>;
  }
}

const sources = import.meta.glob<string>("/src/domain/**/*.ts", { query: "?raw", import: "default", eager: true });

/** Source with comments and string contents blanked out, so prose cannot trip the checks. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
}

const FORBIDDEN: [string, RegExp][] = [
  ["fetch", /\bfetch\s*\(/],
  ["Date.now()", /\bDate\s*\.\s*now\b/],
  ["new Date() without an instant", /\bnew\s+Date\s*\(\s*\)/],
  ["crypto", /\bcrypto\b/],
  ["env", /\benv\b/],
  ["Math.random()", /\bMath\s*\.\s*random\b/],
  ["performance.now()", /\bperformance\s*\.\s*now\b/],
  ["setTimeout/setInterval", /\bset(?:Timeout|Interval)\s*\(/],
];

const files = Object.entries(sources);

describe("the domain is pure", () => {
  it("finds the domain sources", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(sources)).toContain("/src/domain/option-math.ts");
  });

  it.each(files)("%s uses no fetch, clock, crypto, env or timers", (_path, text) => {
    const body = code(text);
    const found = FORBIDDEN.filter(([, pattern]) => pattern.test(body)).map(([name]) => name);
    expect(found).toEqual([]);
  });

  it("the checks do catch an impure file", () => {
    const impure = 'import { env } from "cloudflare:workers";\nconst t = Date.now();\nawait fetch("x");';
    expect(FORBIDDEN.filter(([, p]) => p.test(code(impure))).map(([n]) => n)).toEqual(["fetch", "Date.now()", "env"]);
  });
});
