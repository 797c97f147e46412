// Builds the sandbox console into build/console, the static assets of wrangler.toml's
// [env.sandbox] (production declares none): src/sandbox/console's index.html and console.css
// as they are, and its TypeScript bundled by esbuild into one console.js. The page is served at
// /sandbox/, so the files go under build/console/sandbox/.
// Wrangler runs it before every `wrangler dev --env sandbox` and again when src/sandbox/console
// changes ([env.sandbox] build); the workers tests run it first (test/support/build-console.ts).
// esbuild strips the types without checking them: `npm run typecheck` checks them
// (src/sandbox/console/tsconfig.json).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const source = join(root, "src/sandbox/console");
const CONSOLE_ASSETS = join(root, "build/console");

export async function buildConsole(): Promise<void> {
  const out = join(CONSOLE_ASSETS, "sandbox");
  const script = await build({
    entryPoints: [join(source, "main.ts")],
    bundle: true,
    format: "iife",
    target: "es2022",
    charset: "utf8",
    write: false,
    logLevel: "warning",
  });
  mkdirSync(out, { recursive: true });
  // Each file replaced whole (write, then rename): a running `wrangler dev` never serves half of one.
  const put = (name: string, contents: string | Uint8Array) => {
    writeFileSync(join(out, `.${name}.tmp`), contents);
    renameSync(join(out, `.${name}.tmp`), join(out, name));
  };
  const js = script.outputFiles[0];
  if (!js) throw new Error("esbuild wrote no console.js");
  put("console.js", js.contents);
  for (const name of ["index.html", "console.css"]) put(name, readFileSync(join(source, name)));
}

if (import.meta.main) await buildConsole();
