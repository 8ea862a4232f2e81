import { RewardError } from '@mixreward/core';
import { normalizeAnswerText } from './answer-region.js';

/** Option letter -> option text. */
export type OptionTexts = Map<string, string>;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Read options given as `{"A": "text", …}` or as a list of texts (A, B, C, … in order).
 * @returns undefined when `value` is neither
 */
export function optionsFromValue(value: unknown): OptionTexts | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0 || value.length > 26 || !value.every((item) => typeof item === 'string')) return undefined;
    return new Map(value.map((text, index) => [LETTERS[index] as string, text as string]));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([key, text]) => /^[A-Za-z]$/.test(key) && typeof text === 'string');
    if (entries.length === 0) return undefined;
    return new Map(entries.map(([key, text]) => [key.toUpperCase(), text as string]));
  }
  return undefined;
}

const LINE_OPTION = /^\s*(?:[-*•]\s*)?(?:\*\*)?(?:\(([A-J])\)|\[([A-J])\]|([A-J])\s*[.):：])(?:\*\*)?\s+(\S.*?)\s*$/;
const INLINE_OPTION = /\(([A-J])\)\s*([^()\n]+?)(?=\s*\([A-J]\)|\s*$|\n)/g;

/**
 * Parse answer options from a question text: lines such as `A. text`, `(B) text`, `C) text`,
 * `D: text`, or inline `(A) text (B) text`. Needs at least two options, lettered from A without gaps.
 * @returns undefined when the prompt lists no options
 */
export function optionsFromPrompt(prompt: string | undefined): OptionTexts | undefined {
  if (!prompt) return undefined;
  const found: OptionTexts = new Map();
  for (const line of prompt.split('\n')) {
    const match = LINE_OPTION.exec(line);
    if (!match) continue;
    const letter = (match[1] ?? match[2] ?? match[3]) as string;
    if (!found.has(letter)) found.set(letter, match[4] as string);
  }
  if (!contiguous(found)) {
    found.clear();
    for (const match of prompt.matchAll(INLINE_OPTION)) {
      const letter = match[1] as string;
      if (!found.has(letter)) found.set(letter, (match[2] as string).trim());
    }
  }
  return contiguous(found) ? found : undefined;
}

function contiguous(options: OptionTexts): boolean {
  if (options.size < 2) return false;
  const letters = [...options.keys()].sort();
  return letters.every((letter, index) => letter === LETTERS[index]);
}

/** The correct letters of a choice reference, and the options when the reference carries them. */
export interface ChoiceReference {
  /** Sorted, unique option letters. */
  answer: string[];
  /** Options from the reference itself (`options`), when given. */
  options?: OptionTexts;
}

function lettersOf(value: unknown): string[] | undefined {
  const raw = Array.isArray(value) ? (value.every((item) => typeof item === 'string') ? value.join(',') : undefined) : typeof value === 'string' ? value : undefined;
  if (raw === undefined) return undefined;
  const tokens = raw
    .split(/[\s,;/&]+|\band\b/i)
    .map((token) => token.replace(/^[([]+|[)\].:]+$/g, ''))
    .filter((token) => token.length > 0);
  if (tokens.length === 0) return undefined;
  let letters: string[];
  if (tokens.length === 1 && /^[A-Z]{2,10}$/.test(tokens[0] as string)) letters = (tokens[0] as string).split('');
  else if (tokens.every((token) => /^[A-Za-z]$/.test(token))) letters = tokens.map((token) => token.toUpperCase());
  else return undefined;
  const unique = [...new Set(letters)].sort();
  return unique.length === letters.length || tokens.length > 1 ? unique : undefined;
}

/**
 * Read a choice reference: `"B"`, `"A,C"`, `["A", "C"]`, or `{"answer": "B" | ["A","C"], "options"?:
 * {…} | […]}` (MedQA's `answer_idx` is read too). A reference that gives the answer as option text
 * (`"Metformin"`) is mapped to its letter when the options are known.
 *
 * @param reference the rollout's reference
 * @param options options known from elsewhere (meta, prompt), to map a text answer
 * @throws RewardError INVALID_REFERENCE when the reference names no option
 */
export function readChoiceReference(reference: unknown, options?: OptionTexts): ChoiceReference {
  let answer: unknown = reference;
  let own: OptionTexts | undefined;
  if (typeof reference === 'object' && reference !== null && !Array.isArray(reference)) {
    const record = reference as Record<string, unknown>;
    answer = record.answer ?? record.answer_idx ?? record.label;
    own = optionsFromValue(record.options);
  }
  const letters = lettersOf(answer);
  const known = own ?? options;
  if (letters && (!known || letters.every((letter) => known.has(letter)))) return own ? { answer: letters, options: own } : { answer: letters };
  if (typeof answer === 'string' && known) {
    const wanted = normalizeAnswerText(answer);
    const matches = [...known].filter(([, text]) => normalizeAnswerText(text) === wanted);
    if (matches.length === 1) return own ? { answer: [(matches[0] as [string, string])[0]], options: own } : { answer: [(matches[0] as [string, string])[0]] };
  }
  throw new RewardError('INVALID_REFERENCE', `medical.choice needs option letters ("B", "A,C", ["A","C"] or {"answer": …}), got ${JSON.stringify(reference)?.slice(0, 80) ?? String(reference)}`);
}
