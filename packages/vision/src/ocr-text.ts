/** How text is normalised before the character error rate is computed. */
export interface OcrTextNormalization {
  /** Compare letter case (false: both sides lower-cased). Default false. */
  caseSensitive: boolean;
  /** `ignore`: remove all whitespace (OCR often drops or adds spaces; Flow-GRPO does this); `collapse`: trim and turn runs of whitespace into one space; `keep`. Default `ignore`. */
  whitespace: 'ignore' | 'collapse' | 'keep';
  /** `ignore`: remove Unicode punctuation and symbols (`\p{P}`, `\p{S}`); `keep`. Default `keep`. */
  punctuation: 'ignore' | 'keep';
}

/** Default normalisation: NFKC, lower case, whitespace removed, punctuation kept. */
export const DEFAULT_OCR_NORMALIZATION: OcrTextNormalization = { caseSensitive: false, whitespace: 'ignore', punctuation: 'keep' };

/**
 * Normalise a text for comparison: Unicode NFKC (full-width forms fold to ASCII), then case,
 * punctuation and whitespace as the settings say.
 */
export function normalizeOcrText(text: string, settings: Partial<OcrTextNormalization> = {}): string {
  const { caseSensitive, whitespace, punctuation } = { ...DEFAULT_OCR_NORMALIZATION, ...settings };
  let value = text.normalize('NFKC');
  if (!caseSensitive) value = value.toLowerCase();
  if (punctuation === 'ignore') value = value.replace(/[\p{P}\p{S}]/gu, '');
  if (whitespace === 'ignore') value = value.replace(/\s+/gu, '');
  else if (whitespace === 'collapse') value = value.replace(/\s+/gu, ' ').trim();
  return value;
}

/**
 * Levenshtein distance between two strings, counted in Unicode code points (insertions,
 * deletions and substitutions cost 1).
 * @returns an integer in [0, max(|a|, |b|)]
 */
export function editDistance(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  if (left.length === 0) return right.length;
  if (right.length === 0) return left.length;
  let previous = new Uint32Array(right.length + 1);
  let current = new Uint32Array(right.length + 1);
  for (let j = 0; j <= right.length; j++) previous[j] = j;
  for (let i = 1; i <= left.length; i++) {
    current[0] = i;
    const char = left[i - 1];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] as number) + (char === right[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[right.length] as number;
}

/**
 * Character error rate of a recognised text against a reference: edit distance divided by the
 * reference length (code points), clipped to [0, 1]. With `contains`, a reference found inside
 * the recognised text counts as distance 0 (Flow-GRPO's OCR reward).
 * @returns CER in [0, 1]; 0 when both are empty, 1 when only the reference is non-empty and nothing matches
 */
export function characterErrorRate(recognized: string, reference: string, match: 'full' | 'contains' = 'full'): { cer: number; distance: number } {
  const length = Array.from(reference).length;
  if (length === 0) return { cer: recognized.length === 0 ? 0 : 1, distance: Array.from(recognized).length };
  const distance = match === 'contains' && recognized.includes(reference) ? 0 : editDistance(recognized, reference);
  return { cer: Math.min(1, distance / length), distance };
}
