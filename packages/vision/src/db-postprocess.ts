/** A point `[x, y]` in pixels. */
export type Point2 = [number, number];
/** Four corners of a (rotated) box in pixels: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point2, Point2, Point2, Point2];

/** Settings of {@link dbPostProcess}; PaddleOCR's inference defaults. */
export interface DbSettings {
  /** Probability above which a pixel is text (PaddleOCR `det_db_thresh`), in [0, 1]. Default 0.3. */
  threshold: number;
  /** Mean probability inside a box below which it is dropped (`det_db_box_thresh`), in [0, 1]. Default 0.6. */
  boxThreshold: number;
  /** How far boxes grow: offset distance = area * ratio / perimeter (`det_db_unclip_ratio`), > 0. Default 1.5. */
  unclipRatio: number;
  /** Most connected regions examined (`max_candidates`), >= 1. Default 1000. */
  maxCandidates: number;
}

/** PaddleOCR's DB post-processing defaults (tools/infer/utility.py). */
export const DB_DEFAULTS: DbSettings = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, maxCandidates: 1000 };

/** A text box found by {@link dbPostProcess}. */
export interface DetectedBox {
  /** Corners in the destination image's pixels, clockwise from the top-left, rounded. */
  quad: Quad;
  /** Mean probability inside the box before unclipping, in [0, 1]. */
  score: number;
}

/** Round half to even, as Python's `round` and NumPy's `np.round` (2.5 -> 2, 3.5 -> 4). */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Smallest side (pixels) of a box that is kept, as PaddleOCR's `min_size`. */
const MIN_SIZE = 3;

/**
 * The 8-connected regions of `mask` (row-major, `width` x `height`, non-zero = set), in raster
 * order of their first pixel. Each region is given by the leftmost and rightmost pixel of each of
 * its rows, which is all a convex hull needs.
 * @returns per region, a flat list of `[x, y]` pairs
 */
export function connectedRegions(mask: Uint8Array, width: number, height: number, limit = Infinity): number[][] {
  const labels = new Int32Array(width * height);
  const regions: number[][] = [];
  const stack: number[] = [];
  // Leftmost / rightmost pixel of each row of the region being filled (reset after each region).
  const rowMin = new Int32Array(height).fill(width);
  const rowMax = new Int32Array(height).fill(-1);
  for (let start = 0; start < mask.length && regions.length < limit; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = regions.length + 1;
    labels[start] = label;
    stack.push(start);
    let top = height;
    let bottom = -1;
    while (stack.length > 0) {
      const index = stack.pop() as number;
      const x = index % width;
      const y = (index - x) / width;
      if (x < (rowMin[y] as number)) rowMin[y] = x;
      if (x > (rowMax[y] as number)) rowMax[y] = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width || (dx === 0 && dy === 0)) continue;
          const next = ny * width + nx;
          if (mask[next] && !labels[next]) {
            labels[next] = label;
            stack.push(next);
          }
        }
      }
    }
    const points: number[] = [];
    for (let y = top; y <= bottom; y++) {
      const left = rowMin[y] as number;
      const right = rowMax[y] as number;
      if (right < 0) continue;
      points.push(left, y);
      if (right !== left) points.push(right, y);
      rowMin[y] = width;
      rowMax[y] = -1;
    }
    regions.push(points);
  }
  return regions;
}

