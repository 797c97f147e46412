// Child processes of the benchmark: wrangler dev instances on free ports, each in its own process
// group so that stopping one stops workerd with it. Every child is stopped when the run ends,
// whether it ends normally, on an error or on Ctrl-C.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "../scripts/free-port.ts";

export const ROOT = resolve(import.meta.dirname, "..");
export const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
export const CHILD_ENV = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };

const children = new Set<ChildProcess>();

function stop(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch (error) {
    // Already gone (ESRCH) is fine; anything else is worth seeing.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") console.error("could not stop a child:", error);
  }
}

export function stopAll(): void {
  for (const child of children) stop(child);
  children.clear();
}

process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

/** Runs wrangler to completion (migrations, dry-run builds); throws with its output on failure. */
export function wrangler(args: string[]): string {
  const run = spawnSync(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: CHILD_ENV, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${run.stdout}\n${run.stderr}`);
  return `${run.stdout}\n${run.stderr}`;
}

export interface DevServer {
  base: string;
  inspectorPort: number;
  stop: () => void;
  /** CPU time its workerd has used so far, all threads, in ms; null where /proc cannot say. */
  cpuMs: () => number | null;
}

/**
 * CPU time in ms of the workerd processes in a process group (a wrangler dev child is the leader
 * of its own), summed over their threads from /proc/<pid>/task/<tid>/schedstat (ns on CPU). The
 * runtime's whole cost of a request: the Worker's isolate, and in `wrangler dev` also local D1, KV
 * and R2 (SQLite) and the HTTP server, which production runs elsewhere or does not bill.
 */
function workerdCpuMs(group: number): number | null {
  let ns = 0;
  let found = false;
  try {
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const [, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (comm !== "workerd" || Number(pgrp) !== group) continue;
      found = true;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const [onCpu = "0"] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ");
        ns += Number(onCpu);
      }
    }
  } catch {
    return null; // no /proc (not Linux)
  }
  return found ? ns / 1e6 : null;
}

/** `wrangler dev <args>` on a free port (and inspector port); resolves once `probe` answers. */
export async function startDev(name: string, args: string[], probe: string): Promise<DevServer> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const child = spawn(
    process.execPath,
    [WRANGLER, "dev", ...args, "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort)],
    { cwd: ROOT, env: CHILD_ENV, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  children.add(child);
  let output = "";
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`${name}: wrangler dev exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${base}${probe}`, { method: probe === "/" ? "POST" : "GET" }).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) {
      const group = child.pid ?? 0;
      return { base, inspectorPort, stop: () => stop(child), cpuMs: () => workerdCpuMs(group) };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} never answered ${base}${probe}:\n${output}`);
}

/**
 * The production entry (src/index.ts) on the sandbox's stored data under `persistTo`
 * (bench/production.wrangler.toml), verifying with `key`: the interactions endpoint as deployed.
 */
export function startProduction(persistTo: string, key: { publicKey: string }): Promise<DevServer> {
  return startDev(
    "production",
    [
      "-c",
      "bench/production.wrangler.toml",
      "--minify=false",
      "--persist-to",
      persistTo,
      "--var",
      `DISCORD_PUBLIC_KEY:${key.publicKey}`,
    ],
    "/health",
  );
}

/** The minimal worker (bench/minimal-worker.ts), the PING baseline and the clicks' floor, verifying with `key`. */
export function startMinimal(persistTo: string, key: { publicKey: string }): Promise<DevServer> {
  return startDev(
    "minimal",
    ["-c", "bench/minimal.wrangler.toml", "--persist-to", persistTo, "--var", `DISCORD_PUBLIC_KEY:${key.publicKey}`],
    "/",
  );
}

/** Runs a bench script's `main`; on an error, prints it, stops every child and exits 1. */
export function runScript(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    stopAll();
    process.exit(1);
  });
}
