// Signs interactions as Discord does: Ed25519 over timestamp + body, hex in X-Signature-Ed25519
// (Discord docs, "Interactions: Security and Authorization"). The one signer: the sandbox's
// console, the tests and `npm run bench` all sign with the sandbox application's published TEST
// key through it, and the real /discord/interactions endpoint verifies them unchanged.
// WebCrypto only (workerd and Node alike); imports carry .ts so plain Node can load it.
import { bytesToHex, hexToBytes } from "../../discord/hex.ts";
import { SANDBOX_DISCORD_PRIVATE_SEED } from "../discord-keys.ts";

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): this prefix, then the seed.
const PKCS8_ED25519_PREFIX = "302e020100300506032b657004220420";

// Imported keys by seed (resolved keys, not promises: no promise is shared across requests).
const keys = new Map<string, CryptoKey>();

async function signingKey(seedHex: string): Promise<CryptoKey> {
  let key = keys.get(seedHex);
  if (!key) {
    key = await crypto.subtle.importKey("pkcs8", hexToBytes(PKCS8_ED25519_PREFIX + seedHex), "Ed25519", false, [
      "sign",
    ]);
    keys.set(seedHex, key);
  }
  return key;
}

/** Hex Ed25519 signature of timestamp + body, as in the X-Signature-Ed25519 header. */
export async function signBody(
  body: string,
  timestamp: string,
  seedHex: string = SANDBOX_DISCORD_PRIVATE_SEED,
): Promise<string> {
  const message = new TextEncoder().encode(timestamp + body);
  return bytesToHex(await crypto.subtle.sign("Ed25519", await signingKey(seedHex), message));
}

/** POST request to `url` carrying `body`, signed as Discord signs, with Discord's User-Agent. */
export async function signedRequest(url: URL, body: string, seedHex: string, timestamp: number): Promise<Request> {
  const ts = String(timestamp);
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "Discord-Interactions/1.0 (+https://discord.com)",
      "x-signature-ed25519": await signBody(body, ts, seedHex),
      "x-signature-timestamp": ts,
    },
    body,
  });
}
