import { createScorer, definePlugin, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { cocoAveragePrecision } from './detection-ap.js';
import { geometryContext, geometryNote, noReference, referenceOf, show } from './reward-common.js';
import { geometryOptionFields, resolveGeometry } from './resolve.js';

/** Options of `vision.detection`. */
const detectionOptions = z
  .object({
    ...geometryOptionFields,
    metric: z.enum(['ap', 'ap50', 'ap75']).default('ap').describe('ap: AP@[.50:.05:.95] (default); ap50 or ap75: AP at one IoU threshold. Default ap.'),
    od_length: z
      .boolean()
      .default(false)
      .describe("VLM-R1's odLength length penalty: multiply by #reference / #predicted when the model predicts more boxes than there are. Default false."),
    label_aware: z.boolean().default(true).describe('Evaluate per category when the reference boxes have labels (COCO). Default true.'),
    use_scores: z.boolean().default(true).describe('Rank by the predicted score/confidence; false scores every box 1 as VLM-R1 does. Default true.'),
    max_detections: z.number().int().positive().default(100).describe('Detections kept per category, highest score first. Default 100.'),
  })
  .strict();

/** Options of `vision.detection` as a user writes them (defaults optional). */
export type VisionDetectionOptions = z.input<(typeof visionDetectionPlugin)['options']>;

/**
 * `vision.detection`: per-image COCO AP of the predicted boxes as pycocotools computes it, AP50,
 * AP75, and VLM-R1's odLength variant. An empty reference scores 1 when nothing is predicted and
 * 0 otherwise (VLM-R1's "None" answers).
 */
export const visionDetectionPlugin = definePlugin({
  name: 'vision.detection',
  description: 'Per-image COCO AP (101-point, IoU .50:.05:.95) of predicted boxes, AP50, and the odLength variant',
  follows: 'pycocotools COCOeval (bbox); VLM-R1 od_ap / od_ap50 / odLength',
  reference: '{"boxes": [{"bbox": [x1,y1,x2,y2], "label": "cat"}, …], "frame"?, "format"?, "image_size"?}',
  options: detectionOptions,
  create(options, context) {
    return perRollout(async (rollout) => {
      const reference = referenceOf(rollout);
      if (!reference) return noReference('vision.detection', '{"boxes": [{"bbox": [x1, y1, x2, y2], "label": "cat"}, …]}');
      if (!reference.hasShapes) return skipped('the reference has no boxes list (reference.boxes)');
      const geometry = await resolveGeometry(rollout, reference, options, geometryContext(context));
      if ('skip' in geometry) return skipped(`vision.detection ${geometry.skip}`);
      const predicted = geometry.boxes.length;
      const truths = geometry.referenceBoxes.length;
      if (truths === 0) {
        const reward = predicted === 0 ? 1 : 0;
        return ok(reward, {
          components: { ap: null, ap50: null, ap75: null, predicted, reference: 0 },
          reason: `the reference has no box and ${predicted === 0 ? 'none was' : `${predicted} were`} predicted${geometryNote(geometry)}`,
        });
      }
      const result = cocoAveragePrecision(
        geometry.boxes.map((box) => ({ box: box.box, score: options.use_scores ? box.score : 1, label: box.label, problem: box.problem })),
        geometry.referenceBoxes,
        { labelAware: options.label_aware, maxDetections: options.max_detections },
      );
      const components: Record<string, number | null> = { ap: result.ap, ap50: result.ap50, ap75: result.ap75, predicted, reference: truths };
      let reward = result[options.metric] ?? 0;
      let tail = '';
      if (options.od_length) {
        const penalty = predicted <= truths ? 1 : truths / predicted;
        components.length_penalty = penalty;
        reward *= penalty;
        tail = `, times length penalty ${show(penalty)}`;
      }
      return ok(reward, {
        components,
        reason: `${options.metric} ${show(result[options.metric])} for ${predicted} predicted and ${truths} reference boxes${tail}${geometryNote(geometry)}`,
      });
    });
  },
});

/**
 * A `vision.detection` scorer for library use.
 * @param options the reward's options (all optional)
 * @param context `mediaDir` for rollout image paths (default `baseDir`), `baseDir` for `image_root`, and a logger
 */
export function createVisionDetectionReward(options: VisionDetectionOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(visionDetectionPlugin, options, context);
}
