// Signs interaction bodies as Discord does, through the one signer (src/sandbox/discord/sign.ts,
// WebCrypto): with the sandbox's published TEST key by default, or with a key pair made for the
// run (benchKeyPair), for the production entry, which refuses the published key. Requests are
// signed before the clock starts, so the figures measure the Worker, not the signer.
import { bytesToHex } from "../src/discord/hex.ts";
import { signBody } from "../src/sandbox/discord/sign.ts";

export interface SignedBody {
  body: string;
  headers: Record<string, string>;
}

/** A fresh Ed25519 key pair: the public key as DISCORD_PUBLIC_KEY wants it, the private one as a seed. */
export interface BenchKey {
  publicKey: string;
  seed: string;
}

export async function benchKeyPair(): Promise<BenchKey> {
  const pair = (await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair;
  return {
    publicKey: bytesToHex(await crypto.subtle.exportKey("raw", pair.publicKey)),
    // PKCS#8 of an Ed25519 key ends with its 32-byte seed (RFC 8410).
    seed: bytesToHex(await crypto.subtle.exportKey("pkcs8", pair.privateKey)).slice(-64),
  };
}

export async function signed(payload: unknown, key?: BenchKey, now = Date.now()): Promise<SignedBody> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now / 1000));
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": await signBody(body, timestamp, key?.seed),
      "x-signature-timestamp": timestamp,
    },
  };
}
