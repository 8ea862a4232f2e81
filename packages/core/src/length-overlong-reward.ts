import { z } from 'zod';
import { createLengthCounter, lengthUnitOptions } from './length-count.js';
import { createScorer, definePlugin, perRollout, type CreateContext, type Scorer } from './plugin.js';
import { ok } from './results.js';

const lengthOverlongOptions = z
  .object({
    max_length: z.number().positive().default(20480).describe('L_max: longer completions get -1, > 0 (tokens or characters). Default 20480 (DAPO).'),
    cache_length: z.number().nonnegative().default(4096).describe('L_cache: the soft-punishment band before L_max, >= 0 and <= max_length. Default 4096 (DAPO).'),
    ...lengthUnitOptions,
  })
  .strict()
  .refine((options) => options.cache_length <= options.max_length, { message: 'cache_length must not exceed max_length', path: ['cache_length'] });

/** Options of `length.overlong` as a caller writes them (every key optional). */
export type LengthOverlongOptions = z.input<typeof lengthOverlongOptions>;

/**
 * DAPO's soft overlong punishment (Yu et al. 2025): 0 up to L_max - L_cache, then a linear ramp
 * down to -1 at L_max, and -1 beyond.
 * @param length completion length, >= 0
 * @returns a penalty in [-1, 0]
 */
export function overlongPenalty(length: number, maxLength: number, cacheLength: number): number {
  const expected = maxLength - cacheLength;
  if (length <= expected) return 0;
  if (length <= maxLength) return cacheLength === 0 ? 0 : (expected - length) / cacheLength;
  return -1;
}

/** `length.overlong`: DAPO soft overlong punishment, in [-1, 0]. */
export const lengthOverlongPlugin = definePlugin({
  name: 'length.overlong',
  description: 'DAPO soft overlong punishment: 0, then a linear ramp to -1 over the last cache_length before max_length.',
  follows: 'DAPO (Yu et al. 2025), soft overlong punishment',
  reference: 'not used',
  options: lengthOverlongOptions,
  batchSize: 1024,
  async create(options, { baseDir }) {
    const counter = await createLengthCounter({ tokenizer: options.tokenizer, unit: options.unit, baseDir });
    return perRollout((rollout) => {
      const length = counter.count(rollout);
      const reward = overlongPenalty(length, options.max_length, options.cache_length);
      return ok(reward, { components: { length }, reason: `${length} ${counter.unit} (soft limit ${options.max_length - options.cache_length}, hard limit ${options.max_length})` });
    });
  },
});

/**
 * A `length.overlong` scorer for library use.
 * @param options the reward's options, as in a config's `with:`
 * @param context `baseDir` that a relative `tokenizer` path resolves against
 */
export function createLengthOverlongReward(options: LengthOverlongOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(lengthOverlongPlugin, options, context);
}
