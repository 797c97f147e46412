// The channel: polls GET /sandbox/api/messages, draws each message as Discord would (the
// markdown the bot uses, embeds, buttons, ephemeral replies), and sends clicks and slash
// commands to POST /sandbox/api/interactions as the user picked in "Click as".
import type { ActionRow, Application, Embed, InteractionResult, Message } from "./api";
import { loadBooks } from "./books";
import { byId, el, postJson, reason } from "./dom";
import { markdown, relative } from "./markdown";

const state = { last: "", users: {} as Record<string, string>, forceBottom: false };

/** The next redraw scrolls to the newest message (after a command or a job the user started). */
export function scrollDownNextDraw(): void {
  state.forceBottom = true;
}

const userName = (id: string) => state.users[id] ?? `user ${id.slice(-4)}`;

/** An element holding the bot's text as Discord draws its markdown (text stays text: no HTML parsed). */
function mdEl(tag: "div", cls: string, text: string | undefined): HTMLElement {
  const e = el(tag, cls);
  e.append(...markdown(text ?? "", userName));
  return e;
}

const color = (n: number | undefined) =>
  typeof n === "number" ? `#${`000000${n.toString(16)}`.slice(-6)}` : "#1e1f22";

function renderEmbed(e: Embed): HTMLElement {
  const box = el("div", "embed");
  box.style.borderLeftColor = color(e.color);
  if (e.author?.name) box.appendChild(el("div", "footer", e.author.name));
  if (e.title) box.appendChild(mdEl("div", "title", e.title));
  if (e.description) box.appendChild(mdEl("div", "desc", e.description));
  if (e.fields?.length) {
    const grid = el("div", "fields");
    for (const f of e.fields) {
      const field = el("div", `field${f.inline ? " inline" : ""}`);
      field.appendChild(mdEl("div", "fname", f.name));
      field.appendChild(mdEl("div", "fvalue", f.value));
      grid.appendChild(field);
    }
    box.appendChild(grid);
  }
  // Only inline images (the local channel keeps attachments as data: URLs); nothing fetched.
  const url = e.image?.url;
  if (typeof url === "string" && url.indexOf("data:image/png;base64,") === 0) {
    const img = el("img", "embed-image");
    img.src = url;
    img.alt = "chart";
    box.appendChild(img);
  }
  const foot: string[] = [];
  if (e.footer?.text) foot.push(e.footer.text);
  if (e.timestamp) foot.push(new Date(e.timestamp).toLocaleString([], { dateStyle: "short", timeStyle: "short" }));
  if (foot.length) box.appendChild(el("div", "footer", foot.join(" • ")));
  return box;
}

function renderButtons(m: Message): HTMLElement {
  const wrap = el("div");
  for (const row of m.components ?? ([] as ActionRow[])) {
    if (row.type !== 1) continue;
    const line = el("div", "buttons");
    for (const c of row.components ?? []) {
      if (c.type !== 2) continue;
      const b = el("button", `cbtn s${c.style || 2}`, (c.emoji?.name ? `${c.emoji.name} ` : "") + (c.label || ""));
      b.disabled = !!c.disabled;
      b.dataset.customId = c.custom_id || "";
      b.dataset.messageId = m.id;
      b.addEventListener("click", () => click(b, m.id, c.custom_id));
      line.appendChild(b);
    }
    wrap.appendChild(line);
  }
  return wrap;
}

function renderMessage(m: Message): HTMLElement {
  const row = el("div", "msg");
  row.dataset.id = m.id;
  const meta = m.interaction_metadata;
  if (meta?.name) row.dataset.command = meta.name;
  if (m.flags & 64) row.classList.add("ephemeral");
  row.appendChild(el("div", "avatar", "SD"));
  const body = el("div", "body");
  if (meta) {
    const reply = el("div", "reply");
    reply.appendChild(document.createTextNode("↱ "));
    reply.appendChild(el("b", "", `@${meta.user?.global_name || meta.user?.username || "someone"}`));
    if (meta.name) {
      reply.appendChild(document.createTextNode(" used "));
      reply.appendChild(el("span", "cmd", `/${meta.name}`));
    } else reply.appendChild(document.createTextNode(" clicked a button"));
    body.appendChild(reply);
  }
  const head = el("div", "meta");
  head.appendChild(el("span", "author", m.author?.username || "spread-desk"));
  head.appendChild(el("span", "app", "APP"));
  head.appendChild(
    el("span", "time", new Date(m.timestamp).toLocaleString([], { dateStyle: "short", timeStyle: "medium" })),
  );
  body.appendChild(head);
  if (m.flags & 128) body.appendChild(el("div", "thinking", "spread-desk is thinking…"));
  if (m.content) {
    const content = mdEl("div", "content", m.content);
    if (m.edited_timestamp) content.appendChild(el("span", "edited", "(edited)"));
    body.appendChild(content);
  }
  for (const e of m.embeds ?? []) body.appendChild(renderEmbed(e));
  if (!m.content && m.edited_timestamp) body.appendChild(el("span", "edited", "(edited)"));
  body.appendChild(renderButtons(m));
  if (m.flags & 64) {
    const user = meta?.user;
    const who = user ? ` (shown to @${user.global_name || user.username})` : "";
    body.appendChild(el("div", "only-you", `Only you can see this${who}`));
  }
  row.appendChild(body);
  return row;
}

