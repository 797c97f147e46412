// CPU time of the Worker's isolate while something runs, read through wrangler dev's DevTools
// inspector (Chrome DevTools Protocol): start the sampling profiler, run, stop, and add up the
// samples that were not idle. In the sandbox the simulators (Durable Objects) share the isolate;
// a sample whose stack passes through src/sandbox/alpaca or src/sandbox/discord is theirs. That
// needs the unminified bundle (wrangler dev --minify=false), whose "// path" comments name the
// module each line belongs to. A module's first evaluation runs inside esbuild's lazy wrapper,
// a function named by the module's path ("node_modules/@alpacahq/…"): a sample under such a frame
// is one-time loading (the SDKs are imported on first use), reported apart as `loadMs`.

import { writeFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; scriptId: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

class Inspector {
  private next = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  private readonly socket: WebSocket;
  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.addEventListener("message", (event) => {
      const message: { id?: number; result?: unknown } = JSON.parse(String(event.data));
      if (message.id !== undefined) this.waiting.get(message.id)?.(message.result);
    });
  }

  static open(url: string): Promise<Inspector> {
    return new Promise((done, fail) => {
      // wrangler's inspector proxy accepts only local origins; Node's WebSocket takes headers
      // as an extension of the standard constructor.
      const init = { headers: { origin: "http://127.0.0.1" } } as unknown as string[];
      const socket = new WebSocket(url, init);
      socket.addEventListener("open", () => done(new Inspector(socket)));
      socket.addEventListener("error", () => fail(new Error(`cannot open the inspector at ${url}`)));
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.next++;
    return new Promise((done) => {
      this.waiting.set(id, done);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

export interface CpuFigures {
  /** Busy (not idle) time of the isolate. */
  cpuMs: number;
  /** The part whose stack runs through the simulators' code. */
  simulatorMs: number;
  /** The bot's part spent evaluating a module for the first time (the lazily imported SDKs). */
  loadMs: number;
  /** The sandbox's own wiring (src/sandbox/ outside the simulators): not in production either. */
  sandboxMs: number;
  /** Garbage collection of the whole isolate (the profiler cannot say whose objects it freed). */
  gcMs: number;
  /**
   * The bot as production would run it: its JavaScript (not the simulators', not the sandbox's
   * wiring) plus the share of GC its JavaScript time is of all JavaScript time in the isolate.
   */
  botMs: number;
  /**
   * botMs again, each sample counted for at most GAP_CAP_US: the profiler samples every ~175 µs
   * while the isolate runs, but workerd does not mark every wait as idle, so the first sample after
   * a wait carries the whole wait (single deltas of 20-45 ms beside a median of 175 µs).
   */
  botCappedMs: number;
  /**
   * The bot's samples that came more than GAP_CAP_US after the one before: most follow a wait,
   * and botCappedMs counts each for the whole cap. Times the cap's calibrated error a wait
   * (calibrate.ts), they are how much botCappedMs may overstate.
   */
  botWaits: number;
  /** The bot's self time by module (or runtime activity, e.g. "(garbage collector)"), largest first. */
  topBot: { where: string; ms: number }[];
}

/** A sample stands for at most this much CPU in botCappedMs (about five median sample intervals). */
export const GAP_CAP_US = 1000;

/** Runs `work` under the profiler; returns its result and the isolate's busy time in ms. */
export async function withCpuProfile<T>(
  inspectorPort: number,
  work: () => Promise<T>,
  saveAs?: string,
): Promise<{ result: T } & CpuFigures> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no Worker listed by the inspector on port ${inspectorPort}`);
  const inspector = await Inspector.open(url);
  try {
    await inspector.send("Profiler.enable");
    await inspector.send("Profiler.setSamplingInterval", { interval: 100 });
    await inspector.send("Profiler.start");
    const result = await work();
    const { profile } = (await inspector.send("Profiler.stop")) as { profile: Profile };
    await inspector.send("Debugger.enable");
    const modules = new Map<string, ModuleIndex>();
    for (const scriptId of new Set(profile.nodes.map((n) => n.callFrame.scriptId))) {
      if (scriptId === "0") continue;
      const source = (await inspector.send("Debugger.getScriptSource", { scriptId })) as { scriptSource?: string };
      modules.set(scriptId, moduleIndex(source.scriptSource ?? ""));
    }
    await inspector.send("Debugger.disable");
    // Saved with each frame's url set to its module's path, so a reader can tell modules apart.
    if (saveAs) {
      for (const n of profile.nodes) {
        const file = fileAt(modules.get(n.callFrame.scriptId), n.callFrame.lineNumber);
        if (file) (n.callFrame as { url?: string }).url = file;
      }
      writeFileSync(saveAs, JSON.stringify(profile));
    }
    return { result, ...busy(profile, modules), botCappedMs: busy(profile, modules, GAP_CAP_US).botMs };
  } finally {
    inspector.close();
  }
}

/** Line numbers where each module of an unminified esbuild bundle starts ("// src/x.ts"). */
type ModuleIndex = { line: number; file: string }[];

function moduleIndex(source: string): ModuleIndex {
  const index: ModuleIndex = [];
  source.split("\n").forEach((text, line) => {
    const header = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(text);
    if (header?.[1]) index.push({ line, file: header[1] });
  });
  return index;
}

function fileAt(index: ModuleIndex | undefined, line: number): string {
  let file = "";
  for (const entry of index ?? []) {
    if (entry.line > line) break;
    file = entry.file;
  }
  return file;
}

const SIMULATOR = /(^|\/)src\/sandbox\/(alpaca|discord)\//;
const SANDBOX = /(^|\/)src\/sandbox\//;
/** esbuild's lazy module wrappers (__esm / __commonJS) are named by the module's path. */
const MODULE_INIT = /(^|\/)node_modules\//;

function busy(
  profile: Profile,
  modules: Map<string, ModuleIndex>,
  capUs = Number.POSITIVE_INFINITY,
): Omit<CpuFigures, "botCappedMs"> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const fileOf = (node: ProfileNode | undefined) =>
    node ? fileAt(modules.get(node.callFrame.scriptId), node.callFrame.lineNumber) : "";
  /** Memoized: does the stack from `id` up pass through a frame that `own` matches? */
  const through = (own: (node: ProfileNode | undefined) => boolean) => {
    const memo = new Map<number, boolean>();
    const test = (id: number): boolean => {
      const known = memo.get(id);
      if (known !== undefined) return known;
      const up = parent.get(id);
      const answer = own(nodes.get(id)) || (up !== undefined && test(up));
      memo.set(id, answer);
      return answer;
    };
    return test;
  };
  const simulated = through((node) => SIMULATOR.test(fileOf(node)));
  const sandboxed = through((node) => SANDBOX.test(fileOf(node)));
  const loading = through((node) => MODULE_INIT.test(node?.callFrame.functionName ?? ""));
  let micros = 0;
  let simulatorMicros = 0;
  let sandboxMicros = 0;
  let gcMicros = 0;
  let loadMicros = 0;
  let botWaits = 0;
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    if (node?.callFrame.functionName === "(idle)") return;
    const delta = Math.min(profile.timeDeltas[i] ?? 0, capUs);
    micros += delta;
    if (simulated(id)) {
      simulatorMicros += delta;
      return;
    }
    const gc = node?.callFrame.functionName === "(garbage collector)";
    if (sandboxed(id)) sandboxMicros += delta;
    else if (!gc && (profile.timeDeltas[i] ?? 0) > GAP_CAP_US) botWaits++;
    if (gc) gcMicros += delta;
    if (loading(id)) loadMicros += delta;
    const where = fileOf(node) || node?.callFrame.functionName || "?";
    self.set(where, (self.get(where) ?? 0) + delta);
  });
  const botJs = micros - simulatorMicros - sandboxMicros - gcMicros;
  const js = micros - gcMicros;
  const botMicros = botJs + (js > 0 ? (gcMicros * botJs) / js : 0);
  const topBot = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([where, us]) => ({ where, ms: us / 1000 }));
  return {
    cpuMs: micros / 1000,
    simulatorMs: simulatorMicros / 1000,
    loadMs: loadMicros / 1000,
    sandboxMs: sandboxMicros / 1000,
    gcMs: gcMicros / 1000,
    botMs: botMicros / 1000,
    botWaits,
    topBot,
  };
}
