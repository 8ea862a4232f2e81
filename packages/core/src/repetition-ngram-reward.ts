import { z } from 'zod';
import { createScorer, definePlugin, perRollout, type CreateContext, type Scorer } from './plugin.js';
import { ok } from './results.js';

const repetitionNgramOptions = z
  .object({
    n: z.number().int().min(1).default(3).describe('n-gram size in words, >= 1. Default 3.'),
    max_penalty: z.number().max(0).default(-1).describe('Penalty when every n-gram is a repeat, <= 0. Default -1.'),
    case_sensitive: z.boolean().default(false).describe('Compare words with their case. Default false.'),
  })
  .strict();

/** Options of `repetition.ngram` as a caller writes them (every key optional). */
export type RepetitionNgramOptions = z.input<typeof repetitionNgramOptions>;

/**
 * Share of repeated word n-grams: 1 - unique / total (0 when there are fewer than n words).
 * @returns repetition in [0, 1)
 */
export function ngramRepetition(text: string, n: number, caseSensitive = false): number {
  const words = (caseSensitive ? text : text.toLowerCase()).split(/\s+/u).filter((word) => word !== '');
  if (words.length < n) return 0;
  const total = words.length - n + 1;
  // Words become small integers; an n-gram of up to 3 ids below 2^17 packs into one exact number,
  // so the common case allocates no strings.
  const ids = new Map<string, number>();
  const sequence = new Array<number>(words.length);
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    let id = ids.get(word);
    if (id === undefined) {
      id = ids.size;
      ids.set(word, id);
    }
    sequence[index] = id;
  }
  const packable = n <= 3 && ids.size < 131_072;
  const seen = new Set<number | string>();
  for (let index = 0; index < total; index++) {
    if (packable) {
      let key = 0;
      for (let offset = 0; offset < n; offset++) key = key * 131_072 + (sequence[index + offset] as number);
      seen.add(key);
    } else seen.add(sequence.slice(index, index + n).join(','));
  }
  return 1 - seen.size / total;
}

/** `repetition.ngram`: a penalty proportional to the share of repeated word n-grams. */
export const repetitionNgramPlugin = definePlugin({
  name: 'repetition.ngram',
  description: 'N-gram repetition penalty: max_penalty times the share of repeated word n-grams.',
  follows: 'open-r1 repetition_penalty_reward (Yeo et al. 2025)',
  reference: 'not used',
  options: repetitionNgramOptions,
  batchSize: 1024,
  create(options) {
    return perRollout((rollout) => {
      const repetition = ngramRepetition(rollout.completion, options.n, options.case_sensitive);
      const reward = repetition === 0 ? 0 : repetition * options.max_penalty;
      return ok(reward, { components: { repetition }, reason: `${(repetition * 100).toFixed(1)}% of ${options.n}-grams repeat` });
    });
  },
});

/**
 * A `repetition.ngram` scorer for library use.
 * @param options the reward's options, as in a config's `with:`
 * @param context `baseDir`, `mediaDir` and `logger` (unused by this reward)
 */
export function createRepetitionNgramReward(options: RepetitionNgramOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(repetitionNgramPlugin, options, context);
}
