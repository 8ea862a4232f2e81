import {
  RewardError,
  concurrentPerRollout,
  promptText,
  createScorer,
  definePlugin,
  ok,
  skipped,
  type CreateContext,
  type RewardPlugin,
  type RewardResult,
  type Rollout,
  type Scorer,
} from '@mixreward/core';
import { z } from 'zod';
import type { ModelKind } from './manifest.js';
import { modelOptionFields, openRewardModel } from './model-options.js';
import { bmasSimilarity } from './similarity.js';
import { cosineSimilarity } from './vectors.js';

const modelFields = {
  model: z.string().min(1).describe('model folder (manifest.json, model.onnx, tokenizer.json), relative to the config file'),
  ...modelOptionFields,
};

/** Score every rollout concurrently (so the model batches them), isolating each one's faults. */
function scoreEach(rollouts: readonly Rollout[], signal: AbortSignal, scoreOne: (rollout: Rollout) => Promise<RewardResult>): Promise<RewardResult[]> {
  return concurrentPerRollout(async (rollout) => {
    if (typeof rollout?.completion !== 'string') {
      throw new RewardError('INVALID_ROLLOUT', 'completion: expected a string', { path: 'completion' });
    }
    return scoreOne(rollout);
  }).score(rollouts, { signal });
}


/** Options of `model.score`. */
export const modelScoreOptions = z
  .object({
    ...modelFields,
    label: z
      .union([z.string().min(1), z.number().int().min(0)])
      .optional()
      .describe('which label is the reward (name from manifest labels, or index); default the last label'),
    input: z
      .enum(['pair', 'completion'])
      .default('pair')
      .describe('pair: (prompt, completion) as a text pair (completion alone when there is no prompt); completion: the completion only'),
    template: z
      .string()
      .min(1)
      .optional()
      .describe('score one text built from this template instead: {prompt} and {completion} are replaced'),
  })
  .strict();

/** Options of `model.score` as written in a config (defaults optional). */
export type ModelScoreOptions = z.input<typeof modelScoreOptions>;

/**
 * `model.score`: an ONNX reward model (kind sequence-score) scores (prompt, completion), as
 * OpenRLHF's and TRL's reward models do. The reward is the chosen label's score after the
 * manifest's activation; every label's score is a component.
 */
export const modelScorePlugin = definePlugin({
  name: 'model.score',
  description: 'scores (prompt, completion) with an ONNX reward model; the manifest label/activation picks the score',
  follows: "OpenRLHF / TRL reward models (AutoModelForSequenceClassification's logits)",
  reference: 'none: the model judges the completion (reference is ignored)',
  options: modelScoreOptions,
  batchSize: 64,
  async create(options, context): Promise<Scorer> {
    const model = await openRewardModel('model.score', options, context, ['sequence-score']);
    const labels = model.manifest.labels;
    if (typeof options.label === 'string' && labels && !labels.includes(options.label)) {
      await model.dispose();
      throw new RewardError('INVALID_OPTIONS', `with.label: "${options.label}" is not one of the model's labels (${labels.join(', ')})`, { path: 'with.label' });
    }
    return {
      score: (rollouts, { signal }) =>
        scoreEach(rollouts, signal, async (rollout) => {
          const prompt = promptText(rollout.prompt);
          const completion = rollout.completion;
          let scores: number[];
          if (options.template !== undefined) {
            const text = options.template.replaceAll('{prompt}', prompt ?? '').replaceAll('{completion}', completion);
            scores = await model.score(text);
          } else if (options.input === 'pair' && prompt !== undefined && prompt.trim().length > 0) {
            scores = await model.score(prompt, completion);
          } else {
            if (completion.trim().length === 0) {
              throw new RewardError('INVALID_INPUT', 'completion: empty string and no prompt; there is nothing to score', { path: 'completion' });
            }
            scores = await model.score(completion);
          }
          const names = labels ?? scores.map((_, index) => `label_${index}`);
          const index = options.label === undefined ? scores.length - 1 : typeof options.label === 'number' ? options.label : names.indexOf(options.label);
          if (index < 0 || index >= scores.length) {
            throw new RewardError('INVALID_OPTIONS', `with.label: ${JSON.stringify(options.label)} is out of range for ${scores.length} outputs`, { path: 'with.label' });
          }
          const value = scores[index] as number;
          const components = Object.fromEntries(names.map((name, position) => [name, scores[position] ?? null]));
          return ok(value, { components, reason: `reward model ${names[index]} = ${value.toFixed(4)}` });
        }),
      dispose: () => model.dispose(),
    };
  },
});

/** Options of `text.similarity`. */
export const textSimilarityOptions = z
  .object({
    ...modelFields,
    method: z
      .enum(['cosine', 'bmas'])
      .default('cosine')
      .describe('cosine: of the pooled embeddings; bmas: bidirectional max-average similarity of token embeddings (Mixed-R1)'),
    combine: z.enum(['mean', 'f1']).default('mean').describe('bmas only: how the two directions combine: (P + R) / 2, or 2PR / (P + R)'),
    clamp: z.boolean().default(true).describe('negative similarities become 0, so the reward is in [0, 1]'),
    cacheSize: z.number().int().min(0).default(1024).describe('reference embeddings kept in memory (references repeat within a group)'),
  })
  .strict();

