import { z } from 'zod';
import { RewardError } from './errors.js';
import { definePlugin, perRollout } from './plugin.js';
import { ok } from './results.js';
import { answerText, referenceText } from './text-extract.js';

/** Options of `match.exact`. */
export const matchExactOptions = z
  .object({
    from: z.enum(['answer', 'completion']).default('answer').describe('answer: the last <answer> block when present, else the completion; completion: the whole completion.'),
    answerTag: z.string().default('answer').describe('Tag that holds the answer.'),
    caseSensitive: z.boolean().default(false),
    trim: z.boolean().default(true).describe('Ignore leading and trailing whitespace.'),
    collapseWhitespace: z.boolean().default(true).describe('Treat any run of whitespace as one space.'),
    stripPunctuation: z.boolean().default(false).describe('Remove Unicode punctuation before comparing (SQuAD-style).'),
    stripArticles: z.boolean().default(false).describe('Remove English articles a/an/the (SQuAD-style).'),
    unicodeNormalize: z.boolean().default(true).describe('Apply Unicode NFKC normalisation (full-width forms, ligatures).'),
  })
  .strict();

/** Parsed options of `match.exact`. */
export type MatchExactOptions = z.output<typeof matchExactOptions>;

/** Normalise a string as the `match.exact` options say. */
export function normalizeText(text: string, options: Partial<MatchExactOptions> = {}): string {
  return normalizeWith(text, matchExactOptions.parse(options));
}

function normalizeWith(text: string, settings: MatchExactOptions): string {
  let out = settings.unicodeNormalize ? text.normalize('NFKC') : text;
  if (!settings.caseSensitive) out = out.toLowerCase();
  if (settings.stripPunctuation) out = out.replace(/\p{P}+/gu, ' ');
  if (settings.stripArticles) out = out.replace(/\b(a|an|the)\b/giu, ' ');
  if (settings.collapseWhitespace) out = out.replace(/\s+/gu, ' ');
  if (settings.trim) out = out.trim();
  return out;
}

/** The references of a rollout for string matching: a string, a number, or a list of them. */
export function referenceList(reference: unknown): string[] {
  const list = Array.isArray(reference) ? reference : [reference];
  const texts = list.map(referenceText);
  if (list.length === 0 || texts.some((text) => text === undefined)) {
    throw new RewardError('INVALID_REFERENCE', `reference must be a string, a number or a non-empty list of them, got ${JSON.stringify(reference)?.slice(0, 80) ?? 'nothing'}`);
  }
  return texts as string[];
}

/** `match.exact`: 1 when the normalised answer equals a normalised reference (any of several), else 0. */
export const matchExactPlugin = definePlugin({
  name: 'match.exact',
  description: 'Normalised answer equals the reference (or one of several references).',
  follows: 'SQuAD exact match (normalisation options); TRL/verl string-match rewards',
  reference: 'string | number | list of them',
  options: matchExactOptions,
  batchSize: 1024,
  create(options) {
    return perRollout((rollout) => {
      const references = referenceList(rollout.reference).map((text) => normalizeWith(text, options));
      const raw = options.from === 'answer' ? answerText(rollout.completion, options.answerTag) : rollout.completion;
      const answer = normalizeWith(raw, options);
      const hit = references.some((reference) => reference === answer);
      return ok(hit ? 1 : 0, { reason: hit ? `answer "${clip(answer)}" matches the reference` : `answer "${clip(answer)}" matches no reference (${references.map((r) => `"${clip(r)}"`).join(', ')})` });
    });
  },
});

function clip(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