/** Convex hull (counter-clockwise in y-down pixels, no collinear points) of flat `[x, y]` pairs (Andrew's monotone chain). */
export function convexHull(flat: readonly number[]): Point2[] {
  const points: Point2[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) points.push([flat[index] as number, flat[index + 1] as number]);
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const unique = points.filter((point, index) => index === 0 || point[0] !== (points[index - 1] as Point2)[0] || point[1] !== (points[index - 1] as Point2)[1]);
  if (unique.length < 3) return unique;
  const cross = (o: Point2, a: Point2, b: Point2) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point2[] = [];
  for (const point of unique) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as Point2, lower[lower.length - 1] as Point2, point) <= 0) lower.pop();
    lower.push(point);
  }
  const upper: Point2[] = [];
  for (let index = unique.length - 1; index >= 0; index--) {
    const point = unique[index] as Point2;
    while (upper.length >= 2 && cross(upper[upper.length - 2] as Point2, upper[upper.length - 1] as Point2, point) <= 0) upper.pop();
    upper.push(point);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** A rotated rectangle: centre, side lengths along its two axes (unit vectors `u` and `v = perp(u)`). */
export interface RotatedRect {
  /** Centre `[x, y]` in pixels. */
  center: Point2;
  /** Side along `axis`, >= 0 pixels. */
  width: number;
  /** Side across `axis`, >= 0 pixels. */
  height: number;
  /** Unit direction of the `width` side. */
  axis: Point2;
}

/**
 * The minimum-area rectangle enclosing a convex hull (one side of the optimal rectangle lies on a
 * hull edge); a single point or a segment gives a rectangle of zero height (and width).
 */
export function minAreaRect(hull: readonly Point2[]): RotatedRect {
  if (hull.length === 0) return { center: [0, 0], width: 0, height: 0, axis: [1, 0] };
  if (hull.length === 1) return { center: [...(hull[0] as Point2)], width: 0, height: 0, axis: [1, 0] };
  let best: RotatedRect | undefined;
  let bestArea = Infinity;
  for (let index = 0; index < hull.length; index++) {
    const a = hull[index] as Point2;
    const b = hull[(index + 1) % hull.length] as Point2;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (length === 0) continue;
    const u: Point2 = [(b[0] - a[0]) / length, (b[1] - a[1]) / length];
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const point of hull) {
      const pu = point[0] * u[0] + point[1] * u[1];
      const pv = -point[0] * u[1] + point[1] * u[0];
      if (pu < minU) minU = pu;
      if (pu > maxU) maxU = pu;
      if (pv < minV) minV = pv;
      if (pv > maxV) maxV = pv;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea - 1e-9) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = { center: [cu * u[0] - cv * u[1], cu * u[1] + cv * u[0]], width: maxU - minU, height: maxV - minV, axis: u };
    }
  }
  return best as RotatedRect;
}

/** The four corners of a rotated rectangle, ordered as PaddleOCR's `get_mini_boxes`: top-left, top-right, bottom-right, bottom-left. */
export function rectCorners(rect: RotatedRect): Quad {
  const [cx, cy] = rect.center;
  const [ux, uy] = rect.axis;
  const hw = rect.width / 2;
  const hh = rect.height / 2;
  const corners: Point2[] = [
    [cx - ux * hw + uy * hh, cy - uy * hw - ux * hh],
    [cx + ux * hw + uy * hh, cy + uy * hw - ux * hh],
    [cx + ux * hw - uy * hh, cy + uy * hw + ux * hh],
    [cx - ux * hw - uy * hh, cy - uy * hw + ux * hh],
  ];
  return orderCorners(corners);
}

/** Order four corners as `get_mini_boxes` does: the two leftmost give top-left/bottom-left (by y), the two rightmost top-right/bottom-right. */
export function orderCorners(points: readonly Point2[]): Quad {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  const [p0, p1, p2, p3] = sorted as [Point2, Point2, Point2, Point2];
  const [topLeft, bottomLeft] = p1[1] > p0[1] ? [p0, p1] : [p1, p0];
  const [topRight, bottomRight] = p3[1] > p2[1] ? [p2, p3] : [p3, p2];
  return [topLeft, topRight, bottomRight, bottomLeft];
}

