import { createScorer, definePlugin, ok, perRollout, type CreateContext, type RewardPlugin, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { answerTagOption, langOption, METRIC_REFERENCE_SHAPE, noReference } from './reward-options.js';
import { parseTranslationReference, translationText } from './rollout-reference.js';
import { sentenceTer } from './ter.js';

const translationTerSchema = z
  .object({
    normalized: z.boolean().default(false).describe('Tercom normalisation (punctuation split, `\\n-` joined). Default false'),
    no_punct: z.boolean().default(false).describe('Remove punctuation. Default false'),
    asian_support: z.boolean().default(false).describe('CJK handling (with normalized or no_punct). Default false'),
    case_sensitive: z.boolean().default(false).describe('Keep case (TER lowercases otherwise). Default false'),
    lang: langOption,
    answer_tag: answerTagOption,
  })
  .strict();

/** Options of `translation.ter` as a caller writes them (every field optional). */
export type TranslationTerOptions = z.input<typeof translationTerSchema>;

/** `translation.ter`: 1 - TER / 100 clipped to [0, 1]; `components.ter` is the raw TER (0-100+, lower is better). */
export const translationTerPlugin: RewardPlugin<typeof translationTerSchema> = definePlugin({
  name: 'translation.ter',
  description: 'Translation edit rate against one or more references (sacreBLEU-exact), reward = clamp(1 - TER / 100, 0, 1).',
  follows: 'sacreBLEU 2.6.0 TER (Tercom; Snover et al. 2006)',
  reference: METRIC_REFERENCE_SHAPE,
  options: translationTerSchema,
  create(options) {
    const metricOptions = { normalized: options.normalized, no_punct: options.no_punct, asian_support: options.asian_support, case_sensitive: options.case_sensitive };
    return perRollout((rollout) => {
      const parsed = parseTranslationReference(rollout);
      if (parsed === null) return noReference('translation.ter', rollout);
      const hypothesis = translationText(rollout.completion, options.answer_tag);
      const result = sentenceTer(hypothesis, parsed.refs, metricOptions);
      const reward = Math.min(1, Math.max(0, 1 - result.score / 100));
      return ok(reward, {
        components: { ter: result.score },
        reason: `TER ${result.score.toFixed(2)} (${result.numEdits} edits / ${result.refLength} reference words) ${result.signature}`,
      });
    });
  },
});

/**
 * A `translation.ter` scorer for library use.
 * @param options the reward's options (validated; INVALID_OPTIONS names the field)
 * @param context base directory, media directory and logger (defaults: cwd, cwd, silent)
 */
export async function createTranslationTerReward(options: TranslationTerOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(translationTerPlugin, options, context);
}
