import { editDistance } from '@mixreward/core';

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
 * Character error rate of a recognised text against a reference: edit distance divided by the
 * reference length, both counted in Unicode code points (core's `editDistance` over code points), clipped to [0, 1]. With `contains`, a reference found inside
 * the recognised text counts as distance 0 (Flow-GRPO's OCR reward).
 * @returns CER in [0, 1]; 0 when both are empty, 1 when only the reference is non-empty and nothing matches
 */
export function characterErrorRate(recognized: string, reference: string, match: 'full' | 'contains' = 'full'): { cer: number; distance: number } {
  const length = Array.from(reference).length;
  if (length === 0) return { cer: recognized.length === 0 ? 0 : 1, distance: Array.from(recognized).length };
  const distance = match === 'contains' && recognized.includes(reference) ? 0 : editDistance(Array.from(recognized), Array.from(reference));
  return { cer: Math.min(1, distance / length), distance };
}
