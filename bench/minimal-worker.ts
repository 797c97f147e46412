// The floors the interactions endpoint is measured against. A PING: verify the signature with
// discord-interactions' verifyKey (as the bot does) and answer PONG, nothing else. Any other
// interaction: verify, then one D1 round trip that records its id (an insert and a read of
// whether it changed a row, in one batch), then an ephemeral answer: the least a click that
// refuses replays in D1 can do before it answers, on the same local D1 as the bot's. Posted to
// `…/deferred`, the same click answers a deferred update at once and makes the same round trip
// after the answer (waitUntil): what answering before the database could buy on this machine.
import { verifyKey } from "discord-interactions";

// The few D1 calls used here, by shape: the bench compiles with Node's types, not the Workers'.
interface Statement {
  bind(...values: unknown[]): Statement;
}
interface Database {
  exec(query: string): Promise<unknown>;
  prepare(query: string): Statement;
  batch<T>(statements: Statement[]): Promise<{ results: T[] }[]>;
}

interface MinimalEnv {
  DISCORD_PUBLIC_KEY: string;
  DB: Database;
}

/** Made on the first click of the isolate (the bench's D1 here is a fresh local one). */
let tableMade = false;
/** Deferred clicks whose round trip has not ended: GET …/pending says how many. */
let pendingRecords = 0;

export default {
  async fetch(request: Request, env: MinimalEnv, ctx: { waitUntil(work: Promise<unknown>): void }): Promise<Response> {
    const path = new URL(request.url).pathname;
    // The bench waits for the deferred clicks' work to end before it reads the runtime's CPU.
    if (request.method === "GET" && path.endsWith("/pending")) return new Response(String(pendingRecords));
    if (request.method !== "POST") return new Response("not found", { status: 404 });
    const signature = request.headers.get("x-signature-ed25519");
    const timestamp = request.headers.get("x-signature-timestamp");
    const body = await request.text();
    if (!signature || !timestamp || !(await verifyKey(body, signature, timestamp, env.DISCORD_PUBLIC_KEY))) {
      return new Response("invalid request signature", { status: 401 });
    }
    const interaction: { type?: unknown; id?: unknown } = JSON.parse(body);
    if (interaction.type === 1) return Response.json({ type: 1 });
    if (!tableMade) {
      await env.DB.exec("CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY)");
      tableMade = true;
    }
    const record = () =>
      env.DB.batch<{ n: number }>([
        env.DB.prepare("INSERT INTO seen (id) VALUES (?) ON CONFLICT DO NOTHING").bind(String(interaction.id)),
        env.DB.prepare("SELECT changes() AS n"),
      ]);
    if (path.endsWith("/deferred")) {
      pendingRecords++;
      ctx.waitUntil(
        record().finally(() => {
          pendingRecords--;
        }),
      );
      return Response.json({ type: 6 });
    }
    const [, changed] = await record();
    const first = changed?.results[0]?.n === 1;
    return Response.json({ type: 4, data: { content: first ? "recorded" : "seen before", flags: 64 } });
  },
};
