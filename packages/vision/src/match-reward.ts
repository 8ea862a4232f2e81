import { createScorer, definePlugin, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { matchBoxes } from './box-match.js';
import { geometryContext, geometryNote, noReference, referenceOf, show } from './reward-common.js';
import { geometryOptionFields, resolveGeometry } from './resolve.js';

/** Options of `vision.match`. */
const matchOptions = z
  .object({
    ...geometryOptionFields,
    label_aware: z.boolean().default(false).describe('Only boxes with the same label (trimmed, case-insensitive) may match. Default false.'),
    threshold: z.number().min(0).max(1).default(0.5).describe('IoU a matched pair needs to count for precision, recall and confidence. Default 0.5.'),
    confidence: z
      .boolean()
      .default(false)
      .describe("Add Visual-RFT's confidence reward: mean over predictions of c when matched, 1 - c when not (reward in [0, 2]). Default false."),
  })
  .strict();

/** Options of `vision.match` as a user writes them (defaults optional). */
export type VisionMatchOptions = z.input<(typeof visionMatchPlugin)['options']>;

/**
 * Visual-RFT's confidence reward: the mean over predictions of `c` for a prediction matched at the
 * threshold and `1 - c` for one that is not (`c` clamped to [0, 1], 1 when not written).
 * @returns confidence reward in [0, 1]; with no predictions 1 when the reference is empty too, else 0
 */
export function confidenceReward(scores: readonly (number | undefined)[], matched: readonly boolean[], references: number): number {
  if (scores.length === 0) return references === 0 ? 1 : 0;
  let total = 0;
  scores.forEach((score, index) => {
    const c = Math.min(1, Math.max(0, score ?? 1));
    total += matched[index] ? c : 1 - c;
  });
  return total / scores.length;
}

/**
 * `vision.match`: several predicted against several reference boxes, optimally assigned one to
 * one by IoU (Hungarian). Reward = sum of matched IoUs / max(#predicted, #reference), so missing
 * and extra boxes both cost; precision, recall and F1 at an IoU threshold in `components`.
 */
export const visionMatchPlugin = definePlugin({
  name: 'vision.match',
  description: 'Hungarian matching of predicted and reference boxes: mean IoU over max(#pred, #ref), precision/recall at a threshold',
  follows: 'Visual-RFT accuracy_iou (v2) and accuracy_confidence, with optimal instead of greedy matching',
  reference: '{"boxes": [[x1,y1,x2,y2], …] | [{"bbox": […], "label": "cat"}], "frame"?, "format"?, "image_size"?}',
  options: matchOptions,
  create(options, context) {
    return perRollout(async (rollout) => {
      const reference = referenceOf(rollout);
      if (!reference) return noReference('vision.match', '{"boxes": [[x1, y1, x2, y2], …]}');
      if (!reference.hasShapes) return skipped('the reference has no boxes list (reference.boxes)');
      const geometry = await resolveGeometry(rollout, reference, options, geometryContext(context));
      if ('skip' in geometry) return skipped(`vision.match ${geometry.skip}`);
      const matching = matchBoxes(geometry.boxes, geometry.referenceBoxes, { labelAware: options.label_aware, threshold: options.threshold });
      const components: Record<string, number | null> = {
        mean_iou: matching.meanIou,
        precision: matching.precision,
        recall: matching.recall,
        f1: matching.f1,
        matched: matching.truePositives,
        predicted: geometry.boxes.length,
        reference: geometry.referenceBoxes.length,
      };
      let reward = matching.meanIou;
      if (options.confidence) {
        const matched = geometry.boxes.map(() => false);
        for (const pair of matching.pairs) if (pair.iou >= options.threshold) matched[pair.prediction] = true;
        const confidence = confidenceReward(
          geometry.boxes.map((box) => box.score),
          matched,
          geometry.referenceBoxes.length,
        );
        components.confidence = confidence;
        reward += confidence;
      }
      const rejected = geometry.boxes.filter((box) => box.problem !== undefined).length;
      return ok(reward, {
        components,
        reason:
          `${matching.pairs.length} of ${geometry.boxes.length} predicted boxes matched to ${geometry.referenceBoxes.length} reference boxes, ` +
          `mean IoU ${show(matching.meanIou)}, precision ${show(matching.precision)}, recall ${show(matching.recall)} at IoU ${options.threshold}` +
          (rejected > 0 ? `, ${rejected} rejected` : '') +
          geometryNote(geometry),
      });
    });
  },
});

/**
 * A `vision.match` scorer for library use.
 * @param options the reward's options (all optional)
 * @param context `mediaDir` for rollout image paths (default `baseDir`), `baseDir` for `image_root`, and a logger
 */
export function createVisionMatchReward(options: VisionMatchOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(visionMatchPlugin, options, context);
}