function render(list: Message[]): void {
  const box = byId("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  box.textContent = "";
  if (list.length === 0) box.appendChild(emptyChannel());
  for (const m of list) box.appendChild(renderMessage(m));
  if (atBottom || state.forceBottom) box.scrollTop = box.scrollHeight;
  state.forceBottom = false;
}

function emptyChannel(): HTMLElement {
  const box = el("div", "empty");
  box.appendChild(
    el(
      "div",
      "",
      "No messages yet. This is the bot's channel: recommendations, fills, exit alerts and the end-of-day summary appear here.",
    ),
  );
  const go = el("button", "go", "Run /scan");
  go.type = "button";
  go.id = "empty-scan";
  go.addEventListener("click", () => command("scan"));
  box.appendChild(go);
  return box;
}

/** Reads the channel and redraws it when it changed (and the books with it). */
export function poll(): Promise<void> {
  return fetch("/sandbox/api/messages", { cache: "no-store" })
    .then((r) => r.text())
    .then((text) => {
      if (text !== state.last) {
        state.last = text;
        render(JSON.parse(text) as Message[]);
        void loadBooks();
      }
    })
    .catch((e: unknown) => toast(`Could not read the channel: ${reason(e)}`, true));
}

export function toast(text: string, bad = false): void {
  const t = el("div", `toast${bad ? " bad" : ""}`, text);
  byId("toasts").appendChild(t);
  setTimeout(() => t.remove(), bad ? 8000 : 4000);
}

type Interaction =
  | { type: "component"; message_id: string; custom_id: string | undefined }
  | { type: "command"; name: string; options: Record<string, unknown> };

function send(payload: Interaction): Promise<void> {
  const body = { ...payload, user_id: byId("as", HTMLSelectElement).value };
  return postJson<InteractionResult>("/sandbox/api/interactions", body)
    .then((res) => {
      const b = res.body;
      if (res.status !== 200) toast(`Sandbox refused: ${b.message || res.status}`, true);
      else if (b.status !== 200)
        toast(`The bot answered ${b.status}: ${String(JSON.stringify(b.response)).slice(0, 200)}`, true);
      else if (b.discord_error) toast(b.discord_error, true);
      state.forceBottom = payload.type === "command";
      return poll();
    })
    .catch((e: unknown) => toast(`Request failed: ${reason(e)}`, true));
}

function click(button: HTMLButtonElement, messageId: string, customId: string | undefined): void {
  button.disabled = true;
  void send({ type: "component", message_id: messageId, custom_id: customId }).then(() => {
    button.disabled = false;
  });
}

export function command(name: string, options: Record<string, unknown> = {}): Promise<void> {
  return send({ type: "command", name, options });
}

/** "/halt reason: lunch" → command halt with { reason: "lunch" }. */
function typed(text: string): Promise<void> | undefined {
  const m = /^\/?([\w-]+)\s*(.*)$/.exec(text.trim());
  if (!m?.[1]) return undefined;
  const options: Record<string, string | number | boolean> = {};
  const rest = m[2] ?? "";
  const re = /([\w-]+):\s*/g;
  const keys: { key: string; start: number; end: number }[] = [];
  for (let hit = re.exec(rest); hit; hit = re.exec(rest)) {
    keys.push({ key: hit[1] ?? "", start: hit.index, end: re.lastIndex });
  }
  keys.forEach((k, i) => {
    const v = rest.slice(k.end, keys[i + 1]?.start ?? rest.length).trim();
    options[k.key] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === "true" ? true : v === "false" ? false : v;
  });
  return command(m[1], options);
}

/** Redraws the relative times ("in 5 minutes") against the simulated now. */
export function refreshTimes(): void {
  for (const s of document.querySelectorAll<HTMLElement>(".ts[data-style='R']")) {
    s.textContent = relative(Number(s.dataset.ts));
  }
}

/** The command bar, the compose box and the mode badge; then the users, then the first draw. */
export function startChannel(): Promise<void> {
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-command]")) {
    b.addEventListener("click", () => command(b.dataset.command ?? ""));
  }
  byId("compose").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const input = byId("typed", HTMLInputElement);
    const v = input.value;
    input.value = "";
    if (v.trim()) void typed(v);
  });
  const mode = byId("mode");
  fetch("/health")
    .then((r) => r.json() as Promise<{ mode?: string } | null>)
    .then((h) => {
      const m = h?.mode || "?";
      mode.textContent = m.toUpperCase();
      mode.className = `badge ${m}`;
    })
    .catch(() => {
      mode.textContent = "?";
    });
  return fetch("/sandbox/api/discord")
    .then((r) => r.json() as Promise<Application>)
    .then((app) => {
      state.users[app.allowed_user_id] = "Trader";
      state.users[app.other_user_id] = "Guest";
      const as = byId("as", HTMLSelectElement);
      as.appendChild(new Option("Trader (allowed to approve)", app.allowed_user_id));
      as.appendChild(new Option("Guest (not allowed)", app.other_user_id));
    });
}
