// The sandbox Discord application's public key. PUBLISHED with its private seed (in
// src/sandbox/discord-keys.ts): anyone can sign an interaction that verifies against it, so a
// real deployment must refuse to run with it (config.ts).
export const PUBLISHED_TEST_PUBLIC_KEY = "17d0b29ec6d915b5d777b58e975ba99c6e203ad524c462b57c6eee5edebcedbe";
