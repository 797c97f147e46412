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
   * Set in the tests' sandbox only (vitest.config.ts): no wait before a retry takes wall-clock
   * time (Alpaca's, Discord's and Claude's back-offs and Retry-After), since the simulators' faults
   * count calls, not seconds; and an answer due in time (Discord wants one within 3 s) never gives
   * up on a slow call, so a loaded machine cannot change what /status shows.
   */
  timeless?: boolean;
  /**
   * How long after an interaction arrives the endpoint waits for its answer before it
   * acknowledges and delivers the answer later (discord/late-answer.ts). Default: ANSWER_WITHIN_MS,
   * or no limit when `timeless`. A test sets 0 to see what a trader sees when D1 is slow.
   */
  answerWithinMs?: number;
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
