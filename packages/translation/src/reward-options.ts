import { skipped, type RewardResult, type Rollout } from '@mixreward/core';
import { z } from 'zod';

/**
 * The `answer_tag` option every `translation.*` reward takes.
 * @internal
 */
export const answerTagOption = z
  .string()
  .regex(/^[A-Za-z_][\w.-]*$/)
  .nullable()
  .default('auto')
  .describe(
    'Score the content of the last <tag>…</tag> block: a tag name; auto: <translate> (MT-R1-Zero), else <answer>, else the whole completion; null: always the whole completion. Default auto',
  );

/**
 * The `lang` option of the rewards that do not tokenize by language (accepted so that every
 * `translation.*` reward takes the same options).
 * @internal
 */
export const langOption = z
  .string()
  .min(1)
  .optional()
  .describe("Target language (ISO 639-1, e.g. de); accepted for symmetry, no effect on this metric. Default: the rollout's meta.target_lang");

/**
 * The reference shape of the metric rewards, one line.
 * @internal
 */
export const METRIC_REFERENCE_SHAPE = 'string | string[] | {refs: string | string[], source?: string}; target language from `lang` or meta.target_lang';

/**
 * The `skipped` result of a reward whose rollout has no usable reference: no `reference` field at
 * all, or only empty references.
 * @internal
 */
export function noReference(reward: string, rollout: Rollout): RewardResult {
  return rollout.reference === undefined || rollout.reference === null
    ? skipped(`no reference: ${reward} needs rollout.reference (a reference translation: a string, an array of strings or {refs, source?})`)
    : skipped(`empty reference: every reference translation in rollout.reference is empty, so ${reward} cannot score`);
}
