import type { Box } from './geometry.js';
import { normalizeLabel } from './box-match.js';

/** A predicted box for AP: corners, a score, and an optional label. */
export interface Detection {
  /** Corners `[x1, y1, x2, y2]`. */
  box: Box;
  /** Ranking score; higher first. Default 1 (VLM-R1 scores every box 1.0). */
  score?: number | undefined;
  /** Category; compared trimmed and case-insensitively. */
  label?: string | undefined;
  /** A rejected box (see `boxProblem`) never matches: it is a false positive. */
  problem?: string | undefined;
}

/** A ground-truth box for AP. */
export interface GroundTruthBox {
  /** Corners `[x1, y1, x2, y2]`. */
  box: Box;
  /** Category; compared trimmed and case-insensitively. */
  label?: string | undefined;
}

/** Options of {@link cocoAveragePrecision}. */
export interface CocoApOptions {
  /** IoU thresholds. Default COCO's .50:.05:.95 (ten, computed as numpy's linspace computes them). */
  iouThresholds?: readonly number[];
  /** Detections kept per category, highest score first. Default 100 (COCO's maxDets for AP). */
  maxDetections?: number;
  /** Evaluate per category (COCO) when ground truth carries labels. Default true. */
  labelAware?: boolean;
}

/** Per-image COCO AP. */
export interface CocoApResult {
  /** AP averaged over IoU thresholds and categories (pycocotools' stats[0]), in [0, 1]; null when no category has ground truth (pycocotools' -1). */
  ap: number | null;
  /** AP at IoU 0.5 (stats[1]), in [0, 1]; null without ground truth or when 0.5 is not a threshold. */
  ap50: number | null;
  /** AP at IoU 0.75 (stats[2]), in [0, 1]; null without ground truth or when 0.75 is not a threshold. */
  ap75: number | null;
  /** AP per IoU threshold (mean over categories), in [0, 1]; empty without ground truth. */
  perThreshold: number[];
  /** Categories with ground truth that were evaluated, >= 0. */
  categories: number;
  /**
   * AP of each category with ground truth (averaged over the IoU thresholds), in [0, 1], keyed by
   * the label trimmed and lower-cased (`''` when labels are not used). Categories without ground
   * truth are absent (pycocotools' -1). `ap` is the mean of these values.
   */
  perCategory: Record<string, number>;
  /** Detections that took part (label among the ground-truth categories, within maxDetections), >= 0. */
  evaluatedDetections: number;
}

function linspace(start: number, stop: number, count: number): number[] {
  const step = (stop - start) / (count - 1);
  const out = Array.from({ length: count }, (_, index) => index * step + start);
  out[count - 1] = stop;
  return out;
}

/** COCO's IoU thresholds .50:.05:.95 exactly as `np.linspace(.5, 0.95, 10)` gives them. */
export const cocoIouThresholds: readonly number[] = linspace(0.5, 0.95, 10);

/** COCO's 101 recall thresholds 0:.01:1 exactly as `np.linspace(.0, 1.00, 101)` gives them. */
export const cocoRecallThresholds: readonly number[] = linspace(0, 1, 101);

const EPSILON = 2.220446049250313e-16; // np.spacing(1)
const AREA_MAX = 1e10; // COCO's "all" area range is [0, 1e5 ** 2]

/** IoU as pycocotools' bbIou computes it, from [x, y, w, h] (the same float operations). */
function cocoIou(detection: readonly number[], truth: readonly number[]): number {
  const [dx, dy, dw, dh] = detection as [number, number, number, number];
  const [gx, gy, gw, gh] = truth as [number, number, number, number];
  const w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
  if (!(w > 0)) return 0;
  const h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
  if (!(h > 0)) return 0;
  const intersection = w * h;
  return intersection / (dw * dh + gw * gh - intersection);
}

function toXywh(box: Box): [number, number, number, number] {
  return [box[0], box[1], box[2] - box[0], box[3] - box[1]];
}

/**
 * Average precision of one image as pycocotools' COCOeval (iouType `bbox`, area `all`,
 * maxDets 100) computes it: per category, detections sorted by score (stable), each greedily
 * matched to the unmatched ground truth of highest IoU >= threshold; precision made monotone
 * (envelope) and read at 101 recall thresholds (searchsorted, left); averaged over thresholds and
 * over the categories that have ground truth. Categories without ground truth are left out (their
 * detections are not false positives, as in COCOeval); with ground truth and no detections a
 * category scores 0.
 */