/** Options of `text.similarity` as written in a config (defaults optional). */
export type TextSimilarityOptions = z.input<typeof textSimilarityOptions>;

/** The reference texts of a rollout: a string or a list of strings (best match wins); undefined when absent/empty. */
function referenceTexts(reference: unknown): string[] | undefined {
  if (reference === undefined || reference === null) return undefined;
  const list = typeof reference === 'string' ? [reference] : Array.isArray(reference) ? reference : undefined;
  if (!list || list.some((item) => typeof item !== 'string')) {
    throw new RewardError('INVALID_REFERENCE', `reference: expected a string or a list of strings, got ${Array.isArray(reference) ? 'a list with non-strings' : typeof reference}`, {
      path: 'reference',
    });
  }
  const texts = (list as string[]).filter((text) => text.trim().length > 0);
  return texts.length > 0 ? texts : undefined;
}

/**
 * `text.similarity`: completion vs reference by meaning with an embedding model: cosine of the
 * pooled embeddings, or BMAS over token embeddings. With several references the best one counts.
 */
export const textSimilarityPlugin = definePlugin({
  name: 'text.similarity',
  description: 'completion vs reference by meaning: cosine of pooled embeddings, or BMAS over token embeddings',
  follows: 'Mixed-R1 open-ended reward (BMAS); BERTScore greedy matching; sentence-embedding cosine',
  reference: 'string or string[]: the reference text(s); the best match counts',
  options: textSimilarityOptions,
  batchSize: 64,
  async create(options, context): Promise<Scorer> {
    const kinds: ModelKind[] = options.method === 'bmas' ? ['embedding', 'text-embedding'] : ['embedding', 'text-embedding', 'clip'];
    const model = await openRewardModel(`text.similarity (${options.method})`, options, context, kinds);
    const cache = new Map<string, Promise<Float32Array | Float32Array[]>>();
    const embedding = (text: string): Promise<Float32Array | Float32Array[]> =>
      options.method === 'bmas' ? model.embedTokens(text) : model.embed(text);
    const cachedReference = (text: string) => {
      const hit = cache.get(text);
      if (hit) return hit;
      const promise = embedding(text);
      if (options.cacheSize > 0) {
        if (cache.size >= options.cacheSize) cache.delete(cache.keys().next().value as string);
        cache.set(text, promise);
        promise.catch(() => cache.delete(text));
      }
      return promise;
    };
    return {
      score: (rollouts, { signal }) =>
        scoreEach(rollouts, signal, async (rollout) => {
          const references = referenceTexts(rollout.reference);
          if (!references) return skipped('no reference text to compare with');
          if (rollout.completion.trim().length === 0) {
            return ok(0, { components: options.method === 'bmas' ? { precision: 0, recall: 0, bmas: 0 } : { cosine: 0 }, reason: 'empty completion' });
          }
          const [candidate, ...targets] = await Promise.all([embedding(rollout.completion), ...references.map(cachedReference)]);
          let best: { value: number; components: Record<string, number> } | undefined;
          targets.forEach((target) => {
            let value: number;
            let components: Record<string, number>;
            if (options.method === 'bmas') {
              const parts = bmasSimilarity(candidate as Float32Array[], target as Float32Array[], options.combine);
              value = parts.score;
              components = { precision: parts.precision, recall: parts.recall, bmas: parts.score };
            } else {
              value = cosineSimilarity(candidate as Float32Array, target as Float32Array);
              components = { cosine: value };
            }
            if (!best || value > best.value) best = { value, components };
          });
          const chosen = best as { value: number; components: Record<string, number> };
          const reward = options.clamp ? Math.min(1, Math.max(0, chosen.value)) : chosen.value;
          const which = references.length > 1 ? ` (best of ${references.length} references)` : '';
          return ok(reward, { components: chosen.components, reason: `${options.method} similarity ${chosen.value.toFixed(4)}${which}` });
        }),
      dispose: () => model.dispose(),
    };
  },
});

/**
 * A `model.score` scorer for library use.
 * @param options the reward's options (`model` is required)
 * @param context `baseDir` that a relative model path resolves against, and a logger
 */
export function createModelScoreReward(options: ModelScoreOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(modelScorePlugin as unknown as RewardPlugin, options, context);
}

/**
 * A `text.similarity` scorer for library use.
 * @param options the reward's options (`model` is required)
 * @param context `baseDir` that a relative model path resolves against, and a logger
 */
export function createTextSimilarityReward(options: TextSimilarityOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(textSimilarityPlugin as unknown as RewardPlugin, options, context);
}

/** The rewards of this package, for a registry: `model.score` and `text.similarity`. */
export const plugins: RewardPlugin[] = [modelScorePlugin, textSimilarityPlugin] as unknown as RewardPlugin[];
