import { createScorer, definePlugin, ok, perRollout, type CreateContext, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { parseShapes } from './box-parse.js';
import { noReference, referenceOf, show } from './reward-common.js';

/** Options of `vision.count`. */
const countOptions = z
  .object({
    from: z
      .enum(['auto', 'shapes', 'number'])
      .default('auto')
      .describe('auto: the number of boxes/points when the answer has any, else the last number written; shapes; number. Default auto.'),
    mode: z.enum(['exact', 'relative']).default('exact').describe('exact: 1 when |predicted - reference| <= tolerance; relative: max(0, 1 - |error| / max(reference, 1)), in [0, 1]. Default exact.'),
    tolerance: z.number().int().min(0).default(0).describe('For mode exact: the largest error still rewarded 1. Default 0.'),
    extract: z.enum(['auto', 'answer', 'anywhere']).default('auto').describe('Where to look: the last answer block when present (auto), only it, or anywhere. Default auto.'),
    answer_tag: z.string().min(1).default('answer').describe('Name of the answer tag, without brackets. Default answer.'),
  })
  .strict();

/** Options of `vision.count` as a user writes them (defaults optional). */
export type VisionCountOptions = z.input<(typeof visionCountPlugin)['options']>;

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];
const COUNT_PATTERN = new RegExp(String.raw`(?<![\w.])(\d+(?:,\d{3})*)(?![\w.]\d)|\b(${WORDS.join('|')})\b`, 'gi');

/**
 * The last whole number written in a text (digits with optional thousands separators, or the
 * words zero to twenty), or `undefined`.
 * @returns a count >= 0
 */
export function lastCount(text: string): number | undefined {
  let found: number | undefined;
  for (const match of text.matchAll(COUNT_PATTERN)) {
    if (match[1] !== undefined) found = Number(match[1].replace(/,/g, ''));
    else if (match[2] !== undefined) found = WORDS.indexOf(match[2].toLowerCase());
  }
  return found;
}

/**
 * `vision.count`: the predicted number of objects (boxes/points written, or the number stated)
 * against the reference count (`count`, or the number of reference boxes or points).
 */
export const visionCountPlugin = definePlugin({
  name: 'vision.count',
  description: 'Predicted object count (boxes written or number stated) against the reference count',
  follows: 'counting rewards of VLM RL (CLEVR counting in R1-V / VLM-R1)',
  reference: 'a whole number, or {"count": n} or {"boxes": […]} / {"points": […]} (their length)',
  options: countOptions,
  create(options) {
    return perRollout((rollout) => {
      const reference = referenceOf(rollout);
      if (!reference) return noReference('vision.count', 'a whole number, or {"count": n}');
      const expected = reference.count ?? (reference.boxes.length > 0 ? reference.boxes.length : reference.points.length);
      const parsed = parseShapes(rollout.completion, { extract: options.extract, answerTag: options.answer_tag, pairsAsBoxes: false });
      let predicted: number | undefined;
      let how = '';
      if (options.from !== 'number' && (parsed.shapes.length > 0 || options.from === 'shapes')) {
        predicted = parsed.shapes.length;
        how = 'shapes written';
      } else if (parsed.region !== 'none') {
        const text = regionText(rollout.completion, options.extract, options.answer_tag);
        predicted = lastCount(text);
        how = 'number stated';
      }
      const components: Record<string, number | null> = { reference_count: expected, predicted_count: predicted ?? null };
      if (predicted === undefined) return ok(0, { components, reason: `no count found in the ${parsed.region === 'none' ? 'completion (no answer block)' : 'answer'}` });
      const error = Math.abs(predicted - expected);
      components.abs_error = error;
      const reward = options.mode === 'exact' ? (error <= options.tolerance ? 1 : 0) : Math.max(0, 1 - error / Math.max(expected, 1));
      return ok(reward, { components, reason: `counted ${predicted} (${how}) against ${expected}: reward ${show(reward)}` });
    });
  },
});

function regionText(completion: string, extract: 'auto' | 'answer' | 'anywhere', tag: string): string {
  if (extract === 'anywhere') return completion;
  const lower = completion.toLowerCase();
  const open = `<${tag.toLowerCase()}>`;
  const start = lower.lastIndexOf(open);
  if (start < 0) return extract === 'answer' ? '' : completion;
  const from = start + open.length;
  const close = lower.indexOf(`</${tag.toLowerCase()}>`, from);
  return completion.slice(from, close >= 0 ? close : completion.length);
}

/**
 * A `vision.count` scorer for library use.
 * @param options the reward's options (all optional)
 * @param context unused; accepted for symmetry with the other factories
 */
export function createVisionCountReward(options: VisionCountOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(visionCountPlugin, options, context);
}
