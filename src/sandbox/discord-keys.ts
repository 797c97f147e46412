// The sandbox Discord application's Ed25519 key pair. PUBLISHED TEST KEYS: anyone can sign
// with them, so they must never be used for a real application. The public key is the sandbox
// env's DISCORD_PUBLIC_KEY (wrangler.toml [env.sandbox.vars]); the private key is the 32-byte seed.
export const SANDBOX_DISCORD_PUBLIC_KEY = "17d0b29ec6d915b5d777b58e975ba99c6e203ad524c462b57c6eee5edebcedbe";
export const SANDBOX_DISCORD_PRIVATE_SEED = "a67e6b29e69c8a2978a7f6bee4e92172e093e1a1939d5f14dbb20d2a539dcc9d";
