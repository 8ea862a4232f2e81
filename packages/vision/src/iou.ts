import type { Box } from './geometry.js';

/** The IoU family: plain IoU, generalised (GIoU), distance (DIoU) and complete (CIoU) IoU. */
export type IouMetric = 'iou' | 'giou' | 'diou' | 'ciou';

/** Every IoU metric, in a fixed order. */
export const iouMetrics: readonly IouMetric[] = ['iou', 'giou', 'diou', 'ciou'];

/**
 * The plain IoU kernel on eight numbers (corners of box a, then of box b), without allocation. An
 * invalid box (a NaN coordinate, `x2 <= x1` or `y2 <= y1`) gives 0. Coordinates must be finite.
 * @returns intersection over union, in [0, 1]
 */
export function iouKernel(ax1: number, ay1: number, ax2: number, ay2: number, bx1: number, by1: number, bx2: number, by2: number): number {
  if (!(ax2 > ax1 && ay2 > ay1 && bx2 > bx1 && by2 > by1)) return 0;
  const iw = (ax2 < bx2 ? ax2 : bx2) - (ax1 > bx1 ? ax1 : bx1);
  if (iw <= 0) return 0;
  const ih = (ay2 < by2 ? ay2 : by2) - (ay1 > by1 ? ay1 : by1);
  if (ih <= 0) return 0;
  const intersection = iw * ih;
  const ratio = intersection / ((ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - intersection);
  return ratio > 1 ? 1 : ratio;
}

function valid(box: Box): boolean {
  return (
    Number.isFinite(box[0]) && Number.isFinite(box[1]) && Number.isFinite(box[2]) && Number.isFinite(box[3]) && box[2] > box[0] && box[3] > box[1]
  );
}

/**
 * Intersection over union of two boxes in the same frame. Symmetric; 1 for identical valid boxes;
 * 0 when either box is invalid (see `boxProblem`).
 * @returns IoU in [0, 1]
 */
export function iou(a: Box, b: Box): number {
  if (!valid(a) || !valid(b)) return 0;
  return iouKernel(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]);
}

/**
 * Generalised IoU (Rezatofighi et al., 2019): IoU minus the share of the smallest enclosing box
 * that the union leaves empty. Scale-invariant per axis. An invalid box gives -1.
 * @returns GIoU in [-1, 1]
 */
export function giou(a: Box, b: Box): number {
  if (!valid(a) || !valid(b)) return -1;
  const overlap = iouParts(a, b);
  const enclosing = (Math.max(a[2], b[2]) - Math.min(a[0], b[0])) * (Math.max(a[3], b[3]) - Math.min(a[1], b[1]));
  const value = overlap.iou - (enclosing - overlap.union) / enclosing;
  return clamp(value, -1, 1);
}

/**
 * Distance IoU (Zheng et al., 2020): IoU minus the squared distance between the centres over the
 * squared diagonal of the smallest enclosing box. Not invariant to unequal x/y scaling, so compare in
 * pixels where the image size is known. An invalid box gives -1.
 * @returns DIoU in [-1, 1]
 */
export function diou(a: Box, b: Box): number {
  if (!valid(a) || !valid(b)) return -1;
  return clamp(iou(a, b) - centerPenalty(a, b), -1, 1);
}

/**
 * Complete IoU (Zheng et al., 2020): DIoU minus `alpha * v`, where `v = 4/pi^2 (atan(wb/hb) -
 * atan(wa/ha))^2` measures aspect-ratio disagreement and `alpha = v / ((1 - IoU) + v)` (0 when
 * `v` is 0). An invalid box gives -1; values below -1 (far apart and very different shapes) are
 * clamped to -1 so that no box ever scores below a missing one.
 * @returns CIoU in [-1, 1]
 */
export function ciou(a: Box, b: Box): number {
  if (!valid(a) || !valid(b)) return -1;
  const overlap = iou(a, b);
  const angle = Math.atan2(b[2] - b[0], b[3] - b[1]) - Math.atan2(a[2] - a[0], a[3] - a[1]);
  const v = (4 / (Math.PI * Math.PI)) * angle * angle;
  const alpha = v === 0 ? 0 : v / (1 - overlap + v);
  return clamp(overlap - centerPenalty(a, b) - alpha * v, -1, 1);
}

/**
 * One metric of the IoU family by name.
 * @returns IoU in [0, 1]; GIoU, DIoU, CIoU in [-1, 1]
 */
export function boxMetric(metric: IouMetric, a: Box, b: Box): number {
  switch (metric) {
    case 'giou':
      return giou(a, b);
    case 'diou':
      return diou(a, b);
    case 'ciou':
      return ciou(a, b);
    default:
      return iou(a, b);
  }
}

/**
 * The lowest value of a metric: what a missing or rejected box scores.
 * @returns 0 for `iou`, -1 for the others
 */
export function metricFloor(metric: IouMetric): number {
  return metric === 'iou' ? 0 : -1;
}

/**
 * IoU of every pair: `result[i * b.length + j] = iou(a[i], b[j])`.
 * @param a boxes (rows)
 * @param b boxes (columns)
 * @returns a row-major matrix of IoUs in [0, 1], `a.length * b.length` long
 */
export function pairwiseIou(a: readonly Box[], b: readonly Box[]): Float64Array {
  const out = new Float64Array(a.length * b.length);
  for (let i = 0; i < a.length; i++) {
    const p = a[i] as Box;
    if (!valid(p)) continue;
    for (let j = 0; j < b.length; j++) {
      const q = b[j] as Box;
      out[i * b.length + j] = iouKernel(p[0], p[1], p[2], p[3], q[0], q[1], q[2], q[3]);
    }
  }
  return out;
}

function iouParts(a: Box, b: Box): { iou: number; union: number } {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  const intersection = iw > 0 && ih > 0 ? iw * ih : 0;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - intersection;
  return { iou: union > 0 ? Math.min(1, intersection / union) : 0, union };
}

function centerPenalty(a: Box, b: Box): number {
  const dx = (a[0] + a[2]) / 2 - (b[0] + b[2]) / 2;
  const dy = (a[1] + a[3]) / 2 - (b[1] + b[3]) / 2;
  const cw = Math.max(a[2], b[2]) - Math.min(a[0], b[0]);
  const ch = Math.max(a[3], b[3]) - Math.min(a[1], b[1]);
  const diagonal = cw * cw + ch * ch;
  return diagonal > 0 ? (dx * dx + dy * dy) / diagonal : 0;
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
