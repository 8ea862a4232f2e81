/**
 * `finance.format`: DianJin-R1's structured-output reward: one `<think>` block, then one `<answer>`
 * block holding exactly one `\boxed{}` value.
 */
import { z } from 'zod';
import { checkTags, createScorer, definePlugin, lastTagContent, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';

const formatOptionsSchema = z
  .object({
    require_boxed: z.boolean().default(true).describe('The answer block must hold exactly one non-empty \\boxed{} value (default true).'),
    prefix: z.string().default('').describe('Text the prompt already opened (e.g. "<think>" for R1-style templates), prepended before checking (default empty).'),
  })
  .strict();

/** Options of `finance.format`, as written in a config. */
export type FinanceFormatOptions = z.input<typeof formatOptionsSchema>;

/** Count the `\boxed{…}` values in a text and whether each holds something. */
function boxedValues(text: string): { count: number; empty: number } {
  let count = 0;
  let empty = 0;
  let from = 0;
  for (;;) {
    const at = text.indexOf('\\boxed{', from);
    if (at < 0) break;
    count++;
    let depth = 0;
    let end = -1;
    for (let index = at + 6; index < text.length; index++) {
      if (text[index] === '{') depth++;
      else if (text[index] === '}' && --depth === 0) {
        end = index;
        break;
      }
    }
    if (end < 0 || text.slice(at + 7, end).trim().length === 0) empty++;
    from = end < 0 ? text.length : end + 1;
  }
  return { count, empty };
}

/** `finance.format`: exactly one think block, one answer block, one boxed value (DianJin-R1). */
export const financeFormatPlugin = definePlugin({
  name: 'finance.format',
  description: 'DianJin-R1 format: exactly one <think> block, then one <answer> block holding exactly one non-empty \\boxed{} value; nothing but whitespace around them.',
  follows: 'DianJin-R1 structured-output reward (core format.tags with think/answer in order, plus the boxed rule)',
  reference: 'none (the format alone is checked)',
  options: formatOptionsSchema,
  batchSize: 1024,
  create(settings) {
    return perRollout((rollout) => {
      if (typeof rollout.completion !== 'string') return skipped('the completion is not text');
      const tags = checkTags(rollout.completion, { tags: ['think', 'answer'], order: true, outside: 'whitespace', prefix: settings.prefix });
      const problems = [...tags.problems];
      if (settings.require_boxed) {
        const answer = lastTagContent(settings.prefix + rollout.completion, 'answer');
        const boxed = boxedValues(answer ?? '');
        if (boxed.count !== 1) problems.push(`the answer holds ${boxed.count} \\boxed{} values, not exactly one`);
        else if (boxed.empty > 0) problems.push('the \\boxed{} value is empty');
      }
      return ok(problems.length === 0 ? 1 : 0, { components: { tags: tags.passed ? 1 : 0 }, reason: problems.length === 0 ? 'think, answer and one boxed value' : problems.join('; ') });
    });
  },
});

/**
 * Make a `finance.format` scorer.
 * @param options the reward's options (all optional)
 * @param context unused by this rule-based reward
 */
export function createFinanceFormatReward(options: FinanceFormatOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(financeFormatPlugin, options, context);
}
