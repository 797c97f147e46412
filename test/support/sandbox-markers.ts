// Strings that exist only in the sandbox's code: if one appears in the production bundle,
// sandbox code leaked into it.
export const SANDBOX_MARKERS = [
  "AlpacaSimulator",
  "DiscordSimulator",
  "/sandbox/api/",
  "a67e6b29e69c8a2978a7f6bee4e92172e093e1a1939d5f14dbb20d2a539dcc9d", // the sandbox's test private seed
  "Only you can see this", // the console's script (src/sandbox/console, static assets of [env.sandbox] only)
  "/sandbox/console.js", // the console page's script tag, and the path of its asset
];
