import { formatRegexPlugin } from './format-regex.js';
import { formatTagsPlugin } from './format-tags.js';
import { lengthCosinePlugin, lengthOverlongPlugin, repetitionNgramPlugin } from './length-rewards.js';
import { matchChoicePlugin } from './match-choice.js';
import { matchExactPlugin } from './match-exact.js';
import type { RewardPlugin } from './plugin.js';

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
