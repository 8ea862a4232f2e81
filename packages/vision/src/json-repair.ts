/** The outcome of {@link parseLenientJson}. */
export interface LenientJson {
  /** The parsed value. */
  value: unknown;
  /** True when the text was not valid JSON and had to be repaired (quotes, literals, truncation). */
  repaired: boolean;
}

const MAX_CUTS = 32;

/**
 * Parse JSON the way a reward must read model output: strict JSON first; then with Python-style
 * single quotes, `None`/`True`/`False` and trailing commas fixed; then, for output cut off mid-way
 * (Visual-RFT's truncated answers), by cutting back to the last complete element and closing every
 * open bracket. Returns `undefined` when nothing parses. Never throws.
 * @param text the candidate JSON text
 */
export function parseLenientJson(text: string): LenientJson | undefined {
  const strict = tryParse(text);
  if (strict !== undefined) return { value: strict.value, repaired: false };
  const normalized = normalize(text);
  const fixed = tryParse(normalized);
  if (fixed !== undefined) return { value: fixed.value, repaired: true };
  const closed = closeTruncated(normalized);
  if (closed !== undefined) return { value: closed, repaired: true };
  return undefined;
}

function tryParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function normalize(text: string): string {
  let out = text;
  if (out.includes("'")) {
    // Python reprs quote with '; a ' inside a "…" string stays (it is an apostrophe).
    out = swapSingleQuotes(out);
  }
  out = out.replace(/\bNone\b/g, 'null').replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false');
  out = out.replace(/,\s*([\]}])/g, '$1');
  return out;
}

function swapSingleQuotes(text: string): string {
  let out = '';
  let inDouble = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '\\' && inDouble) {
      out += char + (text[index + 1] ?? '');
      index++;
      continue;
    }
    if (char === '"') inDouble = !inDouble;
    out += char === "'" && !inDouble ? '"' : char;
  }
  return out;
}

/** Cut back to the last complete `}` or `]` and close what is still open. */
function closeTruncated(text: string): unknown {
  let cuts = 0;
  for (let end = text.length - 1; end >= 0 && cuts < MAX_CUTS; end--) {
    const char = text[end];
    if (char !== '}' && char !== ']') continue;
    cuts++;
    const prefix = text.slice(0, end + 1);
    const closers = openClosers(prefix);
    if (closers === undefined || closers.length === 0) continue;
    const parsed = tryParse(prefix + closers);
    if (parsed !== undefined) return parsed.value;
  }
  return undefined;
}

/** The closers that would balance `text`, or `undefined` when it closes a bracket it never opened. */
function openClosers(text: string): string | undefined {
  const stack: string[] = [];
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '[') stack.push(']');
    else if (char === '{') stack.push('}');
    else if (char === ']' || char === '}') {
      if (stack.pop() !== char) return undefined;
    }
  }
  if (inString) return undefined;
  return stack.reverse().join('');
}
