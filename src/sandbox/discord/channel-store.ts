// The local channel's state, in the simulator's own SQLite (Durable Object storage): messages
// as Discord returns them, interaction tokens (→ the "@original" message), registered commands,
// queued faults and a log of the calls the bot made.
import type { EdgeFaultKind } from "./edge";

export const DISCORD_EPOCH = 1_420_070_400_000;

/** A message as Discord's API returns it (the fields the bot and the console use). */
export interface SimMessage {
  id: string;
  channel_id: string;
  type: number; // 0 default, 20 reply to a slash command, 19 reply
  content: string;
  embeds: unknown[];
  components: unknown[];
  author: { id: string; username: string; global_name: string | null; discriminator: string; bot: boolean };
  timestamp: string;
  edited_timestamp: string | null;
  flags: number;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: string[];
  attachments: unknown[];
  pinned: boolean;
  nonce?: string | number;
  webhook_id?: string;
  application_id?: string;
  /** Set on interaction replies: who used which command or clicked which message. */
  interaction_metadata?: {
    id: string;
    type: number;
    user: { id: string; username: string; global_name: string | null };
    name?: string;
    interacted_message_id?: string;
  };
}

export interface InteractionRecord {
  token: string;
  interactionId: string;
  kind: "command" | "component";
  createdAt: number;
  user: { id: string; username: string; global_name: string | null };
  name: string | null;
  /** For a component: the message the button is on. */
  clickedMessageId: string | null;
  /** The "@original" message once known. */
  messageId: string | null;
}

export interface Fault {
  status: number;
  /** Seconds, for a 429. */
  retryAfter: number;
  global: boolean;
  /** Answered by Discord's edge for a blocked IP instead (see edge.ts). */
  edge: EdgeFaultKind | null;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  route: string;
  status: number;
}

type Row = Record<string, SqlStorageValue>;

export class ChannelStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        nonce TEXT, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS interactions (token TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS commands (scope TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS faults (seq INTEGER PRIMARY KEY AUTOINCREMENT, status INTEGER NOT NULL,
        retry_after REAL NOT NULL, global INTEGER NOT NULL, edge TEXT);
      CREATE TABLE IF NOT EXISTS requests (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
        method TEXT NOT NULL, route TEXT NOT NULL, status INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    // A sandbox kept across versions (--persist-to) has the faults table from before `edge`.
    const faultColumns = sql.exec<Row>("PRAGMA table_info(faults)").toArray();
    if (!faultColumns.some((c) => c.name === "edge")) sql.exec("ALTER TABLE faults ADD COLUMN edge TEXT");
  }

  /** Increasing, time-based ids shaped like Discord's (ms since 2015 << 22). */
  nextSnowflake(now: number): string {
    const last = BigInt(this.meta("last_snowflake") ?? "0");
    const timeBased = BigInt(now - DISCORD_EPOCH) << 22n;
    const next = timeBased > last ? timeBased : last + 1n;
    this.setMeta("last_snowflake", next.toString());
    return next.toString();
  }

  messages(): SimMessage[] {
    return this.rows("SELECT body FROM messages ORDER BY seq").map((r) => JSON.parse(String(r.body)) as SimMessage);
  }

  message(id: string): SimMessage | null {
    const row = this.rows("SELECT body FROM messages WHERE id = ?", id)[0];
    return row ? (JSON.parse(String(row.body)) as SimMessage) : null;
  }

  messageByNonce(nonce: string): SimMessage | null {
    const row = this.rows("SELECT body FROM messages WHERE nonce = ? ORDER BY seq DESC LIMIT 1", nonce)[0];
    return row ? (JSON.parse(String(row.body)) as SimMessage) : null;
  }

  insertMessage(m: SimMessage): void {
    const nonce = m.nonce === undefined ? null : String(m.nonce);
    this.sql.exec("INSERT INTO messages (id, nonce, body) VALUES (?, ?, ?)", m.id, nonce, JSON.stringify(m));
  }

  updateMessage(m: SimMessage): void {
    this.sql.exec("UPDATE messages SET body = ? WHERE id = ?", JSON.stringify(m), m.id);
  }

  deleteMessage(id: string): boolean {
    return this.sql.exec("DELETE FROM messages WHERE id = ?", id).rowsWritten > 0;
  }

  interaction(token: string): InteractionRecord | null {
    const row = this.rows("SELECT body FROM interactions WHERE token = ?", token)[0];
    return row ? (JSON.parse(String(row.body)) as InteractionRecord) : null;
  }

  saveInteraction(i: InteractionRecord): void {
    this.sql.exec("INSERT OR REPLACE INTO interactions (token, body) VALUES (?, ?)", i.token, JSON.stringify(i));
  }

  commands(scope: string): unknown[] {
    const row = this.rows("SELECT body FROM commands WHERE scope = ?", scope)[0];
    return row ? (JSON.parse(String(row.body)) as unknown[]) : [];
  }

  allCommands(): Record<string, unknown[]> {
    const out: Record<string, unknown[]> = {};
    for (const r of this.rows("SELECT scope, body FROM commands")) out[String(r.scope)] = JSON.parse(String(r.body));
    return out;
  }

  saveCommands(scope: string, commands: unknown[]): void {
    this.sql.exec("INSERT OR REPLACE INTO commands (scope, body) VALUES (?, ?)", scope, JSON.stringify(commands));
  }

  setFaults(faults: Fault[]): void {
    this.sql.exec("DELETE FROM faults");
    for (const f of faults) {
      this.sql.exec(
        "INSERT INTO faults (status, retry_after, global, edge) VALUES (?, ?, ?, ?)",
        f.status,
        f.retryAfter,
        f.global ? 1 : 0,
        f.edge,
      );
    }
  }

  /** The next queued fault, consumed. */
  takeFault(): Fault | null {
    const row = this.rows("SELECT seq, status, retry_after, global, edge FROM faults ORDER BY seq LIMIT 1")[0];
    if (!row) return null;
    this.sql.exec("DELETE FROM faults WHERE seq = ?", row.seq);
    const edge = row.edge === "html" || row.edge === "blocked" ? row.edge : null;
    return { status: Number(row.status), retryAfter: Number(row.retry_after), global: row.global === 1, edge };
  }

  logRequest(entry: RequestLogEntry): void {
    this.sql.exec(
      "INSERT INTO requests (at, method, route, status) VALUES (?, ?, ?, ?)",
      entry.at,
      entry.method,
      entry.route,
      entry.status,
    );
  }

  requests(): RequestLogEntry[] {
    return this.rows("SELECT at, method, route, status FROM requests ORDER BY seq").map((r) => ({
      at: Number(r.at),
      method: String(r.method),
      route: String(r.route),
      status: Number(r.status),
    }));
  }

  reset(): void {
    for (const table of ["messages", "interactions", "commands", "faults", "requests", "meta"]) {
      this.sql.exec(`DELETE FROM ${table}`);
    }
  }

  private meta(key: string): string | null {
    const row = this.rows("SELECT value FROM meta WHERE key = ?", key)[0];
    return row ? String(row.value) : null;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }

  private rows(query: string, ...bindings: SqlStorageValue[]): Row[] {
    return this.sql.exec<Row>(query, ...bindings).toArray();
  }
}
