// The floor the interactions endpoint is measured against: verify the signature with
// discord-interactions' verifyKey (as the bot does) and answer a PING with PONG. Nothing else.
import { verifyKey } from "discord-interactions";

interface MinimalEnv {
  DISCORD_PUBLIC_KEY: string;
}

export default {
  async fetch(request: Request, env: MinimalEnv): Promise<Response> {
    if (request.method !== "POST") return new Response("not found", { status: 404 });
    const signature = request.headers.get("x-signature-ed25519");
    const timestamp = request.headers.get("x-signature-timestamp");
    const body = await request.text();
    if (!signature || !timestamp || !(await verifyKey(body, signature, timestamp, env.DISCORD_PUBLIC_KEY))) {
      return new Response("invalid request signature", { status: 401 });
    }
    const interaction: { type?: unknown } = JSON.parse(body);
    if (interaction.type === 1) return Response.json({ type: 1 });
    return new Response("only PING", { status: 400 });
  },
};
