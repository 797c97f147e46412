// Which Chromium the browser test drives: the system's when the machine has one, otherwise the one
// shipped inside the npm package @sparticuz/chromium (a dev-dependency, so `npm install && npm test`
// needs nothing else).
//
// SPREAD_DESK_BROWSER chooses: unset or `auto` (system if present, else npm), `system` (fail when
// there is none), `npm` (skip the system one, as on a machine without it). CHROMIUM_PATH names a
// system Chromium at another place.
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { LaunchOptions } from "playwright-core";

export interface TestBrowser {
  options: LaunchOptions;
  /** Where it came from, for messages. */
  source: "system" | "npm";
}

const SYSTEM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Flags both kinds get: no sandbox (containers, root), no calls home from an offline machine. */
const COMMON_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

function systemChromium(): string | null {
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH=${named} does not exist`);
    return named;
  }
  return SYSTEM_PATHS.find((path) => existsSync(path)) ?? null;
}

/**
 * Extracts the package's Chromium (about 200 MB; a few seconds, once per version) into
 * <tmp>/spread-desk-chromium-<version>: unpacked in a private directory, then renamed into place,
 * so a run that is killed halfway or two runs at once never leave a half-written binary. (The
 * package's own default, <tmp>/chromium, is reused whatever version wrote it.) Its NSS libraries
 * (libnss3, libnspr4, libexpat, packed for Amazon Linux) come too: a machine without a system
 * Chromium often lacks them.
 */
async function packagedChromium(): Promise<LaunchOptions> {
  const { default: packaged, inflate } = await import("@sparticuz/chromium");
  const packageDir = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..");
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };
  const home = join(tmpdir(), `spread-desk-chromium-${version}`);
  if (!existsSync(join(home, "chromium"))) {
    const staging = mkdtempSync(`${home}.part-`);
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = staging; // the package extracts into os.tmpdir()
    try {
      await packaged.executablePath(join(packageDir, "bin"));
      await inflate(join(packageDir, "bin", "al2023.tar.br"));
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
    try {
      renameSync(staging, home);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(home, "chromium"))) throw error; // not another run that got there first
    }
  }
  packaged.setGraphicsMode = false; // no WebGL: drops the SwiftShader flags from `args`
  const libs = join(home, "al2023", "lib");
  const LD_LIBRARY_PATH = [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  return {
    executablePath: join(home, "chromium"),
    args: [...new Set([...packaged.args, ...COMMON_ARGS])],
    env: { ...process.env, LD_LIBRARY_PATH },
  };
}

export async function chromiumForTests(): Promise<TestBrowser> {
  const choice = process.env.SPREAD_DESK_BROWSER ?? "auto";
  if (!["auto", "system", "npm"].includes(choice)) {
    throw new Error(`SPREAD_DESK_BROWSER=${choice}: expected auto, system or npm`);
  }
  if (choice !== "npm") {
    const executablePath = systemChromium();
    if (executablePath) return { options: { executablePath, args: ["--headless", ...COMMON_ARGS] }, source: "system" };
    if (choice === "system") {
      throw new Error(`SPREAD_DESK_BROWSER=system but no Chromium at ${SYSTEM_PATHS.join(" or ")} (or CHROMIUM_PATH)`);
    }
  }
  return { options: await packagedChromium(), source: "npm" };
}
