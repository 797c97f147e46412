// Signs interaction bodies as Discord does (Ed25519 over timestamp + body) with the sandbox's
// published TEST key, using node:crypto. Requests are signed before the clock starts, so the
// figures measure the Worker, not the signer.
import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import { SANDBOX_DISCORD_PRIVATE_SEED } from "../src/sandbox/discord-keys.ts";

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): this prefix, then the seed.
const PKCS8_ED25519_PREFIX = "302e020100300506032b657004220420";

let key: KeyObject | undefined;

export interface SignedBody {
  body: string;
  headers: Record<string, string>;
}

export function signed(payload: unknown, now = Date.now()): SignedBody {
  key ??= createPrivateKey({
    key: Buffer.from(PKCS8_ED25519_PREFIX + SANDBOX_DISCORD_PRIVATE_SEED, "hex"),
    format: "der",
    type: "pkcs8",
  });
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), key).toString("hex");
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": signature,
      "x-signature-timestamp": timestamp,
    },
  };
}