export function cocoAveragePrecision(detections: readonly Detection[], truths: readonly GroundTruthBox[], options: CocoApOptions = {}): CocoApResult {
  const thresholds = options.iouThresholds ?? cocoIouThresholds;
  const maxDetections = options.maxDetections ?? 100;
  const labelAware = (options.labelAware ?? true) && truths.some((truth) => truth.label !== undefined);
  const categoryOf = (label: string | undefined): string => (labelAware ? normalizeLabel(label) : '');

  const categories = [...new Set(truths.map((truth) => categoryOf(truth.label)))];
  const perThresholdSum = new Float64Array(thresholds.length);
  let evaluatedCategories = 0;
  let evaluatedDetections = 0;
  const perCategory: Record<string, number> = {};
  for (const category of categories) {
    const gts = truths.filter((truth) => categoryOf(truth.label) === category).map((truth) => {
      const xywh = toXywh(truth.box);
      const area = xywh[2] * xywh[3];
      return { xywh, ignore: area < 0 || area > AREA_MAX };
    });
    // Ignored ground truth last (stable), as evaluateImg sorts it.
    gts.sort((a, b) => Number(a.ignore) - Number(b.ignore));
    const dts = detections
      .map((detection, index) => ({ detection, index }))
      .filter(({ detection }) => categoryOf(detection.label) === category)
      .sort((a, b) => (b.detection.score ?? 1) - (a.detection.score ?? 1) || a.index - b.index)
      .slice(0, maxDetections)
      .map(({ detection }) => {
        const xywh = toXywh(detection.box);
        return { xywh, valid: detection.problem === undefined, area: detection.problem === undefined ? xywh[2] * xywh[3] : 0 };
      });
    evaluatedDetections += dts.length;
    const ious = dts.map((dt) => gts.map((gt) => (dt.valid ? cocoIou(dt.xywh, gt.xywh) : 0)));
    const positives = gts.filter((gt) => !gt.ignore).length;
    if (positives === 0) continue;
    evaluatedCategories++;
    let categorySum = 0;
    thresholds.forEach((threshold, t) => {
      const gtMatched = new Uint8Array(gts.length);
      const dtMatched = new Uint8Array(dts.length);
      const dtIgnored = new Uint8Array(dts.length);
      dts.forEach((dt, d) => {
        let best = Math.min(threshold, 1 - 1e-10);
        let match = -1;
        for (let g = 0; g < gts.length; g++) {
          if (gtMatched[g]) continue;
          if (match > -1 && !(gts[match] as { ignore: boolean }).ignore && (gts[g] as { ignore: boolean }).ignore) break;
          const value = (ious[d] as number[])[g] as number;
          if (value < best) continue;
          best = value;
          match = g;
        }
        if (match === -1) {
          if (dt.area < 0 || dt.area > AREA_MAX) dtIgnored[d] = 1;
          return;
        }
        dtIgnored[d] = (gts[match] as { ignore: boolean }).ignore ? 1 : 0;
        dtMatched[d] = 1;
        gtMatched[match] = 1;
      });
      const value = precisionAtRecalls(dtMatched, dtIgnored, positives);
      perThresholdSum[t] = (perThresholdSum[t] as number) + value;
      categorySum += value;
    });
    perCategory[category] = categorySum / thresholds.length;
  }
  if (evaluatedCategories === 0) {
    return { ap: null, ap50: null, ap75: null, perThreshold: [], categories: 0, perCategory, evaluatedDetections };
  }
  const perThreshold = Array.from(perThresholdSum, (sum) => sum / evaluatedCategories);
  const ap = perThreshold.reduce((total, value) => total + value, 0) / perThreshold.length;
  const at = (value: number): number | null => {
    const index = thresholds.indexOf(value);
    return index < 0 ? null : (perThreshold[index] as number);
  };
  return { ap, ap50: at(0.5), ap75: at(0.75), perThreshold, categories: evaluatedCategories, perCategory, evaluatedDetections };
}

/** Mean interpolated precision over COCO's 101 recall thresholds for one category and threshold. */
function precisionAtRecalls(matched: Uint8Array, ignored: Uint8Array, positives: number): number {
  const recall: number[] = [];
  const precision: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let d = 0; d < matched.length; d++) {
    if (ignored[d]) {
      // Ignored detections add to neither sum but still take a place in the curve.
    } else if (matched[d]) tp++;
    else fp++;
    recall.push(tp / positives);
    // pycocotools adds np.spacing(1) to the denominator; added only where it is 0, so a perfect
    // detection scores exactly 1 (the values differ from pycocotools' by < 1e-15).
    precision.push(tp + fp > 0 ? tp / (tp + fp) : tp / EPSILON);
  }
  for (let i = precision.length - 1; i > 0; i--) {
    if ((precision[i] as number) > (precision[i - 1] as number)) precision[i - 1] = precision[i] as number;
  }
  let sum = 0;
  let index = 0;
  for (const threshold of cocoRecallThresholds) {
    while (index < recall.length && (recall[index] as number) < threshold) index++;
    if (index >= recall.length) break;
    sum += precision[index] as number;
  }
  return sum / cocoRecallThresholds.length;
}
