/**
 * Translation rewards: sacreBLEU-exact BLEU, chrF/chrF++ and TER as plain functions, the
 * `translation.*` reward plugins built on them, and a target-language check.
 * @packageDocumentation
 */
export * from './tokenizers.js';
export * from './tercom-tokenizer.js';
export * from './bleu.js';
export * from './chrf.js';
export * from './ter.js';
export { SACREBLEU_VERSION } from './signature.js';
export type { SegmentReferences } from './references.js';
export * from './reference.js';
export * from './metric-rewards.js';
export * from './language.js';
export * from './comet.js';

import { bleuPlugin, chrfPlugin, terPlugin } from './metric-rewards.js';
import { languagePlugin } from './language.js';
import { cometPlugin } from './comet.js';
import type { RewardPlugin } from '@mixreward/core';

/** Every reward plugin of this package, for the registry. */
export const plugins: RewardPlugin[] = [bleuPlugin, chrfPlugin, terPlugin, languagePlugin, cometPlugin] as unknown as RewardPlugin[];

import { corpusBleu, sentenceBleu } from './bleu.js';
import { corpusChrf, sentenceChrf } from './chrf.js';
import { corpusTer, sentenceTer } from './ter.js';

/** Alias of {@link sentenceBleu}. */
export const sentenceBLEU = sentenceBleu;
/** Alias of {@link corpusBleu}. */
export const corpusBLEU = corpusBleu;
/** Alias of {@link sentenceChrf}. */
export const sentenceChrF = sentenceChrf;
/** Alias of {@link corpusChrf}. */
export const corpusChrF = corpusChrf;
/** Alias of {@link sentenceTer}. */
export const sentenceTER = sentenceTer;
/** Alias of {@link corpusTer}. */
export const corpusTER = corpusTer;
