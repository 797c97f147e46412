// The sandbox's outside world: Alpaca and Discord calls go to their simulators (Durable
// Objects); Anthropic is never called in the sandbox (no key: the rule-based analyst writes).
import type { Outside } from "../outside";
import { failOnDroppedConnection } from "./alpaca/network-failure";

function viaObject(namespace: DurableObjectNamespace, name: string): typeof fetch {
  return (input, init) => namespace.get(namespace.idFromName(name)).fetch(new Request(input, init));
}

export function sandboxOutside(env: Env): Outside {
  if (!env.SIM_ALPACA || !env.SIM_DISCORD) throw new Error("sandbox bindings SIM_ALPACA/SIM_DISCORD are missing");
  const market = viaObject(env.SIM_ALPACA, "market");
  return {
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
