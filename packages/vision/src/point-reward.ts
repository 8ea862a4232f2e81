import { createScorer, definePlugin, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { boxCenter, pointInBox, type Point } from './geometry.js';
import { geometryContext, geometryNote, noReference, referenceOf, show } from './reward-common.js';
import { geometryOptionFields, resolveGeometry } from './resolve.js';

/** Schema of one tier of `vision.point`'s `tiers` option. */
const pointTierSchema = z
  .object({
    within: z.number().min(0).describe('Largest normalised distance of this tier, in [0, 1] (a fraction of the image diagonal). Required.'),
    reward: z.number().describe('Reward of this tier, any number (usually in [0, 1]). Required.'),
  })
  .strict();

/** One tier of the distance-tiered point reward. */
export type PointTier = NonNullable<VisionPointOptions['tiers']>[number];

/** The default tiers: four zones whose reward doubles at each step closer (Sweet Spot Learning's K = 4). */
const defaultPointTiers: ReadonlyArray<{ within: number; reward: number }> = [
  { within: 0.02, reward: 1 },
  { within: 0.05, reward: 0.5 },
  { within: 0.1, reward: 0.25 },
  { within: 0.2, reward: 0.125 },
];

/** Options of `vision.point`. */
const pointOptions = z
  .object({
    ...geometryOptionFields,
    mode: z
      .enum(['inside', 'tiered'])
      .default('inside')
      .describe('inside: 1 when the point lies in a reference box (border included), else 0; tiered: by distance to the target centre. Default inside.'),
    tiers: z
      .array(pointTierSchema)
      .min(1)
      .default([...defaultPointTiers])
      .describe('For mode tiered: the first tier whose `within` >= the distance gives the reward; past the last tier the reward is 0. Default: four tiers 0.02/0.05/0.1/0.2 of the diagonal rewarding 1/0.5/0.25/0.125.'),
  })
  .strict();

/** Options of `vision.point` as a user writes them (defaults optional). */
export type VisionPointOptions = z.input<(typeof visionPointPlugin)['options']>;

/**
 * The normalised distance between two points: `sqrt((dx / W)^2 + (dy / H)^2) / sqrt(2)`, the
 * distance in the 0-1 frame as a fraction of its diagonal.
 * @param extent `[W, H]`, the image's extent in the points' frame
 * @returns distance in [0, 1] for points inside the image
 */
export function normalizedDistance(a: Point, b: Point, extent: readonly [number, number]): number {
  return Math.hypot((a[0] - b[0]) / extent[0], (a[1] - b[1]) / extent[1]) / Math.SQRT2;
}

/**
 * `vision.point`: the first predicted point (or the centre of the first predicted box) against the
 * reference: inside a reference box, or a distance-tiered proximity reward (Sweet Spot Learning)
 * to the nearest reference point or box centre.
 */
export const visionPointPlugin = definePlugin({
  name: 'vision.point',
  description: 'Predicted point inside the reference box, or a distance-tiered proximity reward',
  follows: 'GUI grounding click accuracy; SSL: Sweet Spot Learning (distance-tiered rewards)',
  reference: '{"boxes": [[x1,y1,x2,y2]]} or {"points": [[x, y]]}, with "frame"?, "image_size"?',
  options: pointOptions,
  create(options, context) {
    const tiers = [...options.tiers].sort((a, b) => a.within - b.within);
    return perRollout(async (rollout) => {
      const reference = referenceOf(rollout);
      if (!reference) return noReference('vision.point', '{"boxes": [[x1, y1, x2, y2]]} or {"points": [[x, y]]}');
      if (options.mode === 'inside' && reference.boxes.length === 0) {
        return skipped('mode inside needs reference.boxes; use mode tiered for reference.points');
      }
      if (reference.boxes.length === 0 && reference.points.length === 0) return skipped('the reference has no box or point');
      const geometry = await resolveGeometry(rollout, reference, options, {
        ...geometryContext(context),
        needExtent: options.mode === 'tiered',
        pairsAsBoxes: false,
      });
      if ('skip' in geometry) return skipped(`vision.point ${geometry.skip}`);
      const firstPoint = geometry.points[0];
      const firstBox = geometry.boxes[0];
      let point: Point | undefined;
      let problem: string | undefined;
      if (firstPoint) {
        point = firstPoint.point;
        problem = firstPoint.problem;
      } else if (firstBox) {
        point = boxCenter(firstBox.box);
        problem = firstBox.problem;
      }
      const components: Record<string, number | null> = {};
      if (!point) return ok(0, { components, reason: `no predicted point found${geometryNote(geometry)}` });
      if (problem !== undefined) return ok(0, { components, reason: `the predicted point is rejected: ${problem}${geometryNote(geometry)}` });
      const where = `[${point.map(show).join(', ')}]`;
      const inside = geometry.referenceBoxes.some((truth) => pointInBox(point, truth.box));
      if (geometry.referenceBoxes.length > 0) components.inside = inside ? 1 : 0;
      if (options.mode === 'inside') {
        return ok(inside ? 1 : 0, { components, reason: `point ${where} is ${inside ? 'inside' : 'outside'} the reference box${geometryNote(geometry)}` });
      }
      const extent = geometry.extent as readonly [number, number];
      const targets = [...geometry.referencePoints.map((entry) => entry.point), ...geometry.referenceBoxes.map((entry) => boxCenter(entry.box))];
      const distance = Math.min(...targets.map((target) => normalizedDistance(point, target, extent)));
      components.distance = distance;
      const reached = tiers.find((entry) => distance <= entry.within);
      const reward = reached?.reward ?? 0;
      return ok(reward, {
        components,
        reason: `point ${where} is ${show(distance)} of the diagonal from the target: ${reached ? `tier within ${reached.within}` : 'beyond every tier'}${geometryNote(geometry)}`,
      });
    });
  },
});

/**
 * A `vision.point` scorer for library use.
 * @param options the reward's options (all optional)
 * @param context `mediaDir` for rollout image paths (default `baseDir`), `baseDir` for `image_root`, and a logger
 */
export function createVisionPointReward(options: VisionPointOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(visionPointPlugin, options, context);
}
