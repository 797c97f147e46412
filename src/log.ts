// One JSON object per line: level, message, and whatever ids tie it to a job or interaction.
// Callers pass facts, never secrets; `redact` strips anything that looks like a credential anyway.
type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, unknown>;

const SECRET_KEYS = /token|secret|key|authorization|password/i;

function redact(fields: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEYS.test(k) ? "[redacted]" : v;
  return out;
}

function write(level: Level, message: string, fields: Fields = {}): void {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...redact(fields) });
  // biome-ignore lint/suspicious/noConsole: the logger is the one place that writes to the console
  (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(line);
}

export const log = {
  debug: (message: string, fields?: Fields) => write("debug", message, fields),
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

export function errorFields(error: unknown): Fields {
  return error instanceof Error ? { error: error.message, errorName: error.name } : { error: String(error) };
}
