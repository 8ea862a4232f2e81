/**
 * The `math.prm` reward: step rewards from a process reward model through @mixreward/inference.
 * @module
 */
import {
  concurrentPerRollout,
  createScorer,
  definePlugin,
  ok,
  promptText,
  type CreateContext,
  type RewardResult,
  type Rollout,
  type Scorer,
} from '@mixreward/core';
import { modelOptionFields, openRewardModel } from '@mixreward/inference';
import { z } from 'zod';
import { reasoningOf } from './reasoning-scope.js';
import { aggregateSteps, splitSteps } from './step-split.js';

/** Options of `math.prm`. */
const prmOptionsSchema = z
  .object({
    model: z.string().min(1).describe('Process reward model folder (manifest kind "step-score"), relative to the config file. Required.'),
    ...modelOptionFields,
    split: z
      .enum(['auto', 'blank-lines', 'step-markers', 'separator', 'lines'])
      .default('auto')
      .describe('How the reasoning is cut into steps: "Step k:" markers, blank lines, a separator string, every line, or auto (markers when there are two or more, else blank lines, else lines). Default "auto".'),
    separator: z.string().default('<step>').describe('The separator string for split "separator" (e.g. "ки"). Default "<step>".'),
    aggregate: z
      .enum(['min', 'mean', 'last', 'product'])
      .default('min')
      .describe('How step scores become the reward: min (default; the weakest step), mean, last (the final step) or product.'),
    scope: z.enum(['completion', 'reasoning']).default('completion').describe('"completion" (default): score the whole completion; "reasoning": only its <think>…</think> part.'),
    max_steps: z.number().int().min(1).max(1_024).default(64).describe('Most steps scored, 1 to 1024; the rest are merged into the last one. Default 64.'),
  })
  .strict();

/** Options of `math.prm` as a caller writes them (`model` required, the rest optional). */
export type MathPrmOptions = z.input<typeof prmOptionsSchema>;

/** `math.prm`: a process reward model's step scores (in the model's range, [0, 1] for a probability head), aggregated. */
export const mathPrmPlugin = definePlugin({
  name: 'math.prm',
  description: 'Step rewards from a process reward model: the reasoning is split into steps, each step scored, the scores aggregated (min, mean, last, product).',
  follows: "Process reward models (Let's Verify Step by Step; Math-Shepherd)",
  reference: 'none: the prompt and the completion are scored',
  options: prmOptionsSchema,
  async create(options, context) {
    const model = await openRewardModel('math.prm', options, context, ['step-score']);
    const scoreOne = async (rollout: Rollout): Promise<RewardResult> => {
      const reasoning = reasoningOf(typeof rollout.completion === 'string' ? rollout.completion : '', options.scope);
      const steps = splitSteps(reasoning, { split: options.split, separator: options.separator, maxSteps: options.max_steps });
      if (steps.length === 0) return ok(0, { reason: 'no reasoning steps to score', steps: [], components: { steps: 0 } });
      const scores = await model.scoreSteps(promptText(rollout.prompt, { messages: 'lastUser' }) ?? '', steps);
      const reward = aggregateSteps(scores, options.aggregate);
      const weakest = scores.indexOf(Math.min(...scores));
      return ok(reward, {
        steps: scores,
        components: { steps: scores.length },
        reason: `${options.aggregate} of ${scores.length} step scores = ${reward.toFixed(4)}; weakest is step ${weakest + 1} (${(scores[weakest] as number).toFixed(4)})`,
      });
    };
    return concurrentPerRollout((rollout) => scoreOne(rollout), () => model.dispose());
  },
});

/**
 * A `math.prm` scorer for library use (loads the model; dispose it when done).
 * @param options the reward's options; `model` is required
 * @param context `baseDir` for the model path, and a logger
 */
export async function createMathPrmReward(options: MathPrmOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(mathPrmPlugin, options, context);
}
