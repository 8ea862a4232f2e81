import { z } from 'zod';
import { createLengthCounter } from './length-count.js';
import { definePlugin, perRollout } from './plugin.js';
import { ok, skipped } from './results.js';

const unitOptions = {
  tokenizer: z.string().optional().describe('Path to a tokenizer.json (or its folder): lengths in tokens. Without it, characters (or meta.completion_tokens when unit is "tokens").'),
  unit: z.enum(['auto', 'tokens', 'characters']).default('auto').describe('auto: tokens with a tokenizer, else characters.'),
};

/** Options of `length.cosine`. */
export const lengthCosineOptions = z
  .object({
    maxLength: z.number().positive().default(1000).describe('L_max: the length at which the curve reaches its far end (tokens or characters).'),
    outcome: z.enum(['correct', 'wrong', 'auto']).default('auto').describe('Which curve: correct, wrong, or auto (from meta.correct; skipped when absent).'),
    minValueCorrect: z.number().default(0.5).describe('Reward of a correct answer at maxLength.'),
    maxValueCorrect: z.number().default(1).describe('Reward of a correct answer at length 0.'),
    minValueWrong: z.number().default(-1).describe('Reward of a wrong answer at length 0.'),
    maxValueWrong: z.number().default(-0.5).describe('Reward of a wrong answer at maxLength.'),
    ...unitOptions,
  })
  .strict();

/** Parsed options of `length.cosine`. */
export type LengthCosineOptions = z.output<typeof lengthCosineOptions>;

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
        ? cosineScaled(length, options.maxLength, options.maxValueCorrect, options.minValueCorrect)
        : cosineScaled(length, options.maxLength, options.minValueWrong, options.maxValueWrong);
      return ok(reward, { components: { length }, reason: `${correct ? 'correct' : 'wrong'} answer of ${length} ${counter.unit}` });
    });
  },
});

/** Options of `length.overlong`. */
export const lengthOverlongOptions = z
  .object({
    maxLength: z.number().positive().default(20480).describe('L_max: longer completions get -1 (DAPO default 20480 tokens).'),
    cacheLength: z.number().nonnegative().default(4096).describe('L_cache: the soft-punishment band before L_max (DAPO default 4096).'),
    ...unitOptions,
  })
  .strict()
  .refine((options) => options.cacheLength <= options.maxLength, { message: 'cacheLength must not exceed maxLength', path: ['cacheLength'] });

/** Parsed options of `length.overlong`. */
export type LengthOverlongOptions = z.output<typeof lengthOverlongOptions>;

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
  description: 'DAPO soft overlong punishment: 0, then a linear ramp to -1 over the last cacheLength before maxLength.',
  follows: 'DAPO (Yu et al. 2025), soft overlong punishment',
  reference: 'not used',
  options: lengthOverlongOptions,
  batchSize: 1024,
  async create(options, { baseDir }) {
    const counter = await createLengthCounter({ tokenizer: options.tokenizer, unit: options.unit, baseDir });
    return perRollout((rollout) => {
      const length = counter.count(rollout);
      const reward = overlongPenalty(length, options.maxLength, options.cacheLength);
      return ok(reward, { components: { length }, reason: `${length} ${counter.unit} (soft limit ${options.maxLength - options.cacheLength}, hard limit ${options.maxLength})` });
    });
  },
});

/** Options of `repetition.ngram`. */
export const repetitionNgramOptions = z
  .object({
    n: z.number().int().min(1).default(3).describe('n-gram size in words.'),
    maxPenalty: z.number().max(0).default(-1).describe('Penalty when every n-gram is a repeat (<= 0).'),
    caseSensitive: z.boolean().default(false),
  })
  .strict();

/** Parsed options of `repetition.ngram`. */
export type RepetitionNgramOptions = z.output<typeof repetitionNgramOptions>;

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
  description: 'N-gram repetition penalty: maxPenalty times the share of repeated word n-grams.',
  follows: 'open-r1 repetition_penalty_reward (Yeo et al. 2025)',
  reference: 'not used',
  options: repetitionNgramOptions,
  batchSize: 1024,
  create(options) {
    return perRollout((rollout) => {
      const repetition = ngramRepetition(rollout.completion, options.n, options.caseSensitive);
      const reward = repetition === 0 ? 0 : repetition * options.maxPenalty;
      return ok(reward, { components: { repetition }, reason: `${(repetition * 100).toFixed(1)}% of ${options.n}-grams repeat` });
    });
  },
});
