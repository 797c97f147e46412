// The sandbox's outside world: Alpaca and Discord calls go to their simulators (Durable
// Objects); Anthropic is never called in the sandbox (no key: the rule-based analyst writes).
import { type Clock, type Outside, wallClock } from "../outside";
import { type SimClock, simulatedNow } from "./alpaca/clock";
import { failOnDroppedConnection } from "./alpaca/network-failure";

function viaObject(namespace: DurableObjectNamespace, name: string): typeof fetch {
  return (input, init) => namespace.get(namespace.idFromName(name)).fetch(new Request(input, init));
}

/**
 * The sandbox's outside world with the simulated market's clock, read once for this request:
 * the bot's "now" is the same instant the simulators use (GET|POST /sandbox/api/clock).
 */
export async function sandboxWorld(env: Env): Promise<Outside> {
  const outside = sandboxOutside(env);
  const response = await outside.alpaca("https://sim.control/control/clock");
  if (!response.ok) throw new Error(`the simulated clock is unreadable (${response.status})`);
  const view = await response.json<{ offset_ms: number; moved: boolean }>();
  const clock: SimClock = { offsetMs: view.offset_ms, moved: view.moved };
  // A test's freeze_at holds the quotes still; the bot's time keeps flowing (moved by advances).
  return { ...outside, clock: { now: () => simulatedNow(clock, null, Date.now()) } };
}

/** The simulators, with the wall clock unless a clock is given (tests pass their instants). */
export function sandboxOutside(env: Env, clock: Clock = wallClock): Outside {
  if (!env.SIM_ALPACA || !env.SIM_DISCORD) throw new Error("sandbox bindings SIM_ALPACA/SIM_DISCORD are missing");
  const market = viaObject(env.SIM_ALPACA, "market");
  // Set by vitest.config.ts only: in the tests no back-off takes wall-clock time and no answer gives
  // up on a slow call, so an outcome never depends on how fast the machine is (src/outside.ts).
  // `npm run dev` keeps the real back-offs and limits, so the console shows how long a
  // rate-limited post takes.
  const timeless = (env as { SANDBOX_TIMELESS?: string }).SANDBOX_TIMELESS === "true";
  return {
    world: "sandbox",
    clock,
    ...(timeless ? { timeless } : {}),
    // A lost order response arrives as a marker and leaves here as a rejected fetch.
    alpaca: async (input, init) => failOnDroppedConnection(await market(input, init)),
    discord: viaObject(env.SIM_DISCORD, "channel"),
    anthropic: async () =>
      Response.json(
        { type: "error", error: { type: "not_found_error", message: "no Anthropic in the sandbox" } },
        { status: 404 },
      ),
  };
}
