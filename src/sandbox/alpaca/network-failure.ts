// A simulated dropped connection. The simulator cannot make its caller's fetch fail by throwing
// (workerd would report the throw as an uncaught exception inside the Durable Object), so it
// answers with this marker and the sandbox's forwarder turns it into a rejected fetch: the
// adapter sees a network error, exactly as when a real connection drops mid-response.
const HEADER = "X-Simulated-Network-Failure";

export function droppedConnection(message: string): Response {
  return new Response(null, { status: 502, headers: { [HEADER]: message } });
}

/** Rejects (as fetch does on a network error) when the simulator dropped the connection. */
export function failOnDroppedConnection(response: Response): Response {
  const message = response.headers.get(HEADER);
  if (message !== null) throw new TypeError(message);
  return response;
}
