// Signs interaction bodies the way Discord does (Ed25519 over timestamp + body) with the sandbox's
// published TEST key pair, so tests send real signed requests to the real endpoint.
import { SANDBOX_DISCORD_PRIVATE_SEED } from "../../src/sandbox/discord-keys";

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): this prefix, then the seed.
const PKCS8_ED25519_PREFIX = "302e020100300506032b657004220420";

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

let key: Promise<CryptoKey> | undefined;
function signingKey(): Promise<CryptoKey> {
  key ??= crypto.subtle.importKey(
    "pkcs8",
    fromHex(PKCS8_ED25519_PREFIX + SANDBOX_DISCORD_PRIVATE_SEED),
    "Ed25519",
    false,
    ["sign"],
  );
  return key;
}

/** Hex Ed25519 signature of timestamp + body, as in the X-Signature-Ed25519 header. */
export async function signBody(body: string, timestamp: string): Promise<string> {
  const message = new TextEncoder().encode(timestamp + body);
  return toHex(await crypto.subtle.sign("Ed25519", await signingKey(), message));
}

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
