// Discord markdown, the part the bot uses, drawn as DOM nodes (text is only ever text, never
// parsed as HTML): timestamps <t:…:R>, mentions <@id>, `code`, **bold**, _italic_ and "> " quote
// lines. Code, bold and italic may hold the others, as in Discord.
import { simNow } from "./sim-time";

/** "in 30 minutes", "2 days ago": from the simulated clock's now (it may be ahead of the wall clock). */
export function relative(ms: number): string {
  const d = Math.round((ms - simNow()) / 1000);
  const a = Math.abs(d);
  if (a < 45) return d >= 0 ? "in a few seconds" : "a few seconds ago";
  const [n, u] =
    a < 3600
      ? [Math.round(a / 60), "minute"]
      : a < 86400
        ? [Math.round(a / 3600), "hour"]
        : [Math.round(a / 86400), "day"];
  const s = `${n} ${u}${n === 1 ? "" : "s"}`;
  return d >= 0 ? `in ${s}` : `${s} ago`;
}

function stamp(ms: number, style: string): string {
  const date = new Date(ms);
  if (style === "R") return relative(ms);
  if (style === "t") return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (style === "d") return date.toLocaleDateString();
  return date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** A user's name for a mention, from their id. */
type Names = (id: string) => string;

function element(tag: string, cls: string, children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  e.append(...children);
  return e;
}

interface Rule {
  re: RegExp;
  /** Where the token starts within the match (italic's match includes the character before it). */
  skip: (m: RegExpExecArray) => number;
  make: (m: RegExpExecArray, names: Names) => Node;
}

const whole = () => 0;

// In the order they win when two start at the same place.
const RULES: Rule[] = [
  {
    re: /<t:(\d+)(?::([tTdDfFR]))?>/,
    skip: whole,
    make: (m) => {
      const ms = Number(m[1]) * 1000;
      const style = m[2] || "f";
      const span = element("span", "ts", [stamp(ms, style)]);
      span.dataset.ts = String(ms);
      span.dataset.style = style;
      span.title = new Date(ms).toLocaleString();
      return span;
    },
  },
  { re: /<@!?(\d+)>/, skip: whole, make: (m, names) => element("span", "mention", [`@${names(m[1] ?? "")}`]) },
  { re: /`([^`]+)`/, skip: whole, make: (m, names) => element("code", "", inline(m[1] ?? "", names)) },
  { re: /\*\*([^*]+)\*\*/, skip: whole, make: (m, names) => element("b", "", inline(m[1] ?? "", names)) },
  {
    re: /(^|\W)_([^_]+)_(?=\W|$)/,
    skip: (m) => (m[1] ?? "").length,
    make: (m, names) => element("i", "", inline(m[2] ?? "", names)),
  },
];

/** One stretch of text: the first token that starts earliest, the text before it, then the rest. */
function inline(text: string, names: Names): (Node | string)[] {
  let best: { rule: Rule; m: RegExpExecArray; start: number } | null = null;
  for (const rule of RULES) {
    const m = rule.re.exec(text);
    if (!m) continue;
    const start = m.index + rule.skip(m);
    if (!best || start < best.start) best = { rule, m, start };
  }
  if (!best) return text ? [text] : [];
  const end = best.m.index + best.m[0].length;
  const before = text.slice(0, best.start);
  return [...(before ? [before] : []), best.rule.make(best.m, names), ...inline(text.slice(end), names)];
}

/** The nodes of a message's text: "> " lines are quotes (the line break after a quote is its own). */
export function markdown(text: string, names: Names): (Node | string)[] {
  const out: (Node | string)[] = [];
  let plain: string[] = [];
  const lines = text.split("\n");
  for (const line of lines) {
    const quote = /^> (.*)$/.exec(line);
    if (!quote) {
      plain.push(line);
      continue;
    }
    if (plain.length) out.push(...inline(`${plain.join("\n")}\n`, names));
    plain = [];
    out.push(element("blockquote", "", inline(quote[1] ?? "", names)));
  }
  if (plain.length) out.push(...inline(plain.join("\n"), names));
  return out;
}
