import { definePlugin, parseOptions, perRollout, ok, skipped, type CreateContext, type RewardPlugin, type Scorer, silentLogger } from '@mixreward/core';
import { z } from 'zod';
import { sentenceBleu } from './bleu.js';
import { sentenceChrf } from './chrf.js';
import { parseTranslationReference, targetLanguage, translationText } from './reference.js';
import { sentenceTer } from './ter.js';
import { getTokenizer, type SacrebleuTokenizerName } from './tokenizers.js';

const REFERENCE_SHAPE = 'string | string[] | {refs: string | string[], source?: string}; target language from `lang` or meta.target_lang';

const answerTagOption = z
  .string()
  .regex(/^[A-Za-z_][\w.-]*$/)
  .nullable()
  .default('auto')
  .describe('Score the content of the last <tag>…</tag> block; auto: <translate> (MT-R1-Zero), else <answer>, else the whole completion; null: always the whole completion.');

const langOption = z
  .string()
  .min(1)
  .optional()
  .describe('Target language; accepted so that every translation.* reward takes the same options (chrF and TER do not tokenize by language).');

/** Options of `translation.bleu`. */
export const bleuRewardOptions = z
  .object({
    tokenize: z
      .enum(['auto', '13a', 'intl', 'zh', 'char', 'none', 'ja-mecab', 'ko-mecab'])
      .default('auto')
      .describe("sacreBLEU tokenizer; auto picks by target language as MT-R1-Zero: zh -> zh, ja -> char (no MeCab in JS), else 13a. ja-mecab/ko-mecab fail with DEPENDENCY_UNAVAILABLE."),
    lang: z.string().min(1).optional().describe('Target language (ISO 639-1, e.g. zh); default: the rollout\'s meta.target_lang.'),
    lowercase: z.boolean().default(false).describe('Case-insensitive BLEU.'),
    smooth_method: z.enum(['exp', 'floor', 'add-k', 'none']).default('exp').describe('sacreBLEU smoothing.'),
    smooth_value: z.number().min(0).nullable().default(null).describe('Value for floor (default 0.1) and add-k (default 1).'),
    effective_order: z.boolean().default(true).describe('Skip n-gram orders the hypothesis has none of (sacreBLEU sentence-level default; MT-R1-Zero used false).'),
    answer_tag: answerTagOption,
  })
  .strict();

/** Options of `translation.chrf`. */
export const chrfRewardOptions = z
  .object({
    char_order: z.number().int().min(1).default(6).describe('Character n-gram order.'),
    word_order: z.number().int().min(0).default(0).describe('Word n-gram order: 0 = chrF, 2 = chrF++.'),
    beta: z.number().positive().default(2).describe('Recall weight.'),
    lowercase: z.boolean().default(false).describe('Case-insensitive chrF.'),
    whitespace: z.boolean().default(false).describe('Keep whitespace in character n-grams.'),
    eps_smoothing: z.boolean().default(false).describe('chrF++.py/NLTK epsilon smoothing instead of effective order.'),
    lang: langOption,
    answer_tag: answerTagOption,
  })
  .strict();

/** Options of `translation.ter`. */
export const terRewardOptions = z
  .object({
    normalized: z.boolean().default(false).describe('Tercom normalisation.'),
    no_punct: z.boolean().default(false).describe('Remove punctuation.'),
    asian_support: z.boolean().default(false).describe('CJK handling (with normalized/no_punct).'),
    case_sensitive: z.boolean().default(false).describe('Keep case (TER lowercases by default).'),
    lang: langOption,
    answer_tag: answerTagOption,
  })
  .strict();

/** Options of `translation.bleu` as a caller writes them (every field optional). */
export type BleuRewardOptions = z.input<typeof bleuRewardOptions>;
/** Options of `translation.chrf` as a caller writes them. */
export type ChrfRewardOptions = z.input<typeof chrfRewardOptions>;
/** Options of `translation.ter` as a caller writes them. */
export type TerRewardOptions = z.input<typeof terRewardOptions>;

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

const NO_REFERENCE = 'no usable reference translation (reference is missing or empty)';

function contextOf(context: Partial<CreateContext>): CreateContext {
  return { baseDir: context.baseDir ?? process.cwd(), logger: context.logger ?? silentLogger };
}

