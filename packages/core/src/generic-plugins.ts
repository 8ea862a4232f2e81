import { formatRegexPlugin } from './format-regex-reward.js';
import { formatTagsPlugin } from './format-tags-reward.js';
import { lengthCosinePlugin } from './length-cosine-reward.js';
import { lengthOverlongPlugin } from './length-overlong-reward.js';
import { matchChoicePlugin } from './match-choice-reward.js';
import { matchExactPlugin } from './match-exact-reward.js';
import type { RewardPlugin } from './plugin.js';
import { repetitionNgramPlugin } from './repetition-ngram-reward.js';

/** The generic rewards of core, for a registry: format, match, length and repetition. */
export const plugins: RewardPlugin[] = [
  formatTagsPlugin,
  formatRegexPlugin,
  matchExactPlugin,
  matchChoicePlugin,
  lengthCosinePlugin,
  lengthOverlongPlugin,
  repetitionNgramPlugin,
];
