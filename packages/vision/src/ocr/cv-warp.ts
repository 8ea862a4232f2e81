import type { Point2 } from './db-postprocess.js';

/** Decoded 8-bit pixels, row-major, `channels` per pixel. */
export interface ByteImage {
  /** Row-major bytes. */
  data: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

const f = Math.fround;
/** Sub-pixel positions per pixel of OpenCV's remap tables (`INTER_TAB_SIZE`). */
const TAB_SIZE = 32;
/** Fixed-point scale of OpenCV's 8-bit remap weights (`INTER_REMAP_COEF_SCALE`). */
const COEF_SCALE = 1 << 15;

/** Round half to even (the default `rint` of OpenCV's `cvRound`). */
function rint(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** OpenCV's bicubic weights (A = -0.75) at offset `x` in [0, 1), in float32 arithmetic. */
function cubicWeights(x: number): [number, number, number, number] {
  const a = f(-0.75);
  const x1 = f(x + 1);
  const c0 = f(f(f(f(f(f(a * x1) - f(5 * a)) * x1) + f(8 * a)) * x1) - f(4 * a));
  const c1 = f(f(f(f(f(f(a + 2) * x) - f(a + 3)) * x) * x) + 1);
  const y = f(1 - x);
  const c2 = f(f(f(f(f(f(a + 2) * y) - f(a + 3)) * y) * y) + 1);
  const c3 = f(f(f(1 - c0) - c1) - c2);
  return [c0, c1, c2, c3];
}

let cubicTable: Int32Array | undefined;

/** OpenCV's fixed-point 4x4 bicubic weight tables for every 1/32-pixel offset (`initInterTab2D`), each summing to 2^15. */
function cubicTable2D(): Int32Array {
  if (cubicTable) return cubicTable;
  const oneD: number[][] = [];
  for (let index = 0; index < TAB_SIZE; index++) oneD.push(cubicWeights(f(index * f(1 / TAB_SIZE))));
  const table = new Int32Array(TAB_SIZE * TAB_SIZE * 16);
  for (let i = 0; i < TAB_SIZE; i++) {
    for (let j = 0; j < TAB_SIZE; j++) {
      const offset = (i * TAB_SIZE + j) * 16;
      let sum = 0;
      for (let k1 = 0; k1 < 4; k1++) {
        for (let k2 = 0; k2 < 4; k2++) {
          // saturate_cast<short>: the centre weight 2^15 of an exact position becomes 32767, and the correction below restores it.
          const value = Math.min(32767, Math.max(-32768, rint(f(f((oneD[i] as number[])[k1] as number) * ((oneD[j] as number[])[k2] as number)) * COEF_SCALE)));
          table[offset + k1 * 4 + k2] = value;
          sum += value;
        }
      }
      if (sum !== COEF_SCALE) {
        // Put the rounding error on the largest (sum too small) or smallest (too large) weight of the
        // 2x2 block starting at (ksize / 2, ksize / 2), as OpenCV does.
        const diff = sum - COEF_SCALE;
        let min = offset + 2 * 4 + 2;
        let max = min;
        for (let k1 = 2; k1 <= 3; k1++) {
          for (let k2 = 2; k2 <= 3; k2++) {
            const at = offset + k1 * 4 + k2;
            if ((table[at] as number) < (table[min] as number)) min = at;
            else if ((table[at] as number) > (table[max] as number)) max = at;
          }
        }
        if (diff < 0) table[max] = (table[max] as number) - diff;
        else table[min] = (table[min] as number) - diff;
      }
    }
  }
  cubicTable = table;
  return table;
}

/** Solve `a x = b` (n x n, row-major) by Gaussian elimination with partial pivoting; undefined when singular. */
function solve(a: number[], b: number[], n: number): number[] | undefined {
  const m = a.slice();
  const x = b.slice();
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs(m[row * n + column] as number) > Math.abs(m[pivot * n + column] as number)) pivot = row;
    if (Math.abs(m[pivot * n + column] as number) < 1e-300) return undefined;
    if (pivot !== column) {
      for (let k = 0; k < n; k++) [m[column * n + k], m[pivot * n + k]] = [m[pivot * n + k] as number, m[column * n + k] as number];
      [x[column], x[pivot]] = [x[pivot] as number, x[column] as number];
    }
    for (let row = column + 1; row < n; row++) {
      const factor = (m[row * n + column] as number) / (m[column * n + column] as number);
      for (let k = column; k < n; k++) m[row * n + k] = (m[row * n + k] as number) - factor * (m[column * n + k] as number);
      x[row] = (x[row] as number) - factor * (x[column] as number);
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    let sum = x[row] as number;
    for (let k = row + 1; k < n; k++) sum -= (m[row * n + k] as number) * (x[k] as number);
    x[row] = sum / (m[row * n + row] as number);
  }
  return x;
}

/**
 * The homography mapping four points onto four others (`cv2.getPerspectiveTransform`), row-major 3x3
 * with the last entry 1; undefined for degenerate points.
 */
export function perspectiveTransform(from: readonly Point2[], to: readonly Point2[]): number[] | undefined {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as Point2;
    const [u] = to[i] as Point2;
    a.push(x, y, 1, 0, 0, 0, -x * u, -y * u);
    b.push(u);
  }
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as Point2;
    const [, v] = to[i] as Point2;
    a.push(0, 0, 0, x, y, 1, -x * v, -y * v);
    b.push(v);
  }
  const solution = solve(a, b, 8);
  return solution ? [...solution, 1] : undefined;
}

