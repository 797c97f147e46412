// The simulated Alpaca: a Durable Object so its market, orders and positions are one
// consistent state that every request of the sandbox sees. Placeholder until the broker lands.
import { DurableObject } from "cloudflare:workers";

export class AlpacaSimulator extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    return Response.json({ message: `simulator: no route for ${new URL(request.url).pathname}` }, { status: 404 });
  }
}
