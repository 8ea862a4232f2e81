/** A box `[x1, y1, x2, y2]`: corners, any unit (pixels, 0-1, 0-1000) as long as both boxes share it. */
export type Box = readonly [x1: number, y1: number, x2: number, y2: number];

/** Why a box cannot be scored (a non-finite number, inverted corners, no area), or undefined when it can. */
export function boxProblem(box: readonly number[]): string | undefined {
  if (box.length !== 4) return `expected 4 numbers, got ${box.length}`;
  if (!box.every(Number.isFinite)) return 'has a non-finite number';
  const [x1, y1, x2, y2] = box as unknown as Box;
  if (x2 < x1 || y2 < y1) return 'has inverted corners (x2 < x1 or y2 < y1)';
  if (x2 === x1 || y2 === y1) return 'has zero area';
  return undefined;
}

/**
 * Intersection over union of two boxes in the same frame. A box with a problem ({@link boxProblem})
 * scores 0; never NaN.
 * @returns IoU in [0, 1]
 */
export function boxIou(a: Box, b: Box): number {
  if (boxProblem(a) !== undefined || boxProblem(b) !== undefined) return 0;
  const width = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const height = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (width <= 0 || height <= 0) return 0;
  const intersection = width * height;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - intersection;
  return union > 0 ? Math.min(1, intersection / union) : 0;
}
