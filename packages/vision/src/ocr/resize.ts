import { warpQuad } from './cv-warp.js';
import { roundHalfEven, type Point2, type Quad } from './db-postprocess.js';
import type { RgbImage } from './decode.js';

/** Recognition input height when the model does not declare one (PP-OCRv3/v4 `rec_image_shape` 3,48,320), pixels. */
export const REC_HEIGHT = 48;
/** Narrowest recognition input, pixels (the 320 of `rec_image_shape`). */
export const REC_MIN_WIDTH = 320;

/** Source index pairs and 11-bit fixed-point weights of OpenCV's linear resize along one axis. */
function linearTaps(source: number, target: number, clampEdges: boolean): Int32Array {
  const taps = new Int32Array(target * 4);
  const scale = source / target;
  for (let index = 0; index < target; index++) {
    const position = Math.fround((index + 0.5) * scale - 0.5);
    let start = Math.floor(position);
    let fraction = Math.fround(position - start);
    if (clampEdges && start < 0) [start, fraction] = [0, 0];
    if (clampEdges && start >= source - 1) [start, fraction] = [source - 1, 0];
    taps[index * 4] = Math.min(Math.max(start, 0), source - 1);
    taps[index * 4 + 1] = Math.min(Math.max(start + 1, 0), source - 1);
    taps[index * 4 + 2] = roundHalfEven(Math.fround(1 - fraction) * 2048);
    taps[index * 4 + 3] = roundHalfEven(fraction * 2048);
  }
  return taps;
}

/**
 * Resize RGB pixels as OpenCV's `cv2.resize(INTER_LINEAR)` does for 8-bit images (what PaddleOCR's
 * detector input goes through): pixel centres aligned (`(x + 0.5) * scale - 0.5`, in float32),
 * 11-bit fixed-point weights, edge columns clamped, edge rows weighted and clamped, and the
 * rounding of OpenCV's SIMD vertical pass; no smoothing when shrinking. Bit-exact with OpenCV 4.6
 * on x86 in the tests.
 * @param width target width in pixels, >= 1
 * @param height target height in pixels, >= 1
 */
export function resizeBilinear(image: RgbImage, width: number, height: number): RgbImage {
  const xTaps = linearTaps(image.width, width, true);
  const yTaps = linearTaps(image.height, height, false);
  const source = image.data;
  // Horizontal pass per source row, computed once per needed row.
  const rows = new Map<number, Int32Array>();
  const row = (y: number): Int32Array => {
    let values = rows.get(y);
    if (values) return values;
    values = new Int32Array(width * 3);
    const base = y * image.width * 3;
    for (let x = 0; x < width; x++) {
      const s0 = base + (xTaps[x * 4] as number) * 3;
      const s1 = base + (xTaps[x * 4 + 1] as number) * 3;
      const a0 = xTaps[x * 4 + 2] as number;
      const a1 = xTaps[x * 4 + 3] as number;
      for (let c = 0; c < 3; c++) values[x * 3 + c] = (source[s0 + c] as number) * a0 + (source[s1 + c] as number) * a1;
    }
    rows.set(y, values);
    return values;
  };
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const top = row(yTaps[y * 4] as number);
    const bottom = row(yTaps[y * 4 + 1] as number);
    const b0 = yTaps[y * 4 + 2] as number;
    const b1 = yTaps[y * 4 + 3] as number;
    const out = y * width * 3;
    for (let index = 0; index < width * 3; index++) {
      const value = ((((top[index] as number) >> 4) * b0) >> 16) + ((((bottom[index] as number) >> 4) * b1) >> 16);
      data[out + index] = Math.min(255, Math.max(0, (value + 2) >> 2));
    }
    if (y > 0 && yTaps[y * 4] !== yTaps[(y - 1) * 4]) rows.delete(yTaps[(y - 1) * 4] as number);
  }
  return { data, width, height };
}

/**
 * Cut a box out of the image as PaddleOCR's `get_rotate_crop_image`: the quad warped onto a
 * `max(top, bottom)` x `max(left, right)` rectangle as `cv2.warpPerspective` does (bicubic,
 * edges replicated; bit-exact with OpenCV 4.6 in the tests), turned 90 degrees counter-clockwise
 * when it is at least 1.5 times taller than wide.
 */
export function cropQuad(image: RgbImage, quad: Quad): RgbImage {
  const distance = (a: Point2, b: Point2) => Math.fround(Math.hypot(Math.fround(a[0]) - Math.fround(b[0]), Math.fround(a[1]) - Math.fround(b[1])));
  const [p0, p1, p2, p3] = quad;
  const width = Math.max(1, Math.trunc(Math.max(distance(p0, p1), distance(p2, p3))));
  const height = Math.max(1, Math.trunc(Math.max(distance(p0, p3), distance(p1, p2))));
  const { data } = warpQuad(image, 3, quad, width, height);
  if (height / width < 1.5) return { data, width, height };
  const rotated = new Uint8Array(data.length);
  // np.rot90: new[y][x] = old[x][width - 1 - y], new size height x width swapped.
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < height; x++) {
      for (let c = 0; c < 3; c++) rotated[(y * height + x) * 3 + c] = data[(x * width + (width - 1 - y)) * 3 + c] as number;
    }
  }
  return { data: rotated, width: height, height: width };
}

/**
 * The recognition tensor of a crop as PaddleOCR's `resize_norm_img`: height `height` (48 for
 * PP-OCRv3/v4), width `ceil(height * w / h)` (at most the input width), resized as
 * `cv2.resize(INTER_LINEAR)`, BGR, scaled to [-1, 1], right-padded with 0 to the input width:
 * `fixedWidth` when the model declares one, else `max(320, height * w / h)` pixels.
 * @param height input height in pixels, >= 1
 * @param fixedWidth input width in pixels when the graph fixes it
 * @returns NCHW float32 data `[1, 3, height, width]` and its width
 */
export function recognitionTensor(crop: RgbImage, height = REC_HEIGHT, fixedWidth?: number): { data: Float32Array; width: number } {
  const ratio = crop.width / crop.height;
  const width = fixedWidth ?? Math.trunc(height * Math.max(REC_MIN_WIDTH / REC_HEIGHT, ratio));
  const resizedWidth = Math.max(1, Math.min(width, Math.ceil(height * ratio)));
  const resized = resizeBilinear(crop, resizedWidth, height).data;
  const data = new Float32Array(3 * height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < resizedWidth; x++) {
      for (let c = 0; c < 3; c++) {
        // channel c of the tensor is BGR: B = RGB channel 2.
        data[c * height * width + y * width + x] = ((resized[(y * resizedWidth + x) * 3 + (2 - c)] as number) / 255 - 0.5) / 0.5;
      }
    }
  }
  return { data, width };
}

/** Detector input size for an image as PaddleOCR's `DetResizeForTest` (limit type max): each side scaled so the longest is at most `limit`, then rounded (half to even, as Python) to a multiple of 32 (at least 32). */
export function detectionSize(width: number, height: number, limit: number): [number, number] {
  const ratio = Math.max(width, height) > limit ? limit / Math.max(width, height) : 1;
  const round32 = (value: number) => Math.max(roundHalfEven(Math.trunc(value * ratio) / 32) * 32, 32);
  return [round32(width), round32(height)];
}

