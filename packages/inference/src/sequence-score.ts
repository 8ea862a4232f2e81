import { RewardError, type CreateContext } from '@mixreward/core';
import { z } from 'zod';
import type { ModelManifest } from './manifest.js';
import type { Device } from './runtime.js';
import { openRewardModel, type ModelOptions } from './model-options.js';

/**
 * The `label` option of every reward that reads one score from a sequence-score model
 * (`model.score`, `code.reasoning`, `translation.comet`): spread it into the reward's zod schema
 * next to {@link modelOptionFields}.
 */
export const labelOptionFields = {
  label: z
    .union([z.string().min(1), z.number().int().min(0)])
    .optional()
    .describe("which model output is the reward: a name from manifest.json labels, or a 0-based index; default the model's last label"),
};

/** Which output of a sequence-score model is the reward: a label name, a 0-based index, or undefined for the last one. */
export type LabelChoice = string | number | undefined;

/** One score picked out of a sequence-score model's outputs by {@link selectLabelScore}. */
export interface LabelScore {
  /** The chosen label's score, after the manifest's activation (sigmoid: (0, 1); softmax: [0, 1], summing to 1; none: raw logit). */
  value: number;
  /** The chosen label's name (`label_<index>` when the manifest names none). */
  label: string;
  /** The chosen label's 0-based index among the outputs. */
  index: number;
  /** Every output's score by label name (the manifest's names, else `label_0`, `label_1`, …). */
  scores: Record<string, number>;
}

/**
 * Pick the reward among a sequence-score model's outputs: the label named by `label` (a name from
 * the manifest's `labels`, or a 0-based index), or the last output when `label` is undefined (a
 * one-output reward model's only score; a two-label `[bad, good]` head's `good`).
 *
 * @param scores one score per output, as `Model.score` returns them
 * @param labels the manifest's label names; undefined: the outputs are called `label_0`, `label_1`, …
 * @param label the choice (the reward's `label` option)
 * @returns the chosen score, its name and index, and every output's score by name
 * @throws RewardError `INVALID_OPTIONS` (path `with.label`) when the label names no output
 */
export function selectLabelScore(scores: readonly number[], labels: readonly string[] | undefined, label: LabelChoice): LabelScore {
  const names = scores.map((_, index) => labels?.[index] ?? `label_${index}`);
  const index = label === undefined ? scores.length - 1 : typeof label === 'number' ? label : names.indexOf(label);
  const value = scores[index];
  if (value === undefined) {
    throw new RewardError('INVALID_OPTIONS', `with.label: ${JSON.stringify(label)} is not one of the model's ${scores.length} outputs (${names.join(', ')})`, {
      path: 'with.label',
    });
  }
  const byName: Record<string, number> = {};
  names.forEach((name, position) => {
    byName[name] = scores[position] as number;
  });
  return { value, label: names[index] as string, index, scores: byName };
}

/** Options of {@link openSequenceScorer}: the model folder, the shared model options, and the label. */
export type SequenceScorerOptions = ModelOptions & { label?: LabelChoice };

/** A sequence-score model with its reward label chosen: text (or text pair) in, one {@link LabelScore} out. */
export interface SequenceScorer {
  /** The model's parsed manifest (`labels`, `activation`, `max_length`, …). */
  readonly manifest: ModelManifest;
  /** The model folder's absolute path. */
  readonly path: string;
  /** The device the model runs on. */
  readonly device: Device;
  /**
   * Score one text, or a text pair (first the prompt/source, second the completion/hypothesis), and
   * pick the chosen label. Concurrent calls are batched by the model.
   * @throws RewardError `INVALID_INPUT` when `text` is empty or blank
   */
  score(text: string, textPair?: string): Promise<LabelScore>;
  /** Release the model; safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Load a sequence-score model for a reward and fix its reward label: the shared way to "score text
 * with a reward model" (`model.score`, `code.reasoning`, `translation.comet`). A model of another
 * kind, or a `label` name the manifest does not list, is rejected at load time with
 * `INVALID_OPTIONS` (and the model is released).
 *
 * @param reward the reward's name, for messages (`code.reasoning`)
 * @param options `model` (folder, relative to `context.baseDir`), the {@link modelOptionFields}, and `label`
 * @param context `baseDir` that the model path resolves against, and the logger
 */
export async function openSequenceScorer(reward: string, options: SequenceScorerOptions, context: Pick<CreateContext, 'baseDir' | 'logger'>): Promise<SequenceScorer> {
  const model = await openRewardModel(reward, options, context, ['sequence-score']);
  const labels = model.manifest.labels;
  const label = options.label;
  if (typeof label === 'string' && labels && !labels.includes(label)) {
    await model.dispose();
    throw new RewardError('INVALID_OPTIONS', `with.label: "${label}" is not one of the model's labels (${labels.join(', ')})`, { path: 'with.label' });
  }
  if (typeof label === 'number' && labels && label >= labels.length) {
    await model.dispose();
    throw new RewardError('INVALID_OPTIONS', `with.label: ${label} is out of range for the model's ${labels.length} labels (${labels.join(', ')})`, { path: 'with.label' });
  }
  return {
    manifest: model.manifest,
    path: model.path,
    device: model.device,
    score: async (text, textPair) => selectLabelScore(await model.score(text, textPair), labels, label),
    dispose: () => model.dispose(),
  };
}
