/**
 * `medical.semantic`: open-ended answers by meaning, made discriminative (ARMed, "Breaking Reward
 * Collapse"): raw embedding cosine collapses (very different answers score alike), so the raw score
 * is calibrated against a reference-frozen baseline and then spread within the rollout's group.
 */
import { z } from 'zod';
import { RewardError, createScorer, definePlugin, failed, groupOf, ok, promptText, skipped, type CreateContext, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import { cosineSimilarity, modelOptionFields, openRewardModel } from '@mixreward/inference';
import { findAnswerRegion } from './answer-region.js';

/** Non-answers that anchor the baseline: how similar an empty answer would look to the reference. */
export const DEFAULT_ANCHORS: readonly string[] = ['I do not know.', 'The answer is unclear.', 'More information is needed.', 'Consult a doctor.'];

const semanticOptionsSchema = z
  .object({
    model: z.string().min(1).describe('Embedding model folder (manifest kind "embedding" or "text-embedding": manifest.json, model.onnx, tokenizer.json), relative to the config file. Required.'),
    ...modelOptionFields,
    calibration: z
      .enum(['none', 'baseline', 'group', 'baseline_group'])
      .default('baseline_group')
      .describe('"none": raw cosine clamped to [0, 1]; "baseline": (cos - b) / (1 - b) with b the reference-frozen baseline; "group": raw cosine spread within the group; "baseline_group" (default): both.'),
    anchors: z.array(z.string().min(1)).max(32).default([...DEFAULT_ANCHORS]).describe('Non-answers whose best similarity to the reference is the baseline b (default: four generic non-answers); the question text (prompt) is added when present.'),
    target_spread: z.number().gt(0).max(1).default(0.5).describe('Group stage: a group whose calibrated rewards span less than this (max - min, in (0, 1]; default 0.5) is stretched around its mean towards it.'),
    max_gain: z.number().min(1).max(100).default(5).describe('Group stage: the most the spread is multiplied by, 1-100 (default 5), so that near-identical answers are not pulled apart by noise.'),
    extract_answer: z.boolean().default(true).describe('Compare the answer part (<answer>, "Answer:", …) rather than the whole completion (default true).'),
  })
  .strict();

/** Options of `medical.semantic`, as written in a config. */
export type MedicalSemanticOptions = z.input<typeof semanticOptionsSchema>;
type Settings = z.output<typeof semanticOptionsSchema>;

interface Scored {
  raw: number;
  baseline: number;
  calibrated: number;
}

/**
 * Stretch a group's rewards around their mean so they span at least `targetSpread` (gain capped at
 * `maxGain`), clamped to [0, 1]. The mean stays (up to clamping): a group of poor answers stays
 * poor, but its best and worst are told apart.
 *
 * @param values calibrated rewards of one group, each in [0, 1]
 * @returns the stretched rewards and the gain used (>= 1)
 */
export function spreadGroup(values: readonly number[], targetSpread: number, maxGain: number): { values: number[]; gain: number } {
  if (values.length < 2) return { values: [...values], gain: 1 };
  const spread = Math.max(...values) - Math.min(...values);
  if (spread <= 1e-9 || spread >= targetSpread) return { values: [...values], gain: 1 };
  const gain = Math.min(maxGain, targetSpread / spread);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { values: values.map((value) => Math.min(1, Math.max(0, mean + (value - mean) * gain))), gain };
}

function referenceTexts(reference: unknown): string[] | undefined {
  if (typeof reference === 'string' && reference.trim().length > 0) return [reference];
  if (Array.isArray(reference) && reference.length > 0 && reference.every((item) => typeof item === 'string' && item.trim().length > 0)) return reference as string[];
  if (typeof reference === 'object' && reference !== null && typeof (reference as { answer?: unknown }).answer === 'string') return [(reference as { answer: string }).answer];
  return undefined;
}

/** `medical.semantic`: meaning-level similarity with baseline calibration and in-group spreading. */
export const medicalSemanticPlugin = definePlugin({
  name: 'medical.semantic',
  description: 'Open-ended answer vs reference by meaning (embedding cosine), calibrated against a reference-frozen baseline and spread within the group so rewards do not collapse.',
  follows: 'ARMed, "Breaking Reward Collapse" (adaptive semantic reward); Quark reference-frozen normalisation',
  reference: 'the reference answer text (or a list of texts, the best counts; or {"answer": text})',
  options: semanticOptionsSchema,
  scope: 'group',
  batchSize: 64,
  async create(settings: Settings, context): Promise<Scorer> {
    const model = await openRewardModel('medical.semantic', settings, context, ['embedding', 'text-embedding']);
    const cache = new Map<string, Promise<Float32Array>>();
    const embed = (text: string): Promise<Float32Array> => {
      let hit = cache.get(text);
      if (!hit) {
        hit = model.embed(text);
        if (cache.size >= 4096) cache.delete(cache.keys().next().value as string);
        cache.set(text, hit);
        hit.catch(() => cache.delete(text));
      }
      return hit;
    };
    const useBaseline = settings.calibration === 'baseline' || settings.calibration === 'baseline_group';
    const useGroup = settings.calibration === 'group' || settings.calibration === 'baseline_group';

    const scoreOne = async (rollout: Rollout): Promise<Scored | RewardResult> => {
      const references = referenceTexts(rollout.reference);
      if (rollout.reference === undefined || rollout.reference === null) return skipped('no reference: medical.semantic needs rollout.reference (the reference answer text)');
      if (!references) return failed(new RewardError('INVALID_REFERENCE', 'medical.semantic needs a reference text, a list of texts or {"answer": text}'));
      if (typeof rollout.completion !== 'string') return skipped('the completion is not text');
      const answer = settings.extract_answer ? (findAnswerRegion(rollout.completion)?.text ?? '') : rollout.completion.trim();
      if (answer.trim().length === 0) return { raw: 0, baseline: 0, calibrated: 0 };
      const question = promptText(rollout.prompt);
      const anchors = useBaseline ? [...settings.anchors, ...(question ? [question] : [])] : [];
      const [candidate, ...rest] = await Promise.all([embed(answer), ...references.map(embed), ...anchors.map(embed)]);
      const targets = rest.slice(0, references.length);
      const anchorVectors = rest.slice(references.length);
      let best: Scored | undefined;
      for (const target of targets) {
        const raw = cosineSimilarity(candidate as Float32Array, target);
        const baseline = anchorVectors.length > 0 ? Math.max(...anchorVectors.map((anchor) => cosineSimilarity(anchor, target))) : 0;
        const calibrated = useBaseline ? (baseline >= 1 ? 0 : Math.min(1, Math.max(0, (raw - baseline) / (1 - baseline)))) : Math.min(1, Math.max(0, raw));
        if (!best || calibrated > best.calibrated) best = { raw, baseline, calibrated };
      }
      return best as Scored;
    };

    return {
      async score(rollouts, { signal }) {
        const scored = await Promise.all(
          rollouts.map(async (rollout) => {
            if (signal.aborted) return failed(new RewardError('ABORTED', 'scoring was cancelled'));
            try {
              return await scoreOne(rollout);
            } catch (error) {
              return failed(error);
            }
          }),
        );
        // Group stage: stretch each group's calibrated rewards (rollouts without a group stand alone).
        const groups = new Map<string, number[]>();
        scored.forEach((value, index) => {
          if (!('calibrated' in value)) return;
          const group = groupOf(rollouts[index] as Rollout);
          if (group === undefined) return;
          const members = groups.get(group) ?? [];
          members.push(index);
          groups.set(group, members);
        });
        const final = new Map<number, { reward: number; gain: number; spread: number }>();
        for (const members of groups.values()) {
          const values = members.map((index) => (scored[index] as Scored).calibrated);
          const raws = members.map((index) => (scored[index] as Scored).raw);
          const spread = Math.max(...raws) - Math.min(...raws);
          const stretched = useGroup ? spreadGroup(values, settings.target_spread, settings.max_gain) : { values, gain: 1 };
          members.forEach((index, position) => final.set(index, { reward: stretched.values[position] as number, gain: stretched.gain, spread }));
        }
        return scored.map((value, index) => {
          if (!('calibrated' in value)) return value;
          const grouped = final.get(index);
          const reward = grouped?.reward ?? value.calibrated;
          const components = { raw_cosine: value.raw, baseline: value.baseline, calibrated: value.calibrated, group_spread: grouped?.spread ?? 0, gain: grouped?.gain ?? 1 };
          return ok(reward, { components, reason: `cosine ${value.raw.toFixed(4)}, baseline ${value.baseline.toFixed(4)}, calibrated ${value.calibrated.toFixed(4)}${grouped && grouped.gain > 1 ? `, group spread x${grouped.gain.toFixed(2)}` : ''}` });
        });
      },
      dispose: () => model.dispose(),
    };
  },
});

/**
 * Make a `medical.semantic` scorer.
 * @param options the reward's options (`model` is required)
 * @param context `baseDir` that a relative model path resolves against, and a logger
 */
export function createMedicalSemanticReward(options: MedicalSemanticOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(medicalSemanticPlugin, options, context);
}
