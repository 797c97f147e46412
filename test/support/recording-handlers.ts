// Handlers that record what the router hands them and answer with a marker, so a test can see
// which handler ran, with which parsed action or options, and how often. This is the router's
// public seam (createInteractionHandler takes any Handlers), not a mock of our modules.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { APIInteractionResponse } from "discord-api-types/v10";
import { createInteractionHandler, type Handlers, type InteractionContext } from "../../src/discord/endpoint";
import { ephemeral } from "../../src/discord/responses";
import { sandboxWorld } from "../../src/sandbox/outside";
import { interactionRoot } from "../../src/worker";

export interface Call {
  handler: string;
  arg: unknown;
  context: Pick<InteractionContext, "userId" | "userName" | "roleIds" | "now"> & { interactionId: string };
}

export function recordingHandlers(): { handlers: Handlers; calls: Call[] } {
  const calls: Call[] = [];
  const record =
    (handler: string) =>
    async (c: InteractionContext, arg: unknown): Promise<APIInteractionResponse> => {
      calls.push({
        handler,
        arg,
        context: {
          userId: c.userId,
          userName: c.userName,
          roleIds: c.roleIds,
          now: c.now,
          interactionId: c.interaction.id,
        },
      });
      return ephemeral(`handled by ${handler}`);
    };
  return {
    calls,
    handlers: {
      commands: {
        status: record("status"),
        portfolio: record("portfolio"),
        close: record("close"),
        performance: record("performance"),
        playbook: record("playbook"),
        halt: record("halt"),
        resume: record("resume"),
        scan: record("scan"),
        help: record("help"),
      },
      approve: record("approve"),
      reject: record("reject"),
      close: record("close"),
      flatten: record("flatten"),
      refresh: record("refresh"),
    },
  };
}

/** Sends a request through the real router with the given handlers and the sandbox env (or overrides). */
export async function through(
  handlers: Handlers,
  request: Request,
  envOverrides: Record<string, string> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const testEnv = { ...env, ...envOverrides };
  const response = await createInteractionHandler(handlers)(
    request,
    ctx,
    interactionRoot(testEnv, "sandbox", () => sandboxWorld(testEnv)),
  );
  await waitOnExecutionContext(ctx);
  return response;
}
