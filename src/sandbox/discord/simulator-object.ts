// The simulated Discord: a Durable Object holding the local channel. Placeholder until the
// Discord capability lands.
import { DurableObject } from "cloudflare:workers";

export class DiscordSimulator extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    return Response.json(
      { message: `discord simulator: no route for ${new URL(request.url).pathname}` },
      { status: 404 },
    );
  }
}
