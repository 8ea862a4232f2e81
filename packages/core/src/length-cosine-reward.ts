import { z } from 'zod';
import { createLengthCounter, lengthUnitOptions } from './length-count.js';
import { createScorer, definePlugin, perRollout, type CreateContext, type Scorer } from './plugin.js';
import { ok, skipped } from './results.js';

const lengthCosineOptions = z
  .object({
    max_length: z.number().positive().default(1000).describe('L_max: the length at which the curve reaches its far end, > 0 (tokens or characters). Default 1000.'),
    outcome: z.enum(['correct', 'wrong', 'auto']).default('auto').describe('Which curve: correct, wrong, or auto (from meta.correct; skipped when absent). Default auto.'),
    min_value_correct: z.number().default(0.5).describe('Reward of a correct answer at max_length. Default 0.5.'),
    max_value_correct: z.number().default(1).describe('Reward of a correct answer at length 0. Default 1.'),
    min_value_wrong: z.number().default(-1).describe('Reward of a wrong answer at length 0. Default -1.'),
    max_value_wrong: z.number().default(-0.5).describe('Reward of a wrong answer at max_length. Default -0.5.'),
    ...lengthUnitOptions,
  })
  .strict();

/** Options of `length.cosine` as a caller writes them (every key optional). */
export type LengthCosineOptions = z.input<typeof lengthCosineOptions>;

/**
 * The cosine length-scaled reward (Yeo et al. 2025, "Demystifying Long Chain-of-Thought
 * Reasoning"; open-r1's cosine_scaled_reward): from `start` at length 0 to `end` at `maxLength`
 * along half a cosine; lengths past `maxLength` are clipped to it.
 * @param length completion length, >= 0
 * @returns a value between `start` and `end`
 */
export function cosineScaled(length: number, maxLength: number, start: number, end: number): number {
  const progress = Math.min(Math.max(length / maxLength, 0), 1);
  return end + 0.5 * (start - end) * (1 + Math.cos(progress * Math.PI));
}

function outcomeOf(meta: Record<string, unknown> | undefined): boolean | undefined {
  const value = meta?.correct;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value >= 0.5;
  return undefined;
}

/** `length.cosine`: shorter correct answers earn more, longer wrong answers are punished less. */
export const lengthCosinePlugin = definePlugin({
  name: 'length.cosine',
  description: 'Cosine length scaling: shorter correct answers earn more, longer wrong ones are punished less.',
  follows: 'Yeo et al. 2025 (Demystifying Long CoT), open-r1 cosine_scaled_reward',
  reference: 'not used; meta.correct (boolean) when outcome is auto',
  options: lengthCosineOptions,
  batchSize: 1024,
  async create(options, { baseDir }) {
    const counter = await createLengthCounter({ tokenizer: options.tokenizer, unit: options.unit, baseDir });
    return perRollout((rollout) => {
      const correct = options.outcome === 'auto' ? outcomeOf(rollout.meta) : options.outcome === 'correct';
      if (correct === undefined) return skipped('outcome is auto and the rollout has no meta.correct; set outcome or gate this reward on accuracy');
      const length = counter.count(rollout);
      const reward = correct
        ? cosineScaled(length, options.max_length, options.max_value_correct, options.min_value_correct)
        : cosineScaled(length, options.max_length, options.min_value_wrong, options.max_value_wrong);
      return ok(reward, { components: { length }, reason: `${correct ? 'correct' : 'wrong'} answer of ${length} ${counter.unit}` });
    });
  },
});


/**
 * A `length.cosine` scorer for library use.
 * @param options the reward's options, as in a config's `with:`
 * @param context `baseDir` that a relative `tokenizer` path resolves against
 */
export function createLengthCosineReward(options: LengthCosineOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(lengthCosinePlugin, options, context);
}
