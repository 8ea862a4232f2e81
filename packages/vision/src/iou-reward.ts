import { createScorer, definePlugin, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { boxMetric, iou, iouMetrics, metricFloor } from './iou.js';
import { geometryContext, geometryNote, noReference, referenceOf, show } from './reward-common.js';
import { geometryOptionFields, resolveGeometry } from './resolve.js';

/** Options of `vision.iou`. */
const iouOptions = z
  .object({
    ...geometryOptionFields,
    metric: z.enum(iouMetrics as ['iou', 'giou', 'diou', 'ciou']).default('iou').describe('iou (default, in [0, 1]), giou, diou or ciou (in [-1, 1]). Default iou.'),
    mode: z
      .enum(['continuous', 'threshold'])
      .optional()
      .describe('continuous: the metric is the reward; threshold: 1 when the metric >= threshold, else 0. Default: threshold when `threshold` is set, else continuous.'),
    threshold: z.number().min(-1).max(1).optional().describe('Threshold for threshold mode, in the metric\'s range. Default 0.5.'),
  })
  .strict();

/** Options of `vision.iou` as a user writes them (defaults optional). */
export type VisionIouOptions = z.input<(typeof visionIouPlugin)['options']>;

/**
 * `vision.iou`: the first predicted box (the answer block's first box when the completion has one)
 * against the reference box (the best of several acceptable reference boxes), by IoU, GIoU, DIoU
 * or CIoU; continuous, or 1/0 at a threshold. A missing or rejected box scores the metric's floor
 * (0 for IoU, -1 for the others).
 */
export const visionIouPlugin = definePlugin({
  name: 'vision.iou',
  description: 'IoU (or GIoU/DIoU/CIoU) of the first predicted box against the reference box, frames made explicit',
  follows: 'VLM-R1 REC iou_reward, Mixed-R1 IoU reward, Visual-RFT',
  reference: '{"boxes": [[x1,y1,x2,y2]], "frame"?: "pixel"|"norm1"|"grid1000", "format"?: "xyxy", "image_size"?: [w, h]}',
  options: iouOptions,
  create(options, context) {
    const mode = options.mode ?? (options.threshold !== undefined ? 'threshold' : 'continuous');
    const threshold = options.threshold ?? 0.5;
    return perRollout(async (rollout) => {
      const reference = referenceOf(rollout);
      if (!reference) return noReference('vision.iou', '{"boxes": [[x1, y1, x2, y2]]}');
      if (reference.boxes.length === 0) return skipped('the reference has no box (reference.boxes)');
      const geometry = await resolveGeometry(rollout, reference, options, geometryContext(context));
      if ('skip' in geometry) return skipped(`vision.iou ${geometry.skip}`);
      const floor = metricFloor(options.metric);
      const predicted = geometry.boxes[0];
      const components: Record<string, number | null> = { predicted_boxes: geometry.boxes.length };
      let value = floor;
      let plain = 0;
      let why: string;
      if (!predicted) why = 'no predicted box found';
      else if (predicted.problem !== undefined) why = `the predicted box is rejected: ${predicted.problem}`;
      else {
        for (const truth of geometry.referenceBoxes) {
          value = Math.max(value, boxMetric(options.metric, predicted.box, truth.box));
          plain = Math.max(plain, iou(predicted.box, truth.box));
        }
        why = `${options.metric} ${show(value)} between [${predicted.box.map(show).join(', ')}] and the reference`;
      }
      components.iou = plain;
      if (options.metric !== 'iou') components[options.metric] = value;
      const reward = mode === 'threshold' ? (value >= threshold ? 1 : 0) : value;
      const verdict = mode === 'threshold' ? ` ${value >= threshold ? '>=' : '<'} threshold ${threshold}` : '';
      return ok(reward, { components, reason: why + verdict + geometryNote(geometry) });
    });
  },
});

/**
 * A `vision.iou` scorer for library use.
 * @param options the reward's options (all optional)
 * @param context `mediaDir` for rollout image paths (default `baseDir`), `baseDir` for `image_root`, and a logger
 */
export function createVisionIouReward(options: VisionIouOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(visionIouPlugin, options, context);
}
