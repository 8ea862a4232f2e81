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
const integerPattern = /^[+-]?\d+$/;
const zeroFractionPattern = /^([+-]?\d+)\.0*$/;

/** Two integer tokens denote the same integer, at any size (`+7`, `007` and `7` agree; `-0` and `0` too). */
function sameInteger(actual: string, expected: string): boolean {
  return BigInt(actual) === BigInt(expected);
}

/**
 * Whether an output token matches an expected token under `float` comparison. An expected
 * integer (no decimal point, no exponent) must be that integer exactly: written as an integer or
 * with a fraction of zeros (`3.0`); the tolerance never applies to it, so a program that lost
 * precision (`999999937` for `999999929`) fails. An expected token with a decimal point or an
 * exponent agrees with any number within the tolerance ({@link numbersClose}). Other tokens must be
 * equal.
 * @param tolerance >= 0
 */
export function tokensMatch(actual: string, expected: string, tolerance: number): boolean {
  if (actual === expected) return true;
  if (!numberPattern.test(actual) || !numberPattern.test(expected)) return false;
  if (integerPattern.test(expected)) {
    if (integerPattern.test(actual)) return sameInteger(actual, expected);
    const whole = zeroFractionPattern.exec(actual)?.[1];
    return whole !== undefined && sameInteger(whole, expected);
  }
  return numbersClose(Number(actual), Number(expected), tolerance);
}

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
 * - `whitespace` (default): after whitespace normalisation (CRLF to LF, each line trimmed and its
 *   inner runs of spaces collapsed, blank lines at both ends dropped).
 * - `float`: token by token (split on any whitespace): an expected integer exactly (also written
 *   `3.0`), an expected decimal or exponent form within `tolerance` (`|a - b| <= tolerance * max(1, |b|)`),
 *   other tokens equal.
 * @param tolerance for `float`, >= 0 (default 1e-6)
 */
export function outputsMatch(actual: string, expected: string, mode: CompareMode = 'whitespace', tolerance = 1e-6): boolean {
  if (mode === 'exact') return actual === expected;
  if (mode === 'whitespace') return normalizeWhitespace(actual) === normalizeWhitespace(expected);
  const got = actual.split(/\s+/).filter(Boolean);
  const want = expected.split(/\s+/).filter(Boolean);
  if (got.length !== want.length) return false;
  return got.every((token, index) => tokensMatch(token, want[index] as string, tolerance));
}

/**
 * Deep equality of JSON values (the function-call harness's result against `expected`). Numbers
 * compare by value (3 equals 3.0). With `tolerance`, an expected number that is not an integer
 * (`1102.5000000000002`) may differ by {@link numbersClose}; expected integers, strings and
 * booleans must be equal. Object key order does not matter; array order does.
 * @param tolerance >= 0; absent: every number exactly
 */
export function jsonEqual(actual: unknown, expected: unknown, tolerance?: number): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return tolerance === undefined || Number.isInteger(expected) ? actual === expected : numbersClose(actual, expected, tolerance);
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
