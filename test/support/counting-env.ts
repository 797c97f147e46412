// Counts what Cloudflare counts as subrequests: every fetch to the outside world and every
// D1, KV and R2 operation. The bindings are the real local ones, wrapped to count, not faked.
import { env } from "cloudflare:workers";
import type { Outside } from "../../src/outside";
import { sandboxOutside } from "../../src/sandbox/outside";

export interface Counts {
  fetch: number;
  d1: number;
  kv: number;
  r2: number;
}

function countCalls<T extends object>(target: T, methods: string[], bump: () => void): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (methods.includes(String(key))) bump();
        return value.apply(object, args);
      };
    },
  });
}

function countingD1(d1: D1Database, bump: () => void): D1Database {
  return new Proxy(d1, {
    get(object, key) {
      if (key === "batch")
        return (statements: D1PreparedStatement[]) => {
          bump();
          return object.batch(statements);
        };
      if (key === "prepare") return (query: string) => countStatement(object.prepare(query), bump);
      const value = Reflect.get(object, key);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

function countStatement(statement: D1PreparedStatement, bump: () => void): D1PreparedStatement {
  return new Proxy(statement, {
    get(object, key) {
      const value = Reflect.get(object, key);
      if (typeof value !== "function") return value;
      if (key === "bind") return (...args: unknown[]) => countStatement(object.bind(...args), bump);
      if (["run", "all", "first", "raw"].includes(String(key)))
        return (...args: unknown[]) => {
          bump();
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      return value.bind(object);
    },
  });
}

/** The sandbox env and outside world, counting every subrequest they make. */
export function countingWorld(
  overrides: Record<string, string> = {},
  anthropic?: typeof fetch,
): { env: Env; outside: Outside; counts: Counts } {
  const counts: Counts = { fetch: 0, d1: 0, kv: 0, r2: 0 };
  const outside = { ...sandboxOutside(env), ...(anthropic ? { anthropic } : {}) };
  const counted =
    (f: typeof fetch): typeof fetch =>
    (input, init) => {
      counts.fetch++;
      return f(input, init);
    };
  return {
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
      DB: countingD1(env.DB, () => counts.d1++),
      STATE: countCalls(env.STATE, ["get", "put", "delete", "list", "getWithMetadata"], () => counts.kv++),
      ARCHIVE: countCalls(env.ARCHIVE, ["get", "put", "delete", "list", "head"], () => counts.r2++),
    } as Env,
  };
}

export const total = (c: Counts) => c.fetch + c.d1 + c.kv + c.r2;
