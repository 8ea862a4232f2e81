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

/** Round half away from zero, as Clipper's `Round`. */
function roundAway(value: number): number {
  return value < 0 ? Math.ceil(value - 0.5) : Math.floor(value + 0.5);
}

/**
 * Offset a closed polygon outwards by `delta` with round joins, as pyclipper's `PyclipperOffset`
 * (Clipper 6, `JT_ROUND`, `ET_CLOSEDPOLYGON`, arc tolerance 0.25) computes it before its final
 * union: input coordinates truncated to integers, output vertices rounded to integers. DB's
 * `unclip` grows each box this way by `area * ratio / perimeter`. For a convex polygon the
 * union only drops duplicate and collinear vertices, which a convex hull ignores.
 * @param delta offset distance in pixels, > 0
 * @returns the offset polygon's vertices (integers), possibly with collinear or repeated ones
 */
export function clipperRoundOffset(polygon: readonly Point2[], delta: number): Point2[] {
  let points: Point2[] = [];
  for (const [x, y] of polygon) {
    const point: Point2 = [Math.trunc(x), Math.trunc(y)];
    const last = points[points.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
  }
  while (points.length > 1 && points[0]?.[0] === points[points.length - 1]?.[0] && points[0]?.[1] === points[points.length - 1]?.[1]) points.pop();
  if (points.length < 3 || !(delta > 0)) return points;
  // Clipper makes the outer polygon positively oriented (shoelace area >= 0) before offsetting.
  let area = 0;
  for (let index = 0; index < points.length; index++) {
    const a = points[index] as Point2;
    const b = points[(index + 1) % points.length] as Point2;
    area += a[0] * b[1] - b[0] * a[1];
  }
  if (area < 0) points = points.reverse();
  const tolerance = Math.min(0.25, delta * 0.25);
  let steps = Math.PI / Math.acos(1 - tolerance / delta);
  if (steps > delta * Math.PI) steps = delta * Math.PI;
  const stepSin = Math.sin((2 * Math.PI) / steps);
  const stepCos = Math.cos((2 * Math.PI) / steps);
  const stepsPerRad = steps / (2 * Math.PI);
  const count = points.length;
  const normals: Point2[] = points.map((point, index) => {
    const next = points[(index + 1) % count] as Point2;
    const dx = next[0] - point[0];
    const dy = next[1] - point[1];
    const length = Math.hypot(dx, dy);
    return length === 0 ? [0, 0] : [dy / length, -dx / length];
  });
  const out: Point2[] = [];
  const push = (point: Point2, normal: Point2) => out.push([roundAway(point[0] + normal[0] * delta), roundAway(point[1] + normal[1] * delta)]);
  let k = count - 1;
  for (let j = 0; j < count; j++) {
    const point = points[j] as Point2;
    const nk = normals[k] as Point2;
    const nj = normals[j] as Point2;
    let sinA = nk[0] * nj[1] - nj[0] * nk[1];
    const cosA = nk[0] * nj[0] + nk[1] * nj[1];
    if (Math.abs(sinA * delta) < 1) {
      if (cosA > 0) {
        push(point, nk);
        k = j;
        continue;
      }
    } else sinA = Math.min(1, Math.max(-1, sinA));
    if (sinA * delta < 0) {
      push(point, nk);
      out.push([point[0], point[1]]);
      push(point, nj);
    } else {
      const angle = Math.atan2(sinA, cosA);
      const arcSteps = Math.max(roundAway(stepsPerRad * Math.abs(angle)), 1);
      let x = nk[0];
      let y = nk[1];
      for (let step = 0; step < arcSteps; step++) {
        push(point, [x, y]);
        const previous = x;
        x = x * stepCos - stepSin * y;
        y = previous * stepSin + y * stepCos;
      }
      push(point, nj);
    }
    k = j;
  }
  return out;
}

/** Perimeter of a closed polygon, >= 0. */
export function polygonPerimeter(points: readonly Point2[]): number {
  let sum = 0;
  for (let index = 0; index < points.length; index++) {
    const a = points[index] as Point2;
    const b = points[(index + 1) % points.length] as Point2;
    sum += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return sum;
}

/** Pixels of one OpenCV 8-connected line (`cv2.line`, Bresenham from the left end) between integer points, passed to `visit`. */
export function forEachLinePixel(from: Point2, to: Point2, visit: (x: number, y: number) => void): void {
  let [x0, y0] = from;
  let [x1, y1] = to;
  if (x1 < x0) [x0, y0, x1, y1] = [x1, y1, x0, y0];
  let dx = x1 - x0;
  let dy = y1 - y0;
  const yStep = dy >= 0 ? 1 : -1;
  dy = Math.abs(dy);
  const steep = dy > dx;
  if (steep) [dx, dy] = [dy, dx];
  let error = dx - 2 * dy;
  let x = x0;
  let y = y0;
  for (let index = 0; index <= dx; index++) {
    visit(x, y);
    const minor = error < 0;
    error += -2 * dy + (minor ? 2 * dx : 0);
    if (steep) {
      y += yStep;
      if (minor) x += 1;
    } else {
      x += 1;
      if (minor) y += yStep;
    }
  }
}

/**
 * The mask `cv2.fillPoly` draws for a polygon with integer vertices (line type 8, no shift): the
 * outline's 8-connected lines, and on each row the pixels from the ceiling of the leftmost edge
 * crossing to the floor of the rightmost.
 * @returns a row-major `width` x `height` mask of 0/1
 */
export function fillPolygonMask(polygon: readonly Point2[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const set = (x: number, y: number) => {
    if (x >= 0 && x < width && y >= 0 && y < height) mask[y * width + x] = 1;
  };
  const count = polygon.length;
  const ys = polygon.map((point) => point[1]);
  for (let y = Math.max(0, Math.min(...ys)); y <= Math.min(height - 1, Math.max(...ys)); y++) {
    let low = Infinity;
    let high = -Infinity;
    for (let index = 0; index < count; index++) {
      const [x0, y0] = polygon[index] as Point2;
      const [x1, y1] = polygon[(index + 1) % count] as Point2;
      if (y0 === y1) {
        if (y0 === y) {
          low = Math.min(low, x0, x1);
          high = Math.max(high, x0, x1);
        }
      } else if (Math.min(y0, y1) <= y && y <= Math.max(y0, y1)) {
        const x = x0 + ((y - y0) * (x1 - x0)) / (y1 - y0);
        low = Math.min(low, x);
        high = Math.max(high, x);
      }
    }
    for (let x = Math.max(0, Math.ceil(low)); x <= Math.min(width - 1, Math.floor(high)); x++) mask[y * width + x] = 1;
  }
  for (let index = 0; index < count; index++) forEachLinePixel(polygon[index] as Point2, polygon[(index + 1) % count] as Point2, set);
  return mask;
}

/**
 * Mean of `map` inside `quad` as DB's `box_score_fast`: over the quad's bounding pixels (floor /
 * ceiling, clipped to the map), the quad shifted to that window with its corners truncated to
 * integers and filled as `cv2.fillPoly` does; 0 when the mask is empty.
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
  const windowWidth = xmax - xmin + 1;
  const windowHeight = ymax - ymin + 1;
  const local = quad.map(([x, y]) => [Math.trunc(x - xmin), Math.trunc(y - ymin)] as Point2);
  const mask = fillPolygonMask(local, windowWidth, windowHeight);
  let sum = 0;
  let count = 0;
  for (let y = 0; y < windowHeight; y++) {
    for (let x = 0; x < windowWidth; x++) {
      if (!mask[y * windowWidth + x]) continue;
      sum += map[(y + ymin) * width + x + xmin] as number;
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * DB (Differentiable Binarization) post-processing as PaddleOCR's `DBPostProcess` (box type quad,
 * score mode fast): threshold the probability map, take the connected regions, fit each one's
 * minimum-area rectangle (dropped when its short side is under 3 pixels), score it by the mean
 * probability inside (dropped under `boxThreshold`), grow it by the unclip offset (pyclipper's
 * integer round-join offset by area * ratio / perimeter) and take the grown polygon's minimum-area
 * rectangle (dropped when its short side is then under 5), and scale it to the destination image (rounded half to even, as NumPy).
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
    const corners = rectCorners(rect);
    const score = boxScore(map, mapWidth, mapHeight, corners);
    if (score < boxThreshold) continue;
    const distance = (polygonArea(corners) * unclipRatio) / polygonPerimeter(corners);
    const grown = minAreaRect(convexHull(clipperRoundOffset(corners, distance).flat()));
    if (Math.min(grown.width, grown.height) < MIN_SIZE + 2) continue;
    const scale = (point: Point2): Point2 => [
      Math.min(Math.max(roundHalfEven((point[0] / mapWidth) * destWidth), 0), destWidth),
      Math.min(Math.max(roundHalfEven((point[1] / mapHeight) * destHeight), 0), destHeight),
    ];
    boxes.push({ quad: rectCorners(grown).map(scale) as Quad, score });
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
