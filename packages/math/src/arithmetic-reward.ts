/**
 * The `math.arithmetic` reward: every explicit computation in the reasoning is recomputed; the
 * share of correct ones is the reward and each one is a step.
 * @module
 */
import { checkArithmetic, createScorer, definePlugin, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { reasoningOf } from './reasoning-scope.js';

/** Options of `math.arithmetic` (every one has a default). */
const arithmeticOptionsSchema = z
  .object({
    scope: z
      .enum(['completion', 'reasoning'])
      .default('completion')
      .describe('"completion" (default): the whole completion. "reasoning": only the <think>…</think> part (the whole completion when it has none).'),
    relative_tolerance: z.number().min(0).max(1).default(1e-9).describe('Relative tolerance of a claimed value, in [0, 1]. Default 1e-9.'),
    allow_rounding: z.boolean().default(true).describe('Accept a claimed decimal that is the exact value rounded to the decimals it shows (10/3 = 3.33). Default true.'),
    no_computations: z
      .enum(['skip', 'zero', 'one'])
      .default('skip')
      .describe('Result when the text has no explicit computation: "skip" (default; the reward does not apply), or a reward of 0 or 1.'),
    max_computations: z.number().int().min(1).max(100_000).default(1_000).describe('Most computations checked per rollout, 1 to 100000. Default 1000.'),
  })
  .strict();

/** Options of `math.arithmetic` as a caller writes them (every one optional). */
export type MathArithmeticOptions = z.input<typeof arithmeticOptionsSchema>;

/** `math.arithmetic`: the share of explicit computations in the reasoning that are correct, in [0, 1]; one step per computation. */
export const mathArithmeticPlugin = definePlugin({
  name: 'math.arithmetic',
  description: 'Recomputes every explicit computation in the reasoning (12 × 7 = 84, 3/4 of 20 is 15); the share that is correct.',
  follows: 'verifiable process checks (execution-grounded step labels, GroundedPRM / GenPRM style)',
  reference: 'none: the completion is checked against itself',
  options: arithmeticOptionsSchema,
  create(options) {
    return perRollout((rollout) => {
      const text = reasoningOf(typeof rollout.completion === 'string' ? rollout.completion : '', options.scope);
      const report = checkArithmetic(text, { relativeTolerance: options.relative_tolerance, allowRounding: options.allow_rounding, maxComputations: options.max_computations });
      if (report.total === 0 || report.share === null) {
        if (options.no_computations === 'skip') return skipped('no explicit computation found');
        return ok(options.no_computations === 'one' ? 1 : 0, { reason: 'no explicit computation found', components: { computations: 0, wrong: 0 }, steps: [] });
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
 * @param context base directory, media directory and logger (defaults: cwd, cwd, silent)
 */
export async function createMathArithmeticReward(options: MathArithmeticOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(mathArithmeticPlugin, options, context);
}
