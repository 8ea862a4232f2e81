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
import { labelOptionFields, openSequenceScorer, type LabelScore } from './sequence-score.js';
import { bmasSimilarity } from './similarity.js';
import { cosineSimilarity } from './vectors.js';

const modelFields = {
  model: z.string().min(1).describe('model folder (manifest.json, model.onnx, tokenizer.json), relative to the config folder (baseDir); required'),
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
const modelScoreOptions = z
  .object({
    ...modelFields,
    ...labelOptionFields,
    input: z
      .enum(['pair', 'completion'])
      .default('pair')
      .describe('pair: (prompt, completion) as a text pair (the completion alone when there is no prompt); completion: the completion only. Default pair'),
    template: z
      .string()
      .min(1)
      .optional()
      .describe('score one text built from this template instead: {prompt} and {completion} are replaced. Default: none (input decides)'),
  })
  .strict();

/** Options of `model.score` as a caller writes them (defaults optional). */
export type ModelScoreOptions = z.input<(typeof modelScorePlugin)['options']>;

/**
 * `model.score`: an ONNX reward model (kind sequence-score) scores (prompt, completion), as
 * OpenRLHF's and TRL's reward models do. The reward is the chosen label's score after the
 * manifest's activation (sigmoid: (0, 1); softmax: [0, 1]; none: the raw logit); every label's
 * score is a component.
 */
export const modelScorePlugin = definePlugin({
  name: 'model.score',
  description: 'scores (prompt, completion) with an ONNX reward model; the manifest label/activation picks the score',
  follows: "OpenRLHF / TRL reward models (AutoModelForSequenceClassification's logits)",
  reference: 'none: the model judges the completion (reference is ignored)',
  options: modelScoreOptions,
  batchSize: 64,
  async create(options, context): Promise<Scorer> {
    const model = await openSequenceScorer('model.score', options, context);
    return {
      score: (rollouts, { signal }) =>
        scoreEach(rollouts, signal, async (rollout) => {
          const prompt = promptText(rollout.prompt);
          const completion = rollout.completion;
          let picked: LabelScore;
          if (options.template !== undefined) {
            picked = await model.score(options.template.replaceAll('{prompt}', prompt ?? '').replaceAll('{completion}', completion));
          } else if (options.input === 'pair' && prompt !== undefined && prompt.trim().length > 0) {
            picked = await model.score(prompt, completion);
          } else {
            if (completion.trim().length === 0) {
              throw new RewardError('INVALID_INPUT', 'completion: empty string and no prompt; there is nothing to score', { path: 'completion' });
            }
            picked = await model.score(completion);
          }
          return ok(picked.value, { components: picked.scores, reason: `reward model ${picked.label} = ${picked.value.toFixed(4)}` });
        }),
      dispose: () => model.dispose(),
    };
  },
});

/** Options of `text.similarity`. */
const textSimilarityOptions = z
  .object({
    ...modelFields,
    method: z
      .enum(['cosine', 'bmas'])
      .default('cosine')
      .describe('cosine: of the pooled embeddings; bmas: bidirectional max-average similarity of token embeddings (Mixed-R1). Default cosine'),
    combine: z.enum(['mean', 'f1']).default('mean').describe('bmas only: how the two directions combine: mean (P + R) / 2, or f1 2PR / (P + R). Default mean'),
    clamp: z.boolean().default(true).describe('negative similarities become 0, so the reward is in [0, 1]. Default true'),
    cache_size: z
      .number()
      .int()
      .min(0)
      .default(1024)
      .describe('reference embeddings kept in memory (references repeat within a group), an integer >= 0; 0 turns the cache off. Default 1024'),
  })
  .strict();

/** Options of `text.similarity` as a caller writes them (defaults optional). */
export type TextSimilarityOptions = z.input<(typeof textSimilarityPlugin)['options']>;

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
      if (options.cache_size > 0) {
        if (cache.size >= options.cache_size) cache.delete(cache.keys().next().value as string);
        cache.set(text, promise);
        promise.catch(() => cache.delete(text));
      }
      return promise;
    };
    return {
      score: (rollouts, { signal }) =>
        scoreEach(rollouts, signal, async (rollout) => {
          const references = referenceTexts(rollout.reference);
          if (rollout.reference === undefined || rollout.reference === null) return skipped('no reference: text.similarity needs rollout.reference (a string or a list of strings)');
          if (!references) return skipped('blank reference: text.similarity needs a non-empty reference text');
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
 * A `model.score` scorer for library use: the options are parsed with the plugin's schema, then the
 * model is loaded.
 * @param options the reward's options (`model` is required)
 * @param context `baseDir` that a relative model path resolves against, `mediaDir`, and a logger
 */
export async function createModelScoreReward(options: ModelScoreOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(modelScorePlugin, options, context);
}

/**
 * A `text.similarity` scorer for library use: the options are parsed with the plugin's schema, then
 * the model is loaded.
 * @param options the reward's options (`model` is required)
 * @param context `baseDir` that a relative model path resolves against, `mediaDir`, and a logger
 */
export async function createTextSimilarityReward(options: TextSimilarityOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(textSimilarityPlugin, options, context);
}

/** The rewards of this package, for a registry: `model.score` and `text.similarity`. */
export const plugins: RewardPlugin[] = [modelScorePlugin, textSimilarityPlugin];
