// Is this request from Discord, and fresh? Ed25519 over timestamp + raw body (discord-interactions
// verifyKey, which is async: without the await it would always pass), then a timestamp window,
// because verifyKey checks no age and a captured request would otherwise verify forever.
import { verifyKey } from "discord-interactions";
import { hexToBytes } from "./hex";

/** Discord's interaction bodies are a few KiB (a clicked message with embeds stays well under this). */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_AGE_SECONDS = 5 * 60;
export const MAX_FUTURE_SECONDS = 60;

export type VerifyResult =
  | { ok: true; body: string; timestamp: number }
  | { ok: false; status: 401 | 413; reason: string };

/** Reads the raw body once and checks signature and timestamp. `now` is epoch ms. */
export async function verifyRequest(request: Request, publicKey: string, now: number): Promise<VerifyResult> {
  const signature = request.headers.get("x-signature-ed25519");
  const timestampHeader = request.headers.get("x-signature-timestamp");
  if (signature === null || timestampHeader === null) {
    return { ok: false, status: 401, reason: "missing signature headers" };
  }
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, status: 401, reason: "malformed signature" };
  if (!/^\d{1,12}$/.test(timestampHeader)) return { ok: false, status: 401, reason: "malformed timestamp" };

  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { ok: false, status: 413, reason: "body too large" };
  // Read as a stream and stop at the cap: a chunked body declares no length.
  const body = await readAtMost(request, MAX_BODY_BYTES);
  if (body === null) return { ok: false, status: 413, reason: "body too large" };

  const key = await verificationKey(publicKey).catch(() => null);
  if (key === null) return { ok: false, status: 401, reason: "the configured public key does not import" };
  const valid = await verifyKey(body, signature, timestampHeader, key);
  if (!valid) return { ok: false, status: 401, reason: "bad signature" };

  const timestamp = Number(timestampHeader);
  const ageSeconds = now / 1000 - timestamp;
  if (ageSeconds > MAX_AGE_SECONDS) return { ok: false, status: 401, reason: "stale timestamp" };
  if (-ageSeconds > MAX_FUTURE_SECONDS) return { ok: false, status: 401, reason: "timestamp in the future" };
  return { ok: true, body, timestamp };
}

/**
 * The public key as a WebCrypto key, imported once per isolate: verifyKey takes a CryptoKey as
 * well as the hex string, and importing the string again on every request is most of its cost
 * beside the signature check itself. Keyed by the hex, so a rotated key is imported anew. The
 * resolved key is kept, not the promise: workerd does not let one request wait on a promise
 * another request created.
 */
const imported = new Map<string, CryptoKey>();

async function verificationKey(hex: string): Promise<CryptoKey> {
  let key = imported.get(hex);
  if (!key) {
    key = await crypto.subtle.importKey("raw", hexToBytes(hex), { name: "Ed25519" }, false, ["verify"]);
    imported.set(hex, key);
  }
  return key;
}

/** The body as text, or null as soon as it passes `limit` bytes (the rest is never read). */
async function readAtMost(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel("body too large");
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