/** Area of a polygon (shoelace), >= 0. */
export function polygonArea(points: readonly Point2[]): number {
  let sum = 0;
  for (let index = 0; index < points.length; index++) {
    const a = points[index] as Point2;
    const b = points[(index + 1) % points.length] as Point2;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(sum) / 2;
}

/**
 * Grow a rotated rectangle as DB's `unclip` does: the polygon is offset outwards by
 * `area * ratio / perimeter` (pyclipper, round joins), whose minimum-area rectangle is the
 * rectangle with each side moved out by that distance.
 */
export function unclipRect(rect: RotatedRect, ratio: number): RotatedRect {
  const perimeter = 2 * (rect.width + rect.height);
  if (perimeter === 0) return rect;
  const distance = (rect.width * rect.height * ratio) / perimeter;
  return { ...rect, width: rect.width + 2 * distance, height: rect.height + 2 * distance };
}

/**
 * Mean of `map` over the pixels inside `quad` (pixel centres at integer coordinates, boundary
 * included), as DB's `box_score_fast`; 0 when no pixel is inside.
 * @returns mean probability in [0, 1] for a probability map
 */
export function boxScore(map: Float32Array, width: number, height: number, quad: Quad): number {
  const xs = quad.map((point) => point[0]);
  const ys = quad.map((point) => point[1]);
  const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max);
  const xmin = clamp(Math.floor(Math.min(...xs)), width - 1);
  const xmax = clamp(Math.ceil(Math.max(...xs)), width - 1);
  const ymin = clamp(Math.floor(Math.min(...ys)), height - 1);
  const ymax = clamp(Math.ceil(Math.max(...ys)), height - 1);
  // Edges of the (convex) quad; a point is inside when it is on the inner side of every edge (with slack for the boundary).
  const area2 = (quad[1][0] - quad[0][0]) * (quad[2][1] - quad[0][1]) - (quad[1][1] - quad[0][1]) * (quad[2][0] - quad[0][0]);
  const sign = area2 < 0 ? -1 : 1;
  let sum = 0;
  let count = 0;
  for (let y = ymin; y <= ymax; y++) {
    for (let x = xmin; x <= xmax; x++) {
      let inside = true;
      for (let edge = 0; edge < 4 && inside; edge++) {
        const a = quad[edge] as Point2;
        const b = quad[(edge + 1) % 4] as Point2;
        const length = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
        const side = (sign * ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]))) / length;
        if (side < -0.5) inside = false;
      }
      if (inside) {
        sum += map[y * width + x] as number;
        count++;
      }
    }
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * DB (Differentiable Binarization) post-processing as PaddleOCR's `DBPostProcess` (box type quad,
 * score mode fast): threshold the probability map, take the connected regions, fit each one's
 * minimum-area rectangle (dropped when its short side is under 3 pixels), score it by the mean
 * probability inside (dropped under `boxThreshold`), grow it by the unclip offset (dropped when the
 * short side is then under 5), and scale it to the destination image (rounded half to even, as NumPy).
 * @param map probability map, row-major `mapWidth` x `mapHeight`, values in [0, 1]
 * @param destWidth width of the image the boxes are for, in pixels (> 0)
 * @param destHeight height of that image, in pixels (> 0)
 * @returns boxes in destination pixels, in the order the regions were found (raster order)
 */
export function dbPostProcess(
  map: Float32Array,
  mapWidth: number,
  mapHeight: number,
  destWidth: number,
  destHeight: number,
  settings: Partial<DbSettings> = {},
): DetectedBox[] {
  const { threshold, boxThreshold, unclipRatio, maxCandidates } = { ...DB_DEFAULTS, ...settings };
  const mask = new Uint8Array(map.length);
  for (let index = 0; index < map.length; index++) mask[index] = (map[index] as number) > threshold ? 1 : 0;
  const boxes: DetectedBox[] = [];
  for (const region of connectedRegions(mask, mapWidth, mapHeight, maxCandidates)) {
    const rect = minAreaRect(convexHull(region));
    if (Math.min(rect.width, rect.height) < MIN_SIZE) continue;
    const score = boxScore(map, mapWidth, mapHeight, rectCorners(rect));
    if (score < boxThreshold) continue;
    const grown = unclipRect(rect, unclipRatio);
    if (Math.min(grown.width, grown.height) < MIN_SIZE + 2) continue;
    const scale = (point: Point2): Point2 => [
      Math.min(Math.max(roundHalfEven((point[0] / mapWidth) * destWidth), 0), destWidth),
      Math.min(Math.max(roundHalfEven((point[1] / mapHeight) * destHeight), 0), destHeight),
    ];
    const corners = rectCorners(grown).map(scale) as Quad;
    boxes.push({ quad: corners, score });
  }
  return boxes;
}

/**
 * Reading order as PaddleOCR's `sorted_boxes`: by the top-left corner's y then x, then boxes whose
 * top-left corners are less than 10 pixels apart vertically are put left to right.
 */
export function sortBoxes<T extends { quad: Quad }>(boxes: readonly T[]): T[] {
  const sorted = [...boxes].sort((a, b) => a.quad[0][1] - b.quad[0][1] || a.quad[0][0] - b.quad[0][0]);
  for (let index = 0; index < sorted.length - 1; index++) {
    for (let j = index; j >= 0; j--) {
      const next = sorted[j + 1] as T;
      const current = sorted[j] as T;
      if (Math.abs(next.quad[0][1] - current.quad[0][1]) < 10 && next.quad[0][0] < current.quad[0][0]) {
        sorted[j] = next;
        sorted[j + 1] = current;
      } else break;
    }
  }
  return sorted;
}
