/** JSON responses with the status a client can act on. */
export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export function notFound(path: string): Response {
  return json({ error: "not_found", message: `No route for ${path}` }, 404);
}
