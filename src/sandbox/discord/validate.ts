// What real Discord refuses with 400 (code 50035 "Invalid Form Body", or 50006 for an empty
// message), checked independently of our own builders so the sandbox catches a builder bug
// the way Discord would, instead of happily storing an embed Discord would never show.
const MAX = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  rows: 5,
  perRow: 5,
  customId: 100,
  label: 80,
} as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

export interface Invalid {
  code: 50006 | 50035;
  message: string;
  problems: string[];
}

/** Problems with a message body, or null when Discord would accept it. `edit` allows partial bodies. */
export function invalidMessage(body: unknown, edit = false): Invalid | null {
  if (!isObject(body)) return { code: 50035, message: "Invalid Form Body", problems: ["body must be an object"] };
  const problems: string[] = [];
  if (body.content !== undefined && body.content !== null) {
    if (typeof body.content !== "string") problems.push("content: must be a string");
    else if (body.content.length > MAX.content) problems.push(`content: longer than ${MAX.content}`);
  }
  const embeds = body.embeds ?? [];
  if (!Array.isArray(embeds)) problems.push("embeds: must be an array");
  else {
    if (embeds.length > MAX.embeds) problems.push(`embeds: more than ${MAX.embeds}`);
    let total = 0;
    embeds.forEach((e, i) => {
      total += checkEmbed(e, `embeds[${i}]`, problems);
    });
    if (total > MAX.total) problems.push(`embeds: ${total} characters in total, more than ${MAX.total}`);
  }
  const rows = body.components ?? [];
  if (!Array.isArray(rows)) problems.push("components: must be an array");
  else {
    if (rows.length > MAX.rows) problems.push(`components: more than ${MAX.rows} rows`);
    rows.forEach((row, i) => {
      checkRow(row, `components[${i}]`, problems);
    });
  }
  if (problems.length > 0) return { code: 50035, message: "Invalid Form Body", problems };
  const empty =
    !str(body.content) &&
    (!Array.isArray(embeds) || embeds.length === 0) &&
    (!Array.isArray(rows) || rows.length === 0);
  if (!edit && empty) return { code: 50006, message: "Cannot send an empty message", problems: [] };
  return null;
}

function checkEmbed(e: unknown, at: string, problems: string[]): number {
  if (!isObject(e)) {
    problems.push(`${at}: must be an object`);
    return 0;
  }
  const limit = (value: unknown, max: number, name: string) => {
    if (str(value).length > max) problems.push(`${at}.${name}: longer than ${max}`);
    return str(value).length;
  };
  let total = limit(e.title, MAX.title, "title") + limit(e.description, MAX.description, "description");
  if (isObject(e.footer)) total += limit(e.footer.text, MAX.footer, "footer.text");
  if (isObject(e.author)) total += limit(e.author.name, MAX.author, "author.name");
  const fields = e.fields ?? [];
  if (!Array.isArray(fields)) problems.push(`${at}.fields: must be an array`);
  else {
    if (fields.length > MAX.fields) problems.push(`${at}.fields: more than ${MAX.fields}`);
    fields.forEach((f, i) => {
      const where = `${at}.fields[${i}]`;
      if (!isObject(f) || !str(f.name) || !str(f.value)) {
        problems.push(`${where}: name and value must be non-empty strings`);
        return;
      }
      if (str(f.name).length > MAX.fieldName) problems.push(`${where}.name: longer than ${MAX.fieldName}`);
      if (str(f.value).length > MAX.fieldValue) problems.push(`${where}.value: longer than ${MAX.fieldValue}`);
      total += str(f.name).length + str(f.value).length;
    });
  }
  return total;
}

function checkRow(row: unknown, at: string, problems: string[]): void {
  if (!isObject(row) || row.type !== 1 || !Array.isArray(row.components)) {
    problems.push(`${at}: must be an action row (type 1) with components`);
    return;
  }
  if (row.components.length === 0 || row.components.length > MAX.perRow) {
    problems.push(`${at}: needs 1 to ${MAX.perRow} components`);
  }
  row.components.forEach((c, i) => {
    const where = `${at}.components[${i}]`;
    if (!isObject(c) || c.type !== 2) return; // select menus etc.: not used by the bot
    const link = c.style === 5;
    if (!link && (!str(c.custom_id) || str(c.custom_id).length > MAX.customId)) {
      problems.push(`${where}.custom_id: required, at most ${MAX.customId} characters`);
    }
    if (str(c.label).length > MAX.label) problems.push(`${where}.label: longer than ${MAX.label}`);
  });
}
