import {
  RewardError,
  concurrentPerRollout,
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
import { labelOptionFields, modelOptionFields, openSequenceScorer } from '@mixreward/inference';
import { z } from 'zod';
import { answerTagOption } from './reward-options.js';
import { parseTranslationReference, translationText } from './rollout-reference.js';

/** The default text templates of `translation.comet`, per mode: `text` first, `pair` second (null = no pair). */
export const COMET_TEMPLATES = {
  reference: { text: '{hypothesis}', pair: '{source} </s> {reference}' },
  qe: { text: '{hypothesis}', pair: '{source}' },
} as const;

const translationCometSchema = z
  .object({
    model: z.string().min(1).describe('Folder of a sequence-score ONNX export (manifest.json, model.onnx, tokenizer.json), relative to the config file (baseDir). Required'),
    mode: z
      .enum(['reference', 'qe'])
      .default('reference')
      .describe('reference: COMET-style (source, hypothesis, reference); qe: COMETKiwi-style quality estimation without a reference. Default reference'),
    text: z.string().min(1).optional().describe('Template of the first text; {source}, {hypothesis}, {reference} are replaced. Default {hypothesis}'),
    pair: z
      .string()
      .min(1)
      .nullable()
      .optional()
      .describe('Template of the second text (null: score one text). Default: "{source} </s> {reference}" (reference), "{source}" (qe)'),
    ...labelOptionFields,
    ...modelOptionFields,
    answer_tag: answerTagOption,
  })
  .strict();

/** Options of `translation.comet` as a caller writes them (`model` required). */
export type TranslationCometOptions = z.input<typeof translationCometSchema>;

/** What a COMET-style template is filled with. */
export interface CometInputs {
  /** The source sentence. */
  source: string | undefined;
  /** The translation being scored. */
  hypothesis: string;
  /** The first reference, in `reference` mode. */
  reference: string | undefined;
}

/**
 * Fill a template: `{source}`, `{hypothesis}` and `{reference}` are replaced (one pass, so text that
 * contains a placeholder is not expanded again).
 * @returns the text, or the name of the first placeholder that has no value
 */
export function fillCometTemplate(template: string, inputs: CometInputs): { text: string } | { missing: 'source' | 'reference' } {
  let missing: 'source' | 'reference' | undefined;
  const text = template.replace(/\{(source|hypothesis|reference)\}/g, (_match, name: 'source' | 'hypothesis' | 'reference') => {
    const value = inputs[name];
    if (value === undefined) {
      missing ??= name as 'source' | 'reference';
      return '';
    }
    return value;
  });
  return missing === undefined ? { text } : { missing };
}

/**
 * `translation.comet`: a COMET-style model (an ONNX export with a sequence-score manifest) scores
 * (source, hypothesis, reference) or, in `qe` mode, (source, hypothesis); reward and
 * `components.comet` are the model's score (for COMET-22/COMETKiwi exports about [0, 1]).
 */
export const translationCometPlugin: RewardPlugin<typeof translationCometSchema> = definePlugin({
  name: 'translation.comet',
  description: 'COMET-style model score of a translation (with a reference, or reference-free QE like COMETKiwi) through @mixreward/inference.',
  follows: 'COMET / COMETKiwi (Unbabel); MT-R1-Zero uses wmt22-cometkiwi-da as its semantic reward',
  reference: 'reference mode: string | string[] | {refs, source?}; source from reference.source or meta.source (qe mode: reference optional)',
  options: translationCometSchema,
  batchSize: 64,
  async create(options, context): Promise<Scorer> {
    const model = await openSequenceScorer('translation.comet', options, context);
    const defaults = COMET_TEMPLATES[options.mode];
    const textTemplate = options.text ?? defaults.text;
    const pairTemplate = options.pair === undefined ? defaults.pair : options.pair;

    const scoreOne = async (rollout: Rollout): Promise<RewardResult> => {
      if (typeof rollout?.completion !== 'string') throw new RewardError('INVALID_ROLLOUT', 'completion: expected a string', { path: 'completion' });
      const parsed = parseTranslationReference(rollout);
      if (options.mode === 'reference' && parsed === null) {
        return rollout.reference === undefined || rollout.reference === null
          ? skipped('no reference: translation.comet (mode reference) needs rollout.reference (a string, an array of strings or {refs, source?}); use mode: qe for reference-free scoring')
          : skipped('empty reference: every reference translation in rollout.reference is empty (use mode: qe for reference-free scoring)');
      }
      const source = parsed?.source ?? (typeof rollout.meta?.source === 'string' ? rollout.meta.source : undefined);
      const inputs: CometInputs = { source, hypothesis: translationText(rollout.completion, options.answer_tag), reference: parsed?.refs[0] };
      const text = fillCometTemplate(textTemplate, inputs);
      const pair = pairTemplate === null ? null : fillCometTemplate(pairTemplate, inputs);
      for (const filled of [text, pair]) {
        if (filled !== null && 'missing' in filled) {
          return skipped(
            filled.missing === 'source'
              ? 'no source sentence: give reference.source or meta.source (the template uses {source})'
              : 'no reference translation (the template uses {reference})',
          );
        }
      }
      const { value, label } = await model.score((text as { text: string }).text, pair === null ? undefined : (pair as { text: string }).text);
      return ok(value, { components: { comet: value }, reason: `${options.mode === 'qe' ? 'COMET QE' : 'COMET'} ${label} = ${value.toFixed(4)}` });
    };

    // every rollout of the batch at once, so the model's dynamic batcher can group them
    return concurrentPerRollout((rollout) => scoreOne(rollout), () => model.dispose());
  },
});

/**
 * A `translation.comet` scorer for library use (the model is loaded first).
 * @param options the reward's options (`model` required; validated, INVALID_OPTIONS names the field)
 * @param context base directory (model paths resolve against it), media directory and logger (defaults: cwd, cwd, silent)
 */
export async function createTranslationCometReward(options: TranslationCometOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(translationCometPlugin, options, context);
}
