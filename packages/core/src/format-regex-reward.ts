import { RE2JS } from 're2js';
import { z } from 'zod';
import { RewardError, errorMessage } from './errors.js';
import { createScorer, definePlugin, perRollout, type CreateContext, type Scorer } from './plugin.js';
import { ok } from './results.js';

/**
 * Largest compiled pattern accepted, in RE2 program instructions. Matching time is linear in
 * (program size × completion length), so this and `max_length` together bound the time of one
 * match: about 0.3 s for a 2,000-instruction pattern on 200,000 characters on one core.
 */
const maxProgramSize = 5_000;

/** Options of `format.regex`. */
const formatRegexOptions = z
  .object({
    pattern: z
      .string()
      .min(1)
      .describe('A regular expression in JavaScript syntax, run by RE2 (linear time): no backreferences, no lookahead or lookbehind. Required.'),
    flags: z
      .string()
      .regex(/^[dgimsuvy]*$/)
      .default('s')
      .describe('JavaScript regex flags; i (ignore case), m (^ and $ at line ends) and s (dot matches newlines) take effect, the others are accepted and ignored. Default "s".'),
    mode: z.enum(['full', 'search']).default('full').describe('full: the whole completion must match; search: a match anywhere. Default full.'),
    max_length: z
      .number()
      .int()
      .positive()
      .default(200_000)
      .describe('Completions longer than this (UTF-16 code units, >= 1) score 0 without running the pattern, which bounds the time of a match. Default 200000.'),
  })
  .strict()
  .superRefine((options, context) => {
    // Checked when the config is validated, not first when a rollout is scored.
    try {
      compileLinearRegex(options.pattern, options.flags);
    } catch (error) {
      context.addIssue({ code: 'custom', path: ['pattern'], message: errorMessage(error).replace(/^format\.regex: /, '') });
    }
  });

/** Parsed options of `format.regex`. */
/** Options of `format.regex` as a caller writes them (`pattern` is required). */
export type FormatRegexOptions = z.input<typeof formatRegexOptions>;

/**
 * The JavaScript regex features RE2 cannot run in linear time, found in a pattern's source outside
 * character classes: backreferences (`\1`, `\k<name>`), lookahead (`(?=`, `(?!`), lookbehind
 * (`(?<=`, `(?<!`). Returns a description of the first one, or undefined.
 * @internal
 */
export function unsupportedRegexFeature(pattern: string): string | undefined {
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') {
      const next = pattern[index + 1];
      if (!inClass && next !== undefined && next >= '1' && next <= '9') return `a backreference (\\${next})`;
      if (!inClass && next === 'k' && pattern[index + 2] === '<') return 'a named backreference (\\k<…>)';
      index++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') {
      inClass = true;
      // A `]` right after `[` or `[^` is part of the class in RE2 syntax.
      if (pattern[index + 1] === '^') index++;
      if (pattern[index + 1] === ']') index++;
      continue;
    }
    if (char === '(' && pattern[index + 1] === '?') {
      const kind = pattern.slice(index + 2, index + 4);
      if (kind.startsWith('=')) return 'a lookahead (?=…)';
      if (kind.startsWith('!')) return 'a negative lookahead (?!…)';
      if (kind === '<=') return 'a lookbehind (?<=…)';
      if (kind === '<!') return 'a negative lookbehind (?<!…)';
    }
  }
  return undefined;
}

/**
 * Compile a user pattern for RE2, or throw `RewardError('INVALID_OPTIONS')` that names what is not
 * supported and how to rewrite it.
 * @internal
 */
function compileLinearRegex(pattern: string, flags: string): RE2JS {
  const feature = unsupportedRegexFeature(pattern);
  if (feature) {
    throw new RewardError(
      'INVALID_OPTIONS',
      `format.regex: the pattern uses ${feature}, which the linear-time engine (RE2) does not support; rewrite it without backreferences and lookaround (e.g. match the whole structure explicitly)`,
      { path: 'with.pattern' },
    );
  }
  let engineFlags = 0;
  if (flags.includes('i')) engineFlags |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) engineFlags |= RE2JS.MULTILINE;
  if (flags.includes('s')) engineFlags |= RE2JS.DOTALL;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(RE2JS.translateRegExp(pattern), engineFlags);
  } catch (error) {
    throw new RewardError('INVALID_OPTIONS', `format.regex: pattern is not a valid regular expression for RE2: ${errorMessage(error)}`, { path: 'with.pattern', cause: error });
  }
  const size = compiled.programSize();
  if (size > maxProgramSize) {
    throw new RewardError(
      'INVALID_OPTIONS',
      `format.regex: the pattern compiles to ${size} instructions, over the limit of ${maxProgramSize}; use smaller repeat counts ({n,m}) or fewer alternatives`,
      { path: 'with.pattern' },
    );
  }
  return compiled;
}

/**
 * `format.regex`: 1 when the completion matches a pattern (wholly, or anywhere), else 0. The pattern
 * runs on RE2 (the `re2js` port), whose matching time is linear in the completion's length, so a
 * hostile completion cannot make it backtrack for minutes.
 */
export const formatRegexPlugin = definePlugin({
  name: 'format.regex',
  description: 'Completion matches a regular expression (whole or anywhere), in linear time (RE2).',
  follows: 'open-r1 format_reward (re.match of the full completion); RE2 semantics',
  reference: 'not used',
  options: formatRegexOptions,
  batchSize: 1024,
  create(options) {
    const regex = compileLinearRegex(options.pattern, options.flags);
    return perRollout((rollout) => {
      if (rollout.completion.length > options.max_length) {
        return ok(0, { reason: `completion is ${rollout.completion.length} characters, over max_length ${options.max_length}` });
      }
      const matched = options.mode === 'full' ? regex.testExact(rollout.completion) : regex.test(rollout.completion);
      return ok(matched ? 1 : 0, { reason: matched ? 'pattern matched' : 'pattern did not match' });
    });
  },
});

/**
 * A `format.regex` scorer for library use.
 * @param options the reward's options, as in a config's `with:` (`pattern` is required)
 * @param context `baseDir`, `mediaDir` and `logger` (unused by this reward)
 */
export function createFormatRegexReward(options: FormatRegexOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(formatRegexPlugin, options, context);
}
