/** How standard output is compared with the expected output. */
export type CompareMode = 'exact' | 'whitespace' | 'float';

/**
 * Whitespace normalisation: CRLF becomes LF, each line is trimmed and its inner runs of spaces/tabs
 * become one space, and blank lines at the start and end are dropped. Line breaks inside the
 * text still count.
 */
export function normalizeWhitespace(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim().replace(/[ \t\f\v]+/g, ' '));
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return lines.slice(start, end).join('\n');
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Two numbers agree when `|a - b| <= tolerance * max(1, |b|)` (absolute below 1, relative above).
 * @param tolerance >= 0
 */
export function numbersClose(actual: number, expected: number, tolerance: number): boolean {
  if (actual === expected) return true;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return false;
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

/**
 * Compare a program's output with the expected output.
 * - `exact`: byte for byte.
 * - `whitespace` (default): after {@link normalizeWhitespace}.
 * - `float`: token by token (split on any whitespace); tokens that both parse as numbers agree
 *   within `tolerance` ({@link numbersClose}), others must be equal.
 * @param tolerance for `float`, >= 0 (default 1e-6)
 */
export function outputsMatch(actual: string, expected: string, mode: CompareMode = 'whitespace', tolerance = 1e-6): boolean {
  if (mode === 'exact') return actual === expected;
  if (mode === 'whitespace') return normalizeWhitespace(actual) === normalizeWhitespace(expected);
  const got = actual.split(/\s+/).filter(Boolean);
  const want = expected.split(/\s+/).filter(Boolean);
  if (got.length !== want.length) return false;
  return got.every((token, index) => {
    const other = want[index] as string;
    if (token === other) return true;
    if (numberPattern.test(token) && numberPattern.test(other)) return numbersClose(Number(token), Number(other), tolerance);
    return false;
  });
}

/**
 * Deep equality of JSON values (the function-call harness's result against `expected`). Numbers
 * compare by value (3 equals 3.0); with `tolerance` they may differ by {@link numbersClose}.
 * Object key order does not matter; array order does.
 */
export function jsonEqual(actual: unknown, expected: unknown, tolerance?: number): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return tolerance === undefined ? actual === expected : numbersClose(actual, expected, tolerance);
  }
  if (actual === null || expected === null || typeof actual !== 'object' || typeof expected !== 'object') return actual === expected;
  if (Array.isArray(actual) !== Array.isArray(expected)) return false;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((item, index) => jsonEqual(item, expected[index], tolerance));
  }
  const left = actual as Record<string, unknown>;
  const right = expected as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key], tolerance));
}
