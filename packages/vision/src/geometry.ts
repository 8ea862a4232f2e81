/**
 * An axis-aligned box as corners `[x1, y1, x2, y2]` in some coordinate frame. A valid box has finite
 * coordinates with `x1 < x2` and `y1 < y2`.
 */
export type Box = readonly [number, number, number, number];

/** A point `[x, y]` in some coordinate frame. */
export type Point = readonly [number, number];

/**
 * How four box numbers are laid out: `xyxy` (corners), `xywh` (top-left corner, width, height, as in
 * COCO) or `cxcywh` (centre, width, height, as in DETR and YOLO).
 */
export type BoxFormat = 'xyxy' | 'xywh' | 'cxcywh';

/** Every box format, in a fixed order. */
export const boxFormats: readonly BoxFormat[] = ['xyxy', 'xywh', 'cxcywh'];

/** The size of an image in pixels. */
export interface ImageSize {
  /** Width in pixels, > 0. */
  width: number;
  /** Height in pixels, > 0. */
  height: number;
}

/**
 * Four numbers in `format` as corners `[x1, y1, x2, y2]` (same frame, same units).
 * @param values the four numbers of the box, in `format`
 * @param format their layout
 */
export function toXyxy(values: readonly number[], format: BoxFormat): Box {
  const [a = Number.NaN, b = Number.NaN, c = Number.NaN, d = Number.NaN] = values;
  if (format === 'xywh') return [a, b, a + c, b + d];
  if (format === 'cxcywh') return [a - c / 2, b - d / 2, a + c / 2, b + d / 2];
  return [a, b, c, d];
}

/**
 * Corners `[x1, y1, x2, y2]` as four numbers in `format` (same frame, same units).
 * @param box the corners
 * @param format the layout wanted
 */
export function fromXyxy(box: Box, format: BoxFormat): Box {
  const [x1, y1, x2, y2] = box;
  if (format === 'xywh') return [x1, y1, x2 - x1, y2 - y1];
  if (format === 'cxcywh') return [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1];
  return [x1, y1, x2, y2];
}

/**
 * Why a box is not usable, or `undefined` for a valid box. The degenerate-box rule of this package:
 * a box with a non-finite coordinate, inverted corners (`x2 < x1` or `y2 < y1`) or zero width or
 * height is rejected (it still counts as a prediction, with IoU 0 against everything).
 * @param box corners in any frame
 */
export function boxProblem(box: Box): string | undefined {
  const [x1, y1, x2, y2] = box;
  if (!Number.isFinite(x1) || !Number.isFinite(y1) || !Number.isFinite(x2) || !Number.isFinite(y2)) {
    return 'a coordinate is not a finite number';
  }
  if (x2 < x1 || y2 < y1) return `inverted corners (x2 < x1 or y2 < y1) in [${box.join(', ')}]`;
  if (x2 === x1 || y2 === y1) return `zero area box [${box.join(', ')}]`;
  return undefined;
}

/**
 * Clip a box to the rectangle `[0, width] x [0, height]` (the image in the box's frame). A box
 * entirely outside becomes a zero-area box, which {@link boxProblem} rejects.
 * @param box corners
 * @param width the frame's width (pixels for `pixel`, 1 for `norm1`, 1000 for `grid1000`), > 0
 * @param height the frame's height, > 0
 */
export function clipBox(box: Box, width: number, height: number): Box {
  const clamp = (value: number, high: number): number => (value < 0 ? 0 : value > high ? high : value);
  return [clamp(box[0], width), clamp(box[1], height), clamp(box[2], width), clamp(box[3], height)];
}

/**
 * True when the point lies inside the box or on its border.
 * @param point the point, same frame as the box
 * @param box corners
 */
export function pointInBox(point: Point, box: Box): boolean {
  return point[0] >= box[0] && point[0] <= box[2] && point[1] >= box[1] && point[1] <= box[3];
}

/**
 * The centre of a box.
 * @param box corners
 */
export function boxCenter(box: Box): Point {
  return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
}
