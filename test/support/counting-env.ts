// Counts what Cloudflare counts as subrequests: every fetch to the outside world and every
// D1, KV and R2 operation. The bindings are the real local ones, wrapped to count, not faked.
import { env } from "cloudflare:workers";
import { createApp } from "../../src/app";
import type { JobName } from "../../src/domain/job-slots";
import { runJob } from "../../src/jobs/run-job";
import type { Outside } from "../../src/outside";
import { sandboxWorld } from "../../src/sandbox/outside";

export interface Counts {
  fetch: number;
  d1: number;
  kv: number;
  r2: number;
  /** Calls refused for passing the world's limit (not counted above). */
  refused: number;
}

/** Counts one subrequest; false when it is past the limit (the caller then fails as the runtime would). */
type Bump = () => boolean;
const tooMany = () => Promise.reject(new Error("Too many subrequests."));

function countCalls<T extends object>(target: T, methods: string[], bump: Bump): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (methods.includes(String(key)) && !bump()) return tooMany();
        return value.apply(object, args);
      };
    },
  });
}

function countingD1(d1: D1Database, bump: Bump): D1Database {
  return new Proxy(d1, {
    get(object, key) {
      if (key === "batch")
        return (statements: D1PreparedStatement[]) => (bump() ? object.batch(statements) : tooMany());
      if (key === "prepare") return (query: string) => countStatement(object.prepare(query), bump);
      const value = Reflect.get(object, key);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

function countStatement(statement: D1PreparedStatement, bump: Bump): D1PreparedStatement {
  return new Proxy(statement, {
    get(object, key) {
      const value = Reflect.get(object, key);
      if (typeof value !== "function") return value;
      if (key === "bind") return (...args: unknown[]) => countStatement(object.bind(...args), bump);
      if (["run", "all", "first", "raw"].includes(String(key)))
        return (...args: unknown[]) =>
          bump() ? (value as (...a: unknown[]) => unknown).apply(object, args) : tooMany();
      return value.bind(object);
    },
  });
}

/**
 * The sandbox env and outside world, counting every subrequest they make. With `limit`, the one
 * past it throws as the Workers runtime does ("Too many subrequests."), fetch or binding alike.
 */
export async function countingWorld(
  overrides: Record<string, string> = {},
  anthropic?: typeof fetch,
  limit = Number.POSITIVE_INFINITY,
): Promise<{
  env: Env;
  outside: Outside;
  counts: Counts;
  run: (job: JobName, slot: number, now?: number) => ReturnType<typeof runJob>;
}> {
  const counts: Counts = { fetch: 0, d1: 0, kv: 0, r2: 0, refused: 0 };
  const bump =
    (kind: keyof Counts): Bump =>
    () => {
      if (total(counts) >= limit) {
        counts.refused++;
        return false;
      }
      counts[kind]++;
      return true;
    };
  // On the simulated clock, as the sandbox worker is: the tests start it at a fixed instant.
  const outside = { ...(await sandboxWorld(env)), ...(anthropic ? { anthropic } : {}) };
  const counted =
    (f: typeof fetch): typeof fetch =>
    (input, init) =>
      bump("fetch")() ? f(input, init) : tooMany();
  const world = {
    counts,
    outside: {
      alpaca: counted(outside.alpaca),
      discord: counted(outside.discord),
      anthropic: counted(outside.anthropic),
      world: outside.world,
      clock: outside.clock,
      // The tests' sandbox: no back-off spends wall time, no answer depends on the machine's speed.
      ...(outside.timeless ? { timeless: outside.timeless } : {}),
    },
    env: {
      ...env,
      ...overrides,
      DB: countingD1(env.DB, bump("d1")),
      STATE: countCalls(env.STATE, ["get", "put", "delete", "list", "getWithMetadata"], bump("kv")),
      ARCHIVE: countCalls(env.ARCHIVE, ["get", "put", "delete", "list", "head"], bump("r2")),
    } as Env,
  };
  return {
    ...world,
    /** Runs a job on this world as its firing at `slot` would, at the world's clock unless `now` is given. */
    run: (job: JobName, slot: number, now = world.outside.clock.now()) =>
      runJob(createApp(world.env, world.outside), job, slot, now),
  };
}

export const total = (c: Counts) => c.fetch + c.d1 + c.kv + c.r2;
