/** The message of an error and of every error in its cause chain (Drizzle wraps D1's errors). */
export async function errorText(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const parts: string[] = [];
    let current: unknown = error;
    while (current instanceof Error) {
      parts.push(current.message);
      current = current.cause;
    }
    return parts.join(" <- ");
  }
  throw new Error("expected the operation to fail, but it succeeded");
}
