// Signed requests to the real endpoint, as Discord sends them, with the sandbox's published TEST
// key pair (the one signer, src/sandbox/discord/sign.ts), so tests exercise real verification.
import { signBody } from "../../src/sandbox/discord/sign";

export { signBody };

export interface SignOptions {
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  url?: string;
}

/** A POST /discord/interactions request carrying `body` (an object is JSON-encoded), signed. */
export async function signedRequest(body: unknown, options: SignOptions = {}): Promise<Request> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return new Request(options.url ?? "http://bot.test/discord/interactions", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": await signBody(text, timestamp),
      "x-signature-timestamp": timestamp,
    },
    body: text,
  });
}
