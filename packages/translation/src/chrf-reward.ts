import { createScorer, definePlugin, ok, perRollout, type CreateContext, type RewardPlugin, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { sentenceChrf } from './chrf.js';
import { answerTagOption, langOption, METRIC_REFERENCE_SHAPE, noReference } from './reward-options.js';
import { parseTranslationReference, translationText } from './rollout-reference.js';

const translationChrfSchema = z
  .object({
    char_order: z.number().int().min(1).default(6).describe('Character n-gram order, an integer >= 1. Default 6'),
    word_order: z.number().int().min(0).default(0).describe('Word n-gram order, an integer >= 0: 0 is chrF, 2 is chrF++. Default 0'),
    beta: z.number().positive().default(2).describe('Recall weight beta, > 0. Default 2'),
    lowercase: z.boolean().default(false).describe('Case-insensitive chrF. Default false'),
    whitespace: z.boolean().default(false).describe('Keep whitespace inside character n-grams. Default false'),
    eps_smoothing: z.boolean().default(false).describe("chrF++.py/NLTK epsilon smoothing instead of sacreBLEU's effective order. Default false"),
    lang: langOption,
    answer_tag: answerTagOption,
  })
  .strict();

/** Options of `translation.chrf` as a caller writes them (every field optional). */
export type TranslationChrfOptions = z.input<typeof translationChrfSchema>;

/** `translation.chrf`: sentence chrF/chrF++ (sacreBLEU 2.6.0's numbers) / 100; `components.chrf` is the 0-100 score. */
export const translationChrfPlugin: RewardPlugin<typeof translationChrfSchema> = definePlugin({
  name: 'translation.chrf',
  description: 'Sentence-level chrF (chrF++ with word_order 2) against one or more references (sacreBLEU-exact), reward = chrF / 100.',
  follows: 'sacreBLEU 2.6.0 chrF (Popović 2015, 2017)',
  reference: METRIC_REFERENCE_SHAPE,
  options: translationChrfSchema,
  create(options) {
    const metricOptions = {
      char_order: options.char_order,
      word_order: options.word_order,
      beta: options.beta,
      lowercase: options.lowercase,
      whitespace: options.whitespace,
      eps_smoothing: options.eps_smoothing,
    };
    return perRollout((rollout) => {
      const parsed = parseTranslationReference(rollout);
      if (parsed === null) return noReference('translation.chrf', rollout);
      const hypothesis = translationText(rollout.completion, options.answer_tag);
      const result = sentenceChrf(hypothesis, parsed.refs, metricOptions);
      return ok(Math.min(1, result.score / 100), { components: { chrf: result.score }, reason: `${result.name} ${result.score.toFixed(2)} ${result.signature}` });
    });
  },
});

/**
 * A `translation.chrf` scorer for library use.
 * @param options the reward's options (validated; INVALID_OPTIONS names the field)
 * @param context base directory, media directory and logger (defaults: cwd, cwd, silent)
 */
export async function createTranslationChrfReward(options: TranslationChrfOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(translationChrfPlugin, options, context);
}
