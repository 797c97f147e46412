// Reading the SDK's raw responses (its *Raw methods): the SDK builds, sends, retries and
// rate-limits the request and maps its errors, and the body is parsed by the runtime's JSON.parse
// and read field by field by the caller, not by the SDK's lossless-json parser into model objects
// with a Date per time. Used where the answers are large (chains) or on every run (prices).

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The page token of a raw page (Alpaca's `next_page_token`), when there is one. */
export function nextToken(body: Record<string, unknown>): string | null {
  const next = body.next_page_token;
  return typeof next === "string" && next !== "" ? next : null;
}

/** A raw response's JSON body, which must be an object (anything else is an unreadable answer). */
export async function rawBody(response: { raw: Response }, what: string): Promise<Record<string, unknown>> {
  // The same work as response.json(), but parsed here, in a JavaScript frame: the profiler then
  // names it as this function's (2-3 ms a chain), where json()'s parse showed as "(program)".
  const body: unknown = JSON.parse(await response.raw.text());
  if (!isRecord(body)) throw new Error(`Alpaca's ${what} answer is not a JSON object`);
  return body;
}
