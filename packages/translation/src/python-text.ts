/**
 * Python `str` semantics that sacreBLEU's results depend on: which characters `str.split()` and
 * `str.strip()` treat as whitespace, and code-point (not UTF-16) indexing.
 * @internal
 */

/** The characters for which Python's `str.isspace()` is true (Unicode White_Space plus the C0 separators). */
const PY_WHITESPACE_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** One or more Python whitespace characters (linear: a single character class, no nesting). */
export const PY_WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE_CLASS}]+`);

/** Every run of Python whitespace, global. */
export const PY_WHITESPACE_RUN_GLOBAL = new RegExp(`[${PY_WHITESPACE_CLASS}]+`, 'g');

/** True for one UTF-16 code unit that Python's `str.isspace()` accepts. */
export function isPythonSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Python's `line.split()` (no argument): split on whitespace runs, no empty tokens. */
export function pySplit(line: string): string[] {
  const parts = line.split(PY_WHITESPACE_RUN);
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Python's `line.rstrip()`: drop trailing whitespace (a loop, so no regex backtracking on long runs). */
export function pyRstrip(line: string): string {
  let end = line.length;
  while (end > 0 && isPythonSpace(line.charCodeAt(end - 1))) end--;
  return end === line.length ? line : line.slice(0, end);
}

/** Python's `line.strip()`. */
export function pyStrip(line: string): string {
  let start = 0;
  let end = line.length;
  while (end > 0 && isPythonSpace(line.charCodeAt(end - 1))) end--;
  while (start < end && isPythonSpace(line.charCodeAt(start))) start++;
  return start === 0 && end === line.length ? line : line.slice(start, end);
}

/** Python's `''.join(line.split())`: every whitespace character removed. */
export function pyRemoveWhitespace(line: string): string {
  return line.replace(PY_WHITESPACE_RUN_GLOBAL, '');
}

/** Python's `' '.join(line.split())`. */
export function pyNormalizeSpaces(line: string): string {
  return pySplit(line).join(' ');
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * UTF-16 offsets of the code points of `line`, plus `line.length` at the end, so that the Python
 * slice `line[i:j]` (code points) is `line.slice(offsets[i], offsets[j])`. Returns `null` when the
 * line has no surrogate pairs (offsets are then the identity).
 */
export function codePointOffsets(line: string): Int32Array | null {
  if (!SURROGATE.test(line)) return null;
  const offsets: number[] = [];
  for (let index = 0; index < line.length; index++) {
    offsets.push(index);
    const code = line.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < line.length) {
      const next = line.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
  }
  offsets.push(line.length);
  return Int32Array.from(offsets);
}
