import { z } from 'zod';
import { RewardError } from './errors.js';
import { definePlugin, perRollout } from './plugin.js';
import { ok } from './results.js';

/** Options of `format.regex`. */
export const formatRegexOptions = z
  .object({
    pattern: z.string().min(1).describe('A JavaScript regular expression.'),
    flags: z.string().regex(/^[dgimsuvy]*$/).default('s').describe('Regex flags; default "s" (dot matches newlines).'),
    mode: z.enum(['full', 'search']).default('full').describe('full: the whole completion must match; search: a match anywhere.'),
    maxLength: z.number().int().positive().default(200_000).describe('Completions longer than this (characters) score 0 without running the regex, which bounds its time.'),
  })
  .strict();

/** Parsed options of `format.regex`. */
export type FormatRegexOptions = z.output<typeof formatRegexOptions>;

/** `format.regex`: 1 when the completion matches a pattern (wholly, or anywhere), else 0. */
export const formatRegexPlugin = definePlugin({
  name: 'format.regex',
  description: 'Completion matches a regular expression (whole or anywhere).',
  follows: 'open-r1 format_reward (re.match of the full completion)',
  reference: 'not used',
  options: formatRegexOptions,
  batchSize: 1024,
  create(options) {
    let regex: RegExp;
    try {
      const source = options.mode === 'full' ? `^(?:${options.pattern})$` : options.pattern;
      regex = new RegExp(source, options.flags.replace(/[gy]/g, ''));
    } catch (error) {
      throw new RewardError('INVALID_OPTIONS', `format.regex: pattern is not a valid regular expression: ${(error as Error).message}`, { path: 'with.pattern' });
    }
    return perRollout((rollout) => {
      if (rollout.completion.length > options.maxLength) {
        return ok(0, { reason: `completion is ${rollout.completion.length} characters, over maxLength ${options.maxLength}` });
      }
      const matched = regex.test(rollout.completion);
      return ok(matched ? 1 : 0, { reason: matched ? 'pattern matched' : 'pattern did not match' });
    });
  },
});
