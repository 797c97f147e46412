// Hex as Discord writes keys and signatures (DISCORD_PUBLIC_KEY, X-Signature-Ed25519), to and from
// the bytes WebCrypto takes. No imports: the sandbox's signer loads it in plain Node as well.

/** The bytes of a hex string of even length (its digits already checked by the caller). */
export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Lower-case hex of some bytes, two digits each. */
export function bytesToHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
