// The console's small helpers: elements by id (typed, and loud when the page lacks one), new
// elements with their text, JSON requests, numbers in words.

/** The element with this id, of this kind: a missing one is a bug in index.html, said at once. */
export function byId<T extends HTMLElement = HTMLElement>(id: string, kind?: abstract new () => T): T {
  const found = document.getElementById(id);
  if (!found || (kind && !(found instanceof kind))) throw new Error(`#${id} is missing from the console page`);
  return found as T;
}

/** The first element under `parent` matching `selector`. */
export function inside(parent: Element, selector: string): HTMLElement {
  const found = parent.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`no ${selector} in #${parent.id}`);
  return found;
}

/** A new element; `text` is set as text, never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls = "",
  text?: string | number | null,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/** POSTs `body` as JSON; resolves to the HTTP outcome and the parsed answer. */
export function postJson<T>(path: string, body: unknown): Promise<{ ok: boolean; status: number; body: T }> {
  return fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then((r) => r.json().then((j: T) => ({ ok: r.ok, status: r.status, body: j })));
}

/** GETs JSON, or null when the route answers an error (the next refresh tries again). */
export function getJson<T>(path: string): Promise<T | null> {
  return fetch(path, { cache: "no-store" }).then((r) => (r.ok ? (r.json() as Promise<T>) : null));
}

export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

export const money = (x: number) => `$${Number(x).toFixed(2)}`;

/** An error's message, whatever was thrown. */
export const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
