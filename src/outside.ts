/**
 * The outside world, as the Worker reaches it: one fetch per service. Production passes the
 * global fetch for all three; the sandbox and the tests pass fetches that land in local
 * simulators. Everything between here and the ports (the real SDKs included) runs unchanged.
 */
import type { World } from "./config";

export interface Outside {
  /** "real" in production; "sandbox" where the simulators (and the published test key) live. */
  world: World;
  alpaca: typeof fetch;
  discord: typeof fetch;
  anthropic: typeof fetch;
  /** What time it is for trading decisions (the sandbox's simulated clock, or the real one). */
  clock: Clock;
  /**
   * How a client waits before a retry (Discord's back-offs, its retry-after). Absent: real time.
   * The tests' sandbox waits no time at all: its simulators' faults count calls, not seconds.
   */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Whether an answer due in time (Discord wants one within 3 s) may give up on a slow call and
   * go without it. Absent: it may. The tests' sandbox says no: a loaded machine must not change
   * what /status shows.
   */
  replyGivesUp?: boolean;
}

export interface Clock {
  now(): number;
}

export const wallClock: Clock = { now: () => Date.now() };

export const realWorld: Outside = {
  world: "real",
  clock: wallClock,
  alpaca: (input, init) => fetch(input, init),
  discord: (input, init) => fetch(input, init),
  anthropic: (input, init) => fetch(input, init),
};
