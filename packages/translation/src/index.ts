/**
 * Translation rewards: sacreBLEU-exact BLEU, chrF/chrF++ and TER as plain functions, the
 * `translation.*` reward plugins built on them, a target-language check and COMET-style model scores.
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { translationBleuPlugin } from './bleu-reward.js';
import { corpusBleu, sentenceBleu } from './bleu.js';
import { translationChrfPlugin } from './chrf-reward.js';
import { corpusChrf, sentenceChrf } from './chrf.js';
import { translationCometPlugin } from './comet-reward.js';
import { translationLanguagePlugin } from './language-reward.js';
import { translationTerPlugin } from './ter-reward.js';
import { corpusTer, sentenceTer } from './ter.js';

export { translationBleuPlugin, createTranslationBleuReward, tokenizerForLanguage, type TranslationBleuOptions } from './bleu-reward.js';
export { translationChrfPlugin, createTranslationChrfReward, type TranslationChrfOptions } from './chrf-reward.js';
export { translationTerPlugin, createTranslationTerReward, type TranslationTerOptions } from './ter-reward.js';
export { translationLanguagePlugin, createTranslationLanguageReward, type TranslationLanguageOptions } from './language-reward.js';
export {
  translationCometPlugin,
  createTranslationCometReward,
  fillCometTemplate,
  COMET_TEMPLATES,
  type TranslationCometOptions,
  type CometInputs,
} from './comet-reward.js';
export type { TranslationReference } from './rollout-reference.js';

export {
  sentenceBleu,
  corpusBleu,
  computeBleu,
  bleuSignature,
  SMOOTH_DEFAULTS,
  MAX_NGRAM_ORDER,
  type BleuOptions,
  type BleuScore,
  type BleuStatistics,
  type ComputeBleuInput,
  type SmoothMethod,
} from './bleu.js';
export { sentenceChrf, corpusChrf, chrfSignature, type ChrfOptions, type ChrfScore } from './chrf.js';
export { sentenceTer, corpusTer, terSignature, type TerOptions, type TerScore } from './ter.js';
export { tokenizeTercom, type TercomTokenizerOptions } from './tercom-tokenizer.js';
export {
  tokenize13a,
  tokenizeIntl,
  tokenizeZh,
  tokenizeChar,
  tokenizeNone,
  getTokenizer,
  BLEU_TOKENIZERS,
  type Tokenizer,
  type BleuTokenizerName,
  type SacrebleuTokenizerName,
} from './tokenizers.js';
export { SACREBLEU_VERSION } from './signature.js';
export type { SegmentReferences } from './segment-references.js';

/** Every reward plugin of this package, for the registry. */
export const plugins: RewardPlugin[] = [translationBleuPlugin, translationChrfPlugin, translationTerPlugin, translationLanguagePlugin, translationCometPlugin];

/** Alias of {@link sentenceBleu} (sacreBLEU's spelling). */
export const sentenceBLEU = sentenceBleu;
/** Alias of {@link corpusBleu} (sacreBLEU's spelling). */
export const corpusBLEU = corpusBleu;
/** Alias of {@link sentenceChrf} (sacreBLEU's spelling). */
export const sentenceChrF = sentenceChrf;
/** Alias of {@link corpusChrf} (sacreBLEU's spelling). */
export const corpusChrF = corpusChrf;
/** Alias of {@link sentenceTer} (sacreBLEU's spelling). */
export const sentenceTER = sentenceTer;
/** Alias of {@link corpusTer} (sacreBLEU's spelling). */
export const corpusTER = corpusTer;
