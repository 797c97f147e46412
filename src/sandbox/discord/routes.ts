// Sandbox routes of the local Discord (design.md, "The sandbox contract"; the console page is
// src/sandbox/console, served by ../console-route.ts):
//   GET  /sandbox/api/discord      the sandbox application: ids and the published TEST key pair
//   GET  /sandbox/api/messages     the local channel, oldest first, as the bot left it
//   POST /sandbox/api/interactions a slash command or a click, signed and sent to /discord/interactions
import { json } from "../../http";
import { SANDBOX_DISCORD_PRIVATE_SEED, SANDBOX_DISCORD_PUBLIC_KEY } from "../discord-keys";
import { channelSimulator } from "./channel";
import { buildInteraction, commandOptions, InteractionInput, sandboxUsers, userFor } from "./interactions";
import { signedRequest } from "./sign";

/** Calls the worker's own fetch in-process (same env and ctx, so waitUntil work still runs). */
export type Dispatch = (request: Request) => Promise<Response>;

export async function discordSandboxRoute(
  request: Request,
  env: Env,
  url: URL,
  dispatch: Dispatch,
): Promise<Response | null> {
  const { pathname } = url;
  const method = request.method;
  if (pathname === "/sandbox/api/discord" && method === "GET") return application(env);
  if (pathname === "/sandbox/api/messages" && method === "GET") {
    return json(await channelSimulator(env).listMessages());
  }
  if (pathname === "/sandbox/api/interactions") {
    if (method !== "POST") return json({ error: "method_not_allowed" }, 405, { allow: "POST" });
    return interact(request, env, url, dispatch);
  }
  return null;
}

function application(env: Env): Response {
  const users = sandboxUsers(env);
  return json({
    application_id: env.DISCORD_APPLICATION_ID,
    public_key: SANDBOX_DISCORD_PUBLIC_KEY,
    private_key: SANDBOX_DISCORD_PRIVATE_SEED,
    channel_id: env.DISCORD_CHANNEL_ID,
    allowed_user_id: users.allowed,
    other_user_id: users.other,
  });
}

const badRequest = (message: string) => json({ error: "bad_request", message }, 400);

async function interact(request: Request, env: Env, url: URL, dispatch: Dispatch): Promise<Response> {
  const raw: unknown = await request.json().catch(() => undefined);
  if (raw === undefined) return badRequest("body must be JSON");
  const parsed = InteractionInput.safeParse(raw);
  if (!parsed.success) {
    return badRequest(parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  }
  const input = parsed.data;
  const sim = channelSimulator(env);
  const user = userFor(env, input.user_id ?? sandboxUsers(env).allowed);
  const now = Date.now();

  let built: ReturnType<typeof buildInteraction>;
  if (input.type === "command") {
    const options = commandOptions(input);
    if (!options.ok) return badRequest(options.reason);
    built = buildInteraction(env, { kind: "command", name: input.name, options: options.options }, user, now);
  } else {
    const message = await sim.getMessage(input.message_id);
    if (!message) return badRequest(`no message ${input.message_id} in the local channel`);
    built = buildInteraction(env, { kind: "component", customId: input.custom_id, message }, user, now);
  }

  // Registered first: the bot may call its webhook (edit @original, follow-up) before we return.
  await sim.registerInteraction({
    token: built.token,
    interactionId: built.id,
    kind: input.type,
    user,
    name: input.type === "command" ? input.name : null,
    clickedMessageId: input.type === "component" ? input.message_id : null,
  });
  const signed = await signedRequest(
    new URL("/discord/interactions", url),
    JSON.stringify(built.body),
    SANDBOX_DISCORD_PRIVATE_SEED,
    Math.floor(now / 1000),
  );
  const answer = await dispatch(signed);
  const text = await answer.text();
  const response = parseJson(text);
  const recorded =
    answer.status === 200 && response !== undefined ? await sim.recordResponse(built.token, response) : null;
  return json({
    status: answer.status,
    response: response === undefined ? text : response,
    interaction_id: built.id,
    message_id: recorded?.messageId ?? null,
    ...(recorded?.error ? { discord_error: `This interaction failed: ${recorded.error}` } : {}),
  });
}

/** The bot's answer as JSON, or undefined when it is not JSON (shown as text instead). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