/** `translation.bleu`: sentence BLEU (sacreBLEU-exact) / 100, in [0, 1]; `components.bleu` is the 0-100 score. */
export const bleuPlugin: RewardPlugin<typeof bleuRewardOptions> = definePlugin({
  name: 'translation.bleu',
  description: 'Sentence-level BLEU against one or more reference translations (sacreBLEU-exact), reward = BLEU / 100.',
  follows: 'sacreBLEU 2.x BLEU; MT-R1-Zero target-language tokenizer choice',
  reference: REFERENCE_SHAPE,
  options: bleuRewardOptions,
  create(options) {
    // Fail at creation, with the fix, for tokenizers that cannot run here.
    if (options.tokenize !== 'auto') getTokenizer(options.tokenize);
    return perRollout((rollout) => {
      const parsed = parseTranslationReference(rollout);
      if (parsed === null) return skipped(NO_REFERENCE);
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

/** `translation.chrf`: sentence chrF/chrF++ (sacreBLEU-exact) / 100; `components.chrf` is the 0-100 score. */
export const chrfPlugin: RewardPlugin<typeof chrfRewardOptions> = definePlugin({
  name: 'translation.chrf',
  description: 'Sentence-level chrF (chrF++ with word_order 2) against one or more references (sacreBLEU-exact), reward = chrF / 100.',
  follows: 'sacreBLEU 2.x chrF (Popović 2015, 2017)',
  reference: REFERENCE_SHAPE,
  options: chrfRewardOptions,
  create(options) {
    return perRollout((rollout) => {
      const parsed = parseTranslationReference(rollout);
      if (parsed === null) return skipped(NO_REFERENCE);
      const hypothesis = translationText(rollout.completion, options.answer_tag);
      const result = sentenceChrf(hypothesis, parsed.refs, options);
      return ok(Math.min(1, result.score / 100), { components: { chrf: result.score }, reason: `${result.name} ${result.score.toFixed(2)} ${result.signature}` });
    });
  },
});

/** `translation.ter`: 1 - TER / 100 clipped to [0, 1]; `components.ter` is the raw TER (0-100+, lower is better). */
export const terPlugin: RewardPlugin<typeof terRewardOptions> = definePlugin({
  name: 'translation.ter',
  description: 'Translation edit rate against one or more references (sacreBLEU-exact), reward = clamp(1 - TER / 100, 0, 1).',
  follows: 'sacreBLEU 2.x TER (Tercom)',
  reference: REFERENCE_SHAPE,
  options: terRewardOptions,
  create(options) {
    return perRollout((rollout) => {
      const parsed = parseTranslationReference(rollout);
      if (parsed === null) return skipped(NO_REFERENCE);
      const hypothesis = translationText(rollout.completion, options.answer_tag);
      const result = sentenceTer(hypothesis, parsed.refs, options);
      const reward = Math.min(1, Math.max(0, 1 - result.score / 100));
      return ok(reward, {
        components: { ter: result.score },
        reason: `TER ${result.score.toFixed(2)} (${result.numEdits} edits / ${result.refLength} reference words) ${result.signature}`,
      });
    });
  },
});

/**
 * A `translation.bleu` scorer for library use.
 * @param options the reward's options (validated; INVALID_OPTIONS names the field)
 * @param context base directory and logger (defaults: cwd, silent)
 */
export function createBleuReward(options: BleuRewardOptions = {}, context: Partial<CreateContext> = {}): Scorer {
  return bleuPlugin.create(parseOptions(bleuPlugin, options), contextOf(context)) as Scorer;
}

/** A `translation.chrf` scorer for library use. */
export function createChrfReward(options: ChrfRewardOptions = {}, context: Partial<CreateContext> = {}): Scorer {
  return chrfPlugin.create(parseOptions(chrfPlugin, options), contextOf(context)) as Scorer;
}

/** A `translation.ter` scorer for library use. */
export function createTerReward(options: TerRewardOptions = {}, context: Partial<CreateContext> = {}): Scorer {
  return terPlugin.create(parseOptions(terPlugin, options), contextOf(context)) as Scorer;
}
