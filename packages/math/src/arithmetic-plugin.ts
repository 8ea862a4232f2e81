/**
 * The `math.arithmetic` reward: every explicit computation in the reasoning is recomputed; the
 * share of correct ones is the reward and each one is a step.
 * @module
 */
import { checkArithmetic, definePlugin, ok, parseOptions, perRollout, silentLogger, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { z } from 'zod';

/** Options of `math.arithmetic` (every one has a default). */
export const arithmeticOptionsSchema = z
  .object({
    scope: z
      .enum(['completion', 'reasoning'])
      .default('completion')
      .describe('"completion" (default): the whole completion. "reasoning": only the <think>…</think> part (the whole completion when it has none).'),
    relativeTolerance: z.number().min(0).max(1).default(1e-9).describe('Relative tolerance of a claimed value.'),
    allowRounding: z.boolean().default(true).describe('Accept a claimed decimal that is the exact value rounded to the decimals it shows (10/3 = 3.33).'),
    noComputations: z
      .enum(['skip', 'zero', 'one'])
      .default('skip')
      .describe('Result when the text has no explicit computation: "skip" (default; the reward does not apply), or a reward of 0 or 1.'),
    maxComputations: z.number().int().min(1).max(100_000).default(1_000).describe('Most computations checked per rollout.'),
  })
  .strict();

/** Options of {@link createArithmeticReward}, as written in a config. */
export type ArithmeticRewardOptions = z.input<typeof arithmeticOptionsSchema>;

function reasoningOf(completion: string, scope: 'completion' | 'reasoning'): string {
  if (scope === 'completion') return completion;
  const match = /<think>([\s\S]*?)(?:<\/think>|$)/i.exec(completion);
  return match ? (match[1] as string) : completion;
}

/** `math.arithmetic`: the share of explicit computations in the reasoning that are correct, in [0, 1]; one step per computation. */
export const arithmeticPlugin = definePlugin({
  name: 'math.arithmetic',
  description: 'Recomputes every explicit computation in the reasoning (12 × 7 = 84, 3/4 of 20 is 15); the share that is correct.',
  follows: 'verifiable process checks (execution-grounded step labels, GroundedPRM / GenPRM style)',
  reference: 'none: the completion is checked against itself',
  options: arithmeticOptionsSchema,
  create(options) {
    return perRollout((rollout) => {
      const text = reasoningOf(typeof rollout.completion === 'string' ? rollout.completion : '', options.scope);
      const report = checkArithmetic(text, { relativeTolerance: options.relativeTolerance, allowRounding: options.allowRounding, maxComputations: options.maxComputations });
      if (report.total === 0 || report.share === null) {
        if (options.noComputations === 'skip') return skipped('no explicit computation found');
        return ok(options.noComputations === 'one' ? 1 : 0, { reason: 'no explicit computation found', components: { computations: 0, wrong: 0 }, steps: [] });
      }
      // Every wrong computation is named (long ones shortened).
      const wrong = report.wrong.map((computation) => `"${computation.text.length > 80 ? `${computation.text.slice(0, 77)}...` : computation.text}" (is ${formatNumber(computation.computed)})`);
      const reason = wrong.length === 0 ? `all ${report.total} computations are correct` : `${report.correct} of ${report.total} computations are correct; wrong: ${wrong.join('; ')}`;
      return ok(report.share, {
        reason,
        components: { computations: report.total, wrong: report.wrong.length },
        steps: report.computations.map((computation) => (computation.correct ? 1 : 0)),
      });
    });
  },
});

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
}

/**
 * A `math.arithmetic` scorer for library use.
 * @param options the reward's options (validated; INVALID_OPTIONS names the field)
 * @param context base directory and logger (defaults: cwd, silent)
 */
export function createArithmeticReward(options: ArithmeticRewardOptions = {}, context: Partial<CreateContext> = {}): Scorer {
  return arithmeticPlugin.create(parseOptions(arithmeticPlugin, options), { baseDir: context.baseDir ?? process.cwd(), logger: context.logger ?? silentLogger }) as Scorer;
}
