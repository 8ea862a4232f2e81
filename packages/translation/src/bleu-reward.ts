import { createScorer, definePlugin, ok, perRollout, type CreateContext, type RewardPlugin, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { sentenceBleu } from './bleu.js';
import { answerTagOption, METRIC_REFERENCE_SHAPE, noReference } from './reward-options.js';
import { parseTranslationReference, targetLanguage, translationText } from './rollout-reference.js';
import { getTokenizer, type SacrebleuTokenizerName } from './tokenizers.js';

const translationBleuSchema = z
  .object({
    tokenize: z
      .enum(['auto', '13a', 'intl', 'zh', 'char', 'none', 'ja-mecab', 'ko-mecab'])
      .default('auto')
      .describe('sacreBLEU tokenizer; auto picks by target language as MT-R1-Zero: zh -> zh, ja -> char (no MeCab in JS), else 13a; ja-mecab/ko-mecab fail with DEPENDENCY_UNAVAILABLE. Default auto'),
    lang: z.string().min(1).optional().describe("Target language (ISO 639-1, e.g. zh), used by tokenize: auto. Default: the rollout's meta.target_lang"),
    lowercase: z.boolean().default(false).describe('Case-insensitive BLEU. Default false'),
    smooth_method: z.enum(['exp', 'floor', 'add-k', 'none']).default('exp').describe('sacreBLEU smoothing: exp, floor, add-k or none. Default exp'),
    smooth_value: z.number().min(0).nullable().default(null).describe('Smoothing value, >= 0, for floor (null: 0.1) and add-k (null: 1); ignored by exp and none. Default null'),
    effective_order: z
      .boolean()
      .default(true)
      .describe('Skip n-gram orders the hypothesis has none of (sacreBLEU\'s sentence-level setting; MT-R1-Zero used false). Default true'),
    answer_tag: answerTagOption,
  })
  .strict();

/** Options of `translation.bleu` as a caller writes them (every field optional). */
export type TranslationBleuOptions = z.input<typeof translationBleuSchema>;

/**
 * The BLEU tokenizer MT-R1-Zero uses for a target language: `zh` for Chinese, `char` for Japanese
 * (sacreBLEU's `ja-mecab` needs MeCab, which has no maintained JS port), `13a` otherwise.
 * @param lang a language code (`zh`, `zh-CN`, `ja`, ...) or undefined
 */
export function tokenizerForLanguage(lang: string | undefined): '13a' | 'zh' | 'char' {
  const primary = lang?.trim().split(/[-_]/)[0]?.toLowerCase();
  if (primary === 'zh' || primary === 'zho' || primary === 'chi' || primary === 'cmn') return 'zh';
  if (primary === 'ja' || primary === 'jpn') return 'char';
  return '13a';
}

/**
 * `translation.bleu`: sentence BLEU (sacreBLEU 2.6.0's numbers) / 100, in [0, 1];
 * `components.bleu` is the 0-100 score.
 */
export const translationBleuPlugin: RewardPlugin<typeof translationBleuSchema> = definePlugin({
  name: 'translation.bleu',
  description: 'Sentence-level BLEU against one or more reference translations (sacreBLEU-exact), reward = BLEU / 100.',
  follows: 'sacreBLEU 2.6.0 BLEU (Papineni et al. 2002; Post 2018); MT-R1-Zero target-language tokenizer choice',
  reference: METRIC_REFERENCE_SHAPE,
  options: translationBleuSchema,
  create(options) {
    // Fail at creation, with the fix, for tokenizers that cannot run here.
    if (options.tokenize !== 'auto') getTokenizer(options.tokenize);
    return perRollout((rollout) => {
      const parsed = parseTranslationReference(rollout);
      if (parsed === null) return noReference('translation.bleu', rollout);
      const tokenize: SacrebleuTokenizerName = options.tokenize === 'auto' ? tokenizerForLanguage(targetLanguage(rollout, options.lang)) : options.tokenize;
      const hypothesis = translationText(rollout.completion, options.answer_tag);
      const result = sentenceBleu(hypothesis, parsed.refs, {
        tokenize,
        lowercase: options.lowercase,
        smooth_method: options.smooth_method,
        smooth_value: options.smooth_value,
        effective_order: options.effective_order,
      });
      // Floating point can put a perfect BLEU a hair above 100 (as in sacreBLEU); the reward stays in [0, 1].
      return ok(Math.min(1, result.score / 100), {
        components: { bleu: result.score },
        reason: `BLEU ${result.score.toFixed(2)} (${result.precisions.map((p) => p.toFixed(1)).join('/')}, BP ${result.bp.toFixed(3)}) ${result.signature}`,
      });
    });
  },
});

/**
 * A `translation.bleu` scorer for library use.
 * @param options the reward's options (validated; INVALID_OPTIONS names the field)
 * @param context base directory, media directory and logger (defaults: cwd, cwd, silent)
 */
export async function createTranslationBleuReward(options: TranslationBleuOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(translationBleuPlugin, options, context);
}