/** Inverse of a 3x3 matrix (row-major), or undefined when singular. */
function invert3(m: readonly number[]): number[] | undefined {
  const [a, b, c, d, e, g, h, i, k] = m as [number, number, number, number, number, number, number, number, number];
  const det = a * (e * k - g * i) - b * (d * k - g * h) + c * (d * i - e * h);
  if (det === 0) return undefined;
  const s = 1 / det;
  return [
    (e * k - g * i) * s,
    (c * i - b * k) * s,
    (b * g - c * e) * s,
    (g * h - d * k) * s,
    (a * k - c * h) * s,
    (c * d - a * g) * s,
    (d * i - e * h) * s,
    (b * h - a * i) * s,
    (a * e - b * d) * s,
  ];
}

/**
 * Warp the quad `corners` (top-left, top-right, bottom-right, bottom-left; float32 as PaddleOCR
 * passes them) onto a `width` x `height` rectangle as `cv2.warpPerspective(…, flags=INTER_CUBIC,
 * borderMode=BORDER_REPLICATE)` does for 8-bit images: source positions quantised to 1/32 pixel,
 * OpenCV's fixed-point bicubic weights, edges replicated.
 * @param channels bytes per pixel of `image` (3 for RGB)
 */
export function warpQuad(image: ByteImage, channels: number, corners: readonly Point2[], width: number, height: number): ByteImage {
  const from = corners.map(([x, y]) => [f(x), f(y)] as Point2);
  const to: Point2[] = [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ];
  const forward = perspectiveTransform(from, to);
  const inverse = forward && invert3(forward);
  const data = new Uint8Array(width * height * channels);
  if (!inverse) return { data, width, height };
  const table = cubicTable2D();
  const source = image.data;
  const last = { x: image.width - 1, y: image.height - 1 };
  const sums = new Array<number>(channels).fill(0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const X0 = (inverse[0] as number) * x + (inverse[1] as number) * y + (inverse[2] as number);
      const Y0 = (inverse[3] as number) * x + (inverse[4] as number) * y + (inverse[5] as number);
      let W = (inverse[6] as number) * x + (inverse[7] as number) * y + (inverse[8] as number);
      W = W ? TAB_SIZE / W : 0;
      const fx = Math.max(-2147483648, Math.min(2147483647, X0 * W));
      const fy = Math.max(-2147483648, Math.min(2147483647, Y0 * W));
      const X = rint(fx);
      const Y = rint(fy);
      const sx = (X >> 5) - 1;
      const sy = (Y >> 5) - 1;
      const weights = ((Y & (TAB_SIZE - 1)) * TAB_SIZE + (X & (TAB_SIZE - 1))) * 16;
      sums.fill(0);
      for (let i = 0; i < 4; i++) {
        const row = Math.min(Math.max(sy + i, 0), last.y) * image.width;
        for (let j = 0; j < 4; j++) {
          const at = (row + Math.min(Math.max(sx + j, 0), last.x)) * channels;
          const weight = table[weights + i * 4 + j] as number;
          for (let c = 0; c < channels; c++) sums[c] = (sums[c] as number) + (source[at + c] as number) * weight;
        }
      }
      const out = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[out + c] = Math.min(255, Math.max(0, ((sums[c] as number) + (1 << 14)) >> 15));
    }
  }
  return { data, width, height };
}
