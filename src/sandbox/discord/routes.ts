// Sandbox routes of the local Discord: /sandbox/ (console page), /sandbox/api/discord,
// /sandbox/api/messages, /sandbox/api/interactions. Placeholder until the Discord capability lands.
export async function discordSandboxRoute(_request: Request, _env: Env, _url: URL): Promise<Response | null> {
  return null;
}
