/** A time interval `[start, end]` in seconds, `start <= end`. */
export type Interval = readonly [start: number, end: number];

/**
 * Merge intervals into their union: sorted, disjoint, touching intervals joined. Zero-length
 * intervals add no length and are dropped.
 * @param intervals intervals with `start <= end` (others are dropped)
 * @returns the union as sorted disjoint intervals of positive length
 */
export function unionOfIntervals(intervals: readonly Interval[]): Array<[number, number]> {
  const sorted = intervals.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Total length of sorted disjoint intervals, in seconds (>= 0). */
export function totalLength(union: readonly Interval[]): number {
  let total = 0;
  for (const [start, end] of union) total += end - start;
  return total;
}

/**
 * Length of the intersection of two unions (each sorted and disjoint, as {@link unionOfIntervals}
 * returns them): a linear two-pointer walk.
 * @returns seconds, >= 0
 */
export function intersectionLength(a: readonly Interval[], b: readonly Interval[]): number {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [aStart, aEnd] = a[i] as Interval;
    const [bStart, bEnd] = b[j] as Interval;
    const overlap = Math.min(aEnd, bEnd) - Math.max(aStart, bStart);
    if (overlap > 0) total += overlap;
    if (aEnd < bEnd) i++;
    else j++;
  }
  return total;
}

/**
 * Temporal IoU of two sets of intervals: |union(a) ∩ union(b)| / |union(a) ∪ union(b)|. Each set is
 * first merged into a union, so covering the whole video or tiling it with many small spans is paid
 * its true IoU. Two empty sets (union of length 0) give 0, never NaN.
 * @returns IoU in [0, 1]
 */
export function temporalIou(predicted: readonly Interval[], reference: readonly Interval[]): number {
  const a = unionOfIntervals(predicted);
  const b = unionOfIntervals(reference);
  const intersection = intersectionLength(a, b);
  const union = totalLength(a) + totalLength(b) - intersection;
  return union > 0 ? Math.min(1, Math.max(0, intersection / union)) : 0;
}

/**
 * Time-R1's boundary-aware tIoU: tIoU × (1 − |Δstart| / duration) × (1 − |Δend| / duration), where
 * Δstart and Δend compare the first start and the last end of each union; each factor is clamped to
 * [0, 1]. An empty prediction scores 0.
 * @param duration the video length in seconds (> 0)
 * @returns a reward in [0, 1]
 */
export function boundaryAwareIou(predicted: readonly Interval[], reference: readonly Interval[], duration: number): number {
  const a = unionOfIntervals(predicted);
  const b = unionOfIntervals(reference);
  const first = a[0];
  const truth = b[0];
  if (first === undefined || truth === undefined || !(duration > 0)) return 0;
  const iou = temporalIou(a, b);
  const startGap = Math.abs(first[0] - truth[0]) / duration;
  const endGap = Math.abs((a[a.length - 1] as Interval)[1] - (b[b.length - 1] as Interval)[1]) / duration;
  const clamp = (value: number): number => Math.min(1, Math.max(0, value));
  return iou * clamp(1 - startGap) * clamp(1 - endGap);
}
