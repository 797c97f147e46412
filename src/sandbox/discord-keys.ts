// The sandbox Discord application's Ed25519 key pair. PUBLISHED TEST KEYS: anyone can sign
// with them, so they must never be used for a real application. The public key is the sandbox
// env's DISCORD_PUBLIC_KEY (wrangler.toml [env.sandbox.vars]); the private key is the 32-byte seed.
import { PUBLISHED_TEST_PUBLIC_KEY } from "../discord/published-test-key.ts";

export const SANDBOX_DISCORD_PUBLIC_KEY = PUBLISHED_TEST_PUBLIC_KEY;
export const SANDBOX_DISCORD_PRIVATE_SEED = "a67e6b29e69c8a2978a7f6bee4e92172e093e1a1939d5f14dbb20d2a539dcc9d";
