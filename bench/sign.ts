// Signs interaction bodies as Discord does with the sandbox's published TEST key, through the one
// signer (src/sandbox/discord/sign.ts, WebCrypto). Requests are signed before the clock starts, so
// the figures measure the Worker, not the signer.
import { signBody } from "../src/sandbox/discord/sign.ts";

export interface SignedBody {
  body: string;
  headers: Record<string, string>;
}

export async function signed(payload: unknown, now = Date.now()): Promise<SignedBody> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now / 1000));
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": await signBody(body, timestamp),
      "x-signature-timestamp": timestamp,
    },
  };
}
