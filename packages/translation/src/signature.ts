/** The sacreBLEU release whose behaviour (defaults, tokenizers, smoothing, signatures) this package reproduces. */
export const SACREBLEU_VERSION = '2.6.0';

/**
 * Python's `f'{value:.2f}'` for the smoothing value in a BLEU signature. Both round the exact
 * binary value; they differ only on exact ties (0.125), which Python rounds to even.
 * @internal
 */
export function formatTwoDecimals(value: number): string {
  const scaled = value * 100;
  if (Number.isFinite(scaled) && scaled / 100 === value && Math.abs(scaled % 1) === 0.5) {
    const down = Math.trunc(scaled);
    const even = down % 2 === 0 ? down : down + Math.sign(scaled);
    return (even / 100).toFixed(2);
  }
  return value.toFixed(2);
}

/**
 * A sacreBLEU signature string from ordered `key: value` pairs: `nrefs` first, then the metric's
 * own entries, `version` last; `short` uses sacreBLEU's abbreviations (`#`, `c`, `e`, `tok`, ...).
 * @internal
 */
export function formatSignature(
  nrefs: number | 'var',
  entries: ReadonlyArray<readonly [key: string, abbreviation: string, value: string]>,
  short: boolean,
): string {
  const parts = [short ? `#:${nrefs}` : `nrefs:${nrefs}`];
  for (const [key, abbreviation, value] of entries) parts.push(`${short ? abbreviation : key}:${value}`);
  parts.push(short ? `v:${SACREBLEU_VERSION}` : `version:${SACREBLEU_VERSION}`);
  return parts.join('|');
}

/** `nrefs` of a signature: the one reference count, or `var` when segments had different counts. */
export function referenceCountLabel(counts: ReadonlySet<number>): number | 'var' {
  if (counts.size === 1) return counts.values().next().value as number;
  return counts.size === 0 ? 0 : 'var';
}
