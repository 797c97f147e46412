// The domain is the pure core: no I/O, no clock, no randomness, nothing from outside src/domain
// except types. This reads the sources as text (through Vite's glob, inside workerd) and fails
// on the first impurity, naming the file and the offending line.
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

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^;]*?\bfrom\s+["']([^"']+)["']/gm;

const files = Object.entries(sources);

describe("the domain is pure", () => {
  it("finds the domain sources", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(sources)).toContain("/src/domain/option-math.ts");
  });

  it.each(files)("%s imports only from src/domain (or types)", (_path, text) => {
    const outside = [...text.matchAll(IMPORT)]
      .filter(([, , typeOnly, from]) => !typeOnly && !(from ?? "").startsWith("./"))
      .map(([statement]) => statement.trim());
    expect(outside).toEqual([]);
  });

  it.each(files)("%s uses no fetch, clock, crypto, env or timers", (_path, text) => {
    const body = code(text);
    const found = FORBIDDEN.filter(([, pattern]) => pattern.test(body)).map(([name]) => name);
    expect(found).toEqual([]);
  });

  it("the checks do catch an impure file", () => {
    const impure = 'import { env } from "cloudflare:workers";\nconst t = Date.now();\nawait fetch("x");';
    expect([...impure.matchAll(IMPORT)].map((m) => m[3])).toEqual(["cloudflare:workers"]);
    expect(FORBIDDEN.filter(([, p]) => p.test(code(impure))).map(([n]) => n)).toEqual(["fetch", "Date.now()", "env"]);
  });
});
