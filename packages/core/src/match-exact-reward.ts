import { z } from 'zod';
import { RewardError } from './errors.js';
import { createScorer, definePlugin, perRollout, type CreateContext, type Scorer } from './plugin.js';
import { ok, skipped } from './results.js';
import { answerText, referenceText } from './text-extract.js';

const matchExactOptions = z
  .object({
    from: z.enum(['answer', 'completion']).default('answer').describe('answer: the last <answer_tag> block when present, else the completion; completion: the whole completion. Default answer.'),
    answer_tag: z.string().default('answer').describe('Tag that holds the answer. Default answer.'),
    case_sensitive: z.boolean().default(false).describe('Compare letters with their case. Default false.'),
    trim: z.boolean().default(true).describe('Ignore leading and trailing whitespace. Default true.'),
    collapse_whitespace: z.boolean().default(true).describe('Treat any run of whitespace as one space. Default true.'),
    strip_punctuation: z.boolean().default(false).describe('Remove Unicode punctuation before comparing (SQuAD-style). Default false.'),
    strip_articles: z.boolean().default(false).describe('Remove English articles a/an/the (SQuAD-style). Default false.'),
    unicode_normalize: z.boolean().default(true).describe('Apply Unicode NFKC normalisation (full-width forms, ligatures). Default true.'),
  })
  .strict();

/** Options of `match.exact` as a caller writes them (every key optional). */
export type MatchExactOptions = z.input<typeof matchExactOptions>;
type MatchExactSettings = z.output<typeof matchExactOptions>;

/** Normalise a string as the `match.exact` options say. */
export function normalizeText(text: string, options: MatchExactOptions = {}): string {
  return normalizeWith(text, matchExactOptions.parse(options));
}

function normalizeWith(text: string, settings: MatchExactSettings): string {
  let out = settings.unicode_normalize ? text.normalize('NFKC') : text;
  if (!settings.case_sensitive) out = out.toLowerCase();
  if (settings.strip_punctuation) out = out.replace(/\p{P}+/gu, ' ');
  if (settings.strip_articles) out = out.replace(/\b(a|an|the)\b/giu, ' ');
  if (settings.collapse_whitespace) out = out.replace(/\s+/gu, ' ');
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

const NO_REFERENCE = 'no reference: match.exact needs rollout.reference (a string, a number or a list of them)';

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
      if (rollout.reference === undefined) return skipped(NO_REFERENCE);
      const references = referenceList(rollout.reference).map((text) => normalizeWith(text, options));
      const raw = options.from === 'answer' ? answerText(rollout.completion, options.answer_tag) : rollout.completion;
      const answer = normalizeWith(raw, options);
      const hit = references.some((reference) => reference === answer);
      return ok(hit ? 1 : 0, { reason: hit ? `answer "${clip(answer)}" matches the reference` : `answer "${clip(answer)}" matches no reference (${references.map((r) => `"${clip(r)}"`).join(', ')})` });
    });
  },
});

/**
 * A `match.exact` scorer for library use.
 * @param options the reward's options, as in a config's `with:`
 * @param context `baseDir`, `mediaDir` and `logger` (unused by this reward)
 */
export function createMatchExactReward(options: MatchExactOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(matchExactPlugin, options, context);
}

function clip(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
