import type { Box } from './geometry.js';
import { maxWeightAssignment } from './hungarian.js';
import { iouKernel } from './iou.js';
import { boxProblem } from './geometry.js';

/** A box to match, with an optional label. */
export interface LabeledBox {
  /** Corners `[x1, y1, x2, y2]`. */
  box: Box;
  /** Its label; compared trimmed and case-insensitively when matching is label-aware. */
  label?: string | undefined;
  /** A rejected box (see `boxProblem`) never matches. */
  problem?: string | undefined;
}

/** One matched pair. */
export interface MatchedPair {
  /** Index into the predictions, >= 0. */
  prediction: number;
  /** Index into the references, >= 0. */
  reference: number;
  /** Their IoU, in (0, 1]. */
  iou: number;
}

/** The result of {@link matchBoxes}. */
export interface BoxMatching {
  /** Pairs with IoU > 0 of the assignment that maximises the total IoU. */
  pairs: MatchedPair[];
  /** Sum of matched IoUs divided by max(#predictions, #references): missing and extra boxes both cost. In [0, 1]; 1 when both are empty. */
  meanIou: number;
  /** Matched pairs with IoU >= threshold. */
  truePositives: number;
  /** truePositives / #predictions, in [0, 1]; 1 when there are no predictions and no references, 0 with references only. */
  precision: number;
  /** truePositives / #references, in [0, 1]; 1 when there are no references and no predictions, 0 with predictions only. */
  recall: number;
  /** Harmonic mean of precision and recall, in [0, 1]. */
  f1: number;
}

/** Options of {@link matchBoxes}. */
export interface MatchBoxesOptions {
  /** Only pairs with the same label may match (when the references carry labels; a prediction without one then matches nothing). Default false. */
  labelAware?: boolean;
  /** IoU a matched pair needs to count as a true positive, in [0, 1]. Default 0.5. */
  threshold?: number;
  /**
   * Only the first this many predictions take part in the assignment (the rest stay unmatched but
   * still count in max(#predictions, #references) and in precision), which bounds the O(n^2 m) work
   * on hostile output. Default 1000, >= 1.
   */
  maxPredictions?: number;
}

/** Normalise a label for comparison: trimmed, lower case, inner whitespace collapsed. */
export function normalizeLabel(label: string | undefined): string {
  return (label ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Optimal one-to-one matching of predicted to reference boxes by IoU (Hungarian algorithm), with
 * mean IoU over max(#predictions, #references) and precision/recall at an IoU threshold.
 */
export function matchBoxes(predictions: readonly LabeledBox[], references: readonly LabeledBox[], options: MatchBoxesOptions = {}): BoxMatching {
  const threshold = options.threshold ?? 0.5;
  const rows = Math.min(predictions.length, options.maxPredictions ?? 1000);
  const columns = references.length;
  // Label-aware only when the references carry labels; otherwise there is nothing to agree on.
  const labelAware = (options.labelAware ?? false) && references.some((reference) => reference.label !== undefined);
  const weights = new Float64Array(rows * columns);
  const usable = (item: LabeledBox): boolean => item.problem === undefined && boxProblem(item.box) === undefined;
  const referenceUsable = references.map(usable);
  const referenceLabels = references.map((reference) => normalizeLabel(reference.label));
  for (let i = 0; i < rows; i++) {
    const prediction = predictions[i] as LabeledBox;
    if (!usable(prediction)) continue;
    const label = normalizeLabel(prediction.label);
    const [ax1, ay1, ax2, ay2] = prediction.box;
    for (let j = 0; j < columns; j++) {
      if (!referenceUsable[j] || (labelAware && label !== referenceLabels[j])) continue;
      const [bx1, by1, bx2, by2] = (references[j] as LabeledBox).box;
      weights[i * columns + j] = iouKernel(ax1, ay1, ax2, ay2, bx1, by1, bx2, by2);
    }
  }
  // Rows and columns without any overlap cannot change the optimum: leave them out of the assignment.
  const liveRows: number[] = [];
  const liveColumns: number[] = [];
  const columnLive = new Uint8Array(columns);
  for (let i = 0; i < rows; i++) {
    let any = false;
    for (let j = 0; j < columns; j++) {
      if ((weights[i * columns + j] as number) > 0) {
        any = true;
        columnLive[j] = 1;
      }
    }
    if (any) liveRows.push(i);
  }
  columnLive.forEach((live, j) => {
    if (live) liveColumns.push(j);
  });
  const width = liveColumns.length;
  const reduced = new Float64Array(liveRows.length * width);
  for (let r = 0; r < liveRows.length; r++) {
    const offset = (liveRows[r] as number) * columns;
    for (let c = 0; c < width; c++) reduced[r * width + c] = weights[offset + (liveColumns[c] as number)] as number;
  }
  const assignment = maxWeightAssignment(reduced, liveRows.length, liveColumns.length);
  const pairs: MatchedPair[] = [];
  let total = 0;
  let truePositives = 0;
  assignment.forEach((c, r) => {
    if (c < 0) return;
    const row = liveRows[r] as number;
    const column = liveColumns[c] as number;
    const value = weights[row * columns + column] as number;
    if (value <= 0) return;
    pairs.push({ prediction: row, reference: column, iou: value });
    total += value;
    if (value >= threshold) truePositives++;
  });
  pairs.sort((a, b) => a.prediction - b.prediction);
  const predicted = predictions.length;
  const larger = Math.max(predicted, columns);
  const meanIou = larger === 0 ? 1 : total / larger;
  const precision = predicted === 0 ? (columns === 0 ? 1 : 0) : truePositives / predicted;
  const recall = columns === 0 ? (predicted === 0 ? 1 : 0) : truePositives / columns;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { pairs, meanIou, truePositives, precision, recall, f1 };
}
