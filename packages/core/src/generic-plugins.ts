import type { z } from 'zod';
import { formatRegexPlugin } from './format-regex.js';
import { formatTagsPlugin } from './format-tags-reward.js';
import { lengthCosinePlugin } from './length-cosine-reward.js';
import { lengthOverlongPlugin } from './length-overlong-reward.js';
import { matchChoicePlugin } from './match-choice-reward.js';
import { matchExactPlugin } from './match-exact-reward.js';
import { createScorer, type CreateContext, type RewardPlugin, type Scorer } from './plugin.js';
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

// The factory lives here rather than in format-regex.ts while that file is hardened on another branch.
/**
 * A `format.regex` scorer for library use.
 * @param options the reward's options, as in a config's `with:` (`pattern` is required)
 * @param context `baseDir`, `mediaDir` and `logger` (unused by this reward)
 */
export function createFormatRegexReward(options: z.input<typeof formatRegexPlugin.options>, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(formatRegexPlugin, options, context);
}
