import type { Box, ImageSize, Point } from './geometry.js';

/**
 * The coordinate frame numbers are given in:
 * - `pixel`: absolute pixels of the original image (Qwen2.5-VL's boxes);
 * - `norm1`: fractions of the width and height, 0 to 1;
 * - `grid1000`: the 0 to 1000 grid of Qwen-VL, Qwen2-VL, Qwen3-VL and InternVL box tokens;
 * - `resized`: pixels of the resized image the model saw (W' x H'), rescaled to the original.
 */
export type Frame = 'pixel' | 'norm1' | 'grid1000' | 'resized';

/** Every frame, in a fixed order. */
export const frames: readonly Frame[] = ['pixel', 'norm1', 'grid1000', 'resized'];

/** What a frame conversion may need to know. */
export interface FrameSizes {
  /** The original image size in pixels; needed to go between `pixel` and any other frame. */
  imageSize?: ImageSize;
  /** The size of the image the model saw, in pixels; needed for `resized`. */
  resizedSize?: ImageSize;
}

/**
 * How many units of a frame span the whole image, per axis (`[width, height]`), or `undefined`
 * when a size it needs is not known.
 * @param frame the frame
 * @param sizes the image and resized sizes
 */
export function frameExtent(frame: Frame, sizes: FrameSizes): readonly [number, number] | undefined {
  switch (frame) {
    case 'norm1':
      return [1, 1];
    case 'grid1000':
      return [1000, 1000];
    case 'pixel':
      return sizes.imageSize ? [sizes.imageSize.width, sizes.imageSize.height] : undefined;
    case 'resized':
      return sizes.resizedSize ? [sizes.resizedSize.width, sizes.resizedSize.height] : undefined;
  }
}

/**
 * The per-axis factors that take numbers from one frame to another, or `undefined` when a size the
 * conversion needs is missing. `norm1` and `grid1000` convert without any size.
 * @returns `[scaleX, scaleY]`: multiply x by the first and y by the second
 */
export function frameScale(from: Frame, to: Frame, sizes: FrameSizes): readonly [number, number] | undefined {
  if (from === to) return [1, 1];
  const source = frameExtent(from, sizes);
  const target = frameExtent(to, sizes);
  if (!source || !target) return undefined;
  return [target[0] / source[0], target[1] / source[1]];
}

/**
 * A box's corners in another frame.
 * @throws Error when a size the conversion needs is missing (check with {@link frameScale} first)
 */
export function convertBox(box: Box, from: Frame, to: Frame, sizes: FrameSizes): Box {
  const scale = requireScale(from, to, sizes);
  return [box[0] * scale[0], box[1] * scale[1], box[2] * scale[0], box[3] * scale[1]];
}

/**
 * A point in another frame.
 * @throws Error when a size the conversion needs is missing (check with {@link frameScale} first)
 */
export function convertPoint(point: Point, from: Frame, to: Frame, sizes: FrameSizes): Point {
  const scale = requireScale(from, to, sizes);
  return [point[0] * scale[0], point[1] * scale[1]];
}

function requireScale(from: Frame, to: Frame, sizes: FrameSizes): readonly [number, number] {
  const scale = frameScale(from, to, sizes);
  if (!scale) throw new Error(`converting from ${from} to ${to} needs the ${from === 'resized' || to === 'resized' ? 'resized and image' : 'image'} size`);
  return scale;
}

/** Parameters of Qwen2-VL / Qwen2.5-VL's `smart_resize`. */
export interface SmartResizeOptions {
  /** Both sides become multiples of this, in pixels (patch 14 x merge 2 = 28). Default 28. */
  factor?: number;
  /** Fewest pixels of the resized image. Default 3136 (4 x 28 x 28). */
  minPixels?: number;
  /** Most pixels of the resized image. Default 12845056 (16384 x 28 x 28). */
  maxPixels?: number;
}

/**
 * The size Qwen2-VL / Qwen2.5-VL resize an image to before the model sees it (qwen-vl-utils'
 * `smart_resize`): each side rounded to a multiple of `factor` (Python's round, halves to even),
 * then scaled down to at most `maxPixels` or up to at least `minPixels`, keeping the aspect ratio.
 * @param size the original image size in pixels
 * @returns the resized size in pixels, multiples of `factor`
 */
export function qwenSmartResize(size: ImageSize, options: SmartResizeOptions = {}): ImageSize {
  const factor = options.factor ?? 28;
  const minPixels = options.minPixels ?? 4 * 28 * 28;
  const maxPixels = options.maxPixels ?? 16384 * 28 * 28;
  const { width, height } = size;
  let resizedHeight = Math.max(factor, roundHalfEven(height / factor) * factor);
  let resizedWidth = Math.max(factor, roundHalfEven(width / factor) * factor);
  if (resizedHeight * resizedWidth > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    resizedHeight = Math.max(factor, Math.floor(height / beta / factor) * factor);
    resizedWidth = Math.max(factor, Math.floor(width / beta / factor) * factor);
  } else if (resizedHeight * resizedWidth < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    resizedHeight = Math.ceil((height * beta) / factor) * factor;
    resizedWidth = Math.ceil((width * beta) / factor) * factor;
  }
  return { width: resizedWidth, height: resizedHeight };
}

/** Python 3's round(): halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
