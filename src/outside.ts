/**
 * The outside world, as the Worker reaches it: one fetch per service. Production passes the
 * global fetch for all three; the sandbox and the tests pass fetches that land in local
 * simulators. Everything between here and the ports (the real SDKs included) runs unchanged.
 */
export interface Outside {
  alpaca: typeof fetch;
  discord: typeof fetch;
  anthropic: typeof fetch;
}

export const realWorld: Outside = {
  alpaca: (input, init) => fetch(input, init),
  discord: (input, init) => fetch(input, init),
  anthropic: (input, init) => fetch(input, init),
};
