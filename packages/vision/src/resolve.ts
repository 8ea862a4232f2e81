import { resolve as resolvePath } from 'node:path';
import { RewardError, resolveMediaPath, type Rollout } from '@mixreward/core';
import { z } from 'zod';
import { parseShapes, type ParsedShape, type ShapeSyntax } from './box-parse.js';
import { boxProblem, clipBox, toXyxy, type Box, type BoxFormat, type ImageSize, type Point } from './geometry.js';
import { convertBox, convertPoint, frameExtent, qwenSmartResize, type Frame, type FrameSizes } from './frame.js';
import { readImageSize } from './image-size.js';
import type { ReferenceBox, ReferencePoint, VisionReference } from './reference.js';

const positive = z.number().positive().finite();

/** Zod fields shared by every vision reward: how to read and place the predicted shapes. */
export const geometryOptionFields = {
  frame: z
    .enum(['reference', 'pixel', 'norm1', 'grid1000', 'resized'])
    .default('reference')
    .describe('Frame of the predicted numbers (JSON, lists, tuples): reference (the reference\'s frame), pixel, norm1 (0-1), grid1000 (0-1000) or resized (pixels of the resized model input). Default reference.'),
  format: z
    .enum(['xyxy', 'xywh', 'cxcywh'])
    .default('xyxy')
    .describe('Layout of predicted boxes written as JSON or lists (tokens, tags and tuples are always corners): xyxy, xywh or cxcywh. Default xyxy.'),
  token_frame: z
    .enum(['grid1000', 'pixel', 'norm1', 'resized', 'same'])
    .default('grid1000')
    .describe('Frame of box/point tokens and tags (<|box_start|>, <box>, <point>): grid1000 (Qwen-VL, Qwen2-VL, InternVL) unless the model emits pixels; "same" uses `frame`. Default grid1000.'),
  stated_conventions: z
    .boolean()
    .default(true)
    .describe(
      'Read a box in the frame or format the completion states next to it ("Normalised box: [...]", "(coordinates scaled to 1000)", "format xywh", "Center format (cx, cy, w, h)", a heading "Normalized coordinates:" over a list), overriding `frame`/`format` for that box; the reason says so. Default true.',
    ),
  extract: z
    .enum(['auto', 'answer', 'anywhere'])
    .default('auto')
    .describe('Where to look: the last answer block when present (auto), only the answer block, or anywhere. Default auto.'),
  answer_tag: z.string().min(1).default('answer').describe('Name of the answer tag, without brackets. Default answer.'),
  clip: z.boolean().default(true).describe('Clip boxes to the image (when its extent in the working frame is known). Default true.'),
  resized_size: z
    .tuple([positive, positive])
    .optional()
    .describe('[width, height] in pixels of the image the model saw, for frame "resized" (reference.resized_size wins). No default.'),
  smart_resize: z
    .union([
      z.boolean(),
      z
        .object({
          factor: z.number().int().positive().optional().describe('Side multiple in pixels. Default 28.'),
          min_pixels: positive.optional().describe('Fewest pixels of the resized image. Default 3136.'),
          max_pixels: positive.optional().describe('Most pixels of the resized image. Default 12845056.'),
        })
        .strict(),
    ])
    .default(false)
    .describe('For frame "resized": derive the resized size with Qwen2/2.5-VL smart_resize (true: its defaults factor 28, min_pixels 3136, max_pixels 12845056). Default false.'),
  image: z.number().int().min(0).default(0).describe('Which of rollout.media.images gives the image size when one must be read, index >= 0. Default 0.'),
  image_root: z
    .string()
    .optional()
    .describe('Folder that relative rollout image paths resolve against (itself relative to the config folder). Default: the input file\'s folder (the context\'s mediaDir).'),
};

/** Parsed geometry options (the output of {@link geometryOptionFields}). */
export interface GeometryOptions {
  /** Frame of predicted numbers, or `reference` for the reference's frame. */
  frame: 'reference' | Frame;
  /** Layout of predicted boxes. */
  format: BoxFormat;
  /** Frame of box/point tokens and tags, or `same` for `frame`. */
  token_frame: Frame | 'same';
  /** Follow a frame or format stated in words next to a box. */
  stated_conventions: boolean;
  /** Where to look for shapes. */
  extract: 'auto' | 'answer' | 'anywhere';
  /** Name of the answer tag. */
  answer_tag: string;
  /** Clip boxes to the image. */
  clip: boolean;
  /** `[width, height]` in pixels of the image the model saw. */
  resized_size?: [number, number] | undefined;
  /** Qwen smart_resize parameters, `true` for the defaults, `false` for none. */
  smart_resize: boolean | { factor?: number | undefined; min_pixels?: number | undefined; max_pixels?: number | undefined };
  /** Index into `rollout.media.images`, >= 0. */
  image: number;
  /** Folder relative image paths resolve against. */
  image_root?: string | undefined;
}

/** A predicted box in the working frame. */
export interface PredictedBox {
  /** Corners in the working frame (clipped when the extent is known and `clip` is on). */
  box: Box;
  /** The label written with it, if any. */
  label?: string;
  /** The score or confidence written with it, if any. */
  score?: number;
  /** Why it is rejected (malformed, non-finite, inverted, zero area, outside the image); absent when valid. */
  problem?: string;
  /** The syntax it was written in. */
  syntax: ShapeSyntax;
}

/** A predicted point in the working frame. */
export interface PredictedPoint {
  /** `[x, y]` in the working frame. */
  point: Point;
  /** The label written with it, if any. */
  label?: string;
  /** Why it is rejected (malformed or non-finite); absent when valid. */
  problem?: string;
  /** The syntax it was written in. */
  syntax: ShapeSyntax;
}

/** Prediction and reference brought into one frame. */
export interface ResolvedGeometry {
  /** The frame every number below is in: `pixel` whenever the image size is known. */
  frame: 'pixel' | 'norm1' | 'grid1000';
  /** The original image size, when known. */
  imageSize?: ImageSize;
  /** The extent of the image in `frame` (`[width, height]`), when known. */
  extent?: readonly [number, number];
  /** Predicted boxes in the order written (rejected ones included, with `problem`). */
  boxes: PredictedBox[];
  /** Predicted points in the order written. */
  points: PredictedPoint[];
  /** Reference boxes in `frame`. */
  referenceBoxes: ReferenceBox[];
  /** Reference points in `frame`. */
  referencePoints: ReferencePoint[];
  /** Where the prediction was read: the answer block, the whole completion, or nothing (no answer block). */
  region: 'answer' | 'completion' | 'none';
  /** Warnings worth putting in a reason (a likely frame mix-up, repaired JSON). */
  notes: string[];
}

/** What {@link resolveGeometry} needs besides the rollout. */
export interface ResolveContext {
  /** The config folder: `image_root` resolves against it. */
  baseDir: string;
  /** Folder relative rollout image paths resolve against (the input file's folder). Default `baseDir`. */
  mediaDir?: string | undefined;
  /** Read an image size from an absolute path; default {@link readImageSize}. */
  readSize?: (path: string) => Promise<ImageSize>;
  /** True when the caller needs the image's extent in the working frame (distances); may read the image. */
  needExtent?: boolean;
  /** Two adjacent pairs outside tags are one box (default true). */
  pairsAsBoxes?: boolean;
}

const TOKEN_SYNTAXES: readonly ShapeSyntax[] = ['qwen-token', 'box-tag', 'point-tag'];

/**
 * A rollout whose prediction and reference cannot be compared because the image size is unknown
 * (no `reference.image_size` and no image in `rollout.media.images`): the reward is `skipped` with
 * `skip` as its reason, which names the fields to set. A data gap in one row, not a fault that
 * should fail a training step, and never a silent guess or 0.
 */
export interface GeometrySkip {
  /** The reason: what needs the size and the fields that give it. */
  skip: string;
}

/**
 * Parse the completion's shapes and bring them and the reference into one working frame: `pixel`
 * when the image size is known from the reference; else the shared frame when prediction and
 * reference agree; else `norm1` when both are normalised (`norm1`/`grid1000`); else `pixel`, reading
 * the image size from `rollout.media.images` with sharp. A conversion that needs a size nobody gave
 * is a {@link GeometrySkip} naming the fields to set (the reward is then `skipped`), never a silent
 * guess; a `resized` frame with no way to know the resized size is a
 * `RewardError('INVALID_REFERENCE')`.
 */
export async function resolveGeometry(
  rollout: Rollout,
  reference: VisionReference,
  options: GeometryOptions,
  context: ResolveContext,
): Promise<ResolvedGeometry | GeometrySkip> {
  const parsed = parseShapes(rollout.completion, {
    extract: options.extract,
    answerTag: options.answer_tag,
    pairsAsBoxes: context.pairsAsBoxes ?? true,
    statedConventions: options.stated_conventions,
  });
  const predictionFrame: Frame = options.frame === 'reference' ? reference.frame : options.frame;
  const tokenFrame: Frame = options.token_frame === 'same' ? predictionFrame : options.token_frame;
  const defaultFrameOf = (shape: ParsedShape): Frame => (TOKEN_SYNTAXES.includes(shape.syntax) ? tokenFrame : predictionFrame);
  const stated = new Map<ParsedShape, { frame?: Frame; format?: BoxFormat }>();
  const statedNotes = new Map<string, number>();
  const countNote = (note: string): void => {
    statedNotes.set(note, (statedNotes.get(note) ?? 0) + 1);
  };
  if (options.stated_conventions) {
    for (const shape of parsed.shapes) {
      const convention = shape.stated;
      if (!convention) continue;
      const use: { frame?: Frame; format?: BoxFormat } = {};
      const changes: string[] = [];
      if (convention.frame !== undefined && !TOKEN_SYNTAXES.includes(shape.syntax) && convention.frame !== defaultFrameOf(shape)) {
        if (fitsFrame(shape.values, convention.frame)) {
          use.frame = convention.frame;
          changes.push(convention.frame);
        } else {
          countNote(`the stated frame ${convention.frame} ("${convention.phrase}") does not fit the numbers written; read in the ${defaultFrameOf(shape)} frame`);
        }
      }
      const layoutFree = shape.kind === 'box' && shape.format === undefined && (shape.syntax === 'json' || shape.syntax === 'tuple');
      const defaultFormat = shape.syntax === 'json' ? options.format : 'xyxy';
      if (convention.format !== undefined && layoutFree && convention.format !== defaultFormat) {
        use.format = convention.format;
        changes.push(convention.format);
      }
      if (changes.length === 0) continue;
      stated.set(shape, use);
      countNote(`read as ${changes.join(' ')} as the completion states ("${convention.phrase}")`);
    }
  }
  const frameOf = (shape: ParsedShape): Frame => stated.get(shape)?.frame ?? defaultFrameOf(shape);

  const used = new Set<Frame>([reference.frame, ...parsed.shapes.map(frameOf)]);
  const sizes: FrameSizes = {};
  if (reference.imageSize) sizes.imageSize = reference.imageSize;
  let frame: ResolvedGeometry['frame'];
  if (sizes.imageSize) frame = 'pixel';
  else if (used.size === 1 && !used.has('resized') && !(context.needExtent && used.has('pixel'))) frame = [...used][0] as ResolvedGeometry['frame'];
  else if ([...used].every((item) => item === 'norm1' || item === 'grid1000')) frame = 'norm1';
  else {
    frame = 'pixel';
    const imageSize = await imageSizeFromRollout(rollout, options, context);
    if (!imageSize) return { skip: missingSizeReason(reference.frame, parsed.shapes.map(frameOf), options) };
    sizes.imageSize = imageSize;
  }
  if (used.has('resized')) sizes.resizedSize = resizedSizeFor(reference, options, sizes.imageSize);

  const extent = frameExtent(frame, sizes);
  const notes: string[] = [];
  if (parsed.repaired) notes.push('the predicted JSON was repaired (quotes or truncation)');
  for (const [note, count] of statedNotes) notes.push(parsed.shapes.length > 1 ? `${count} shape(s) ${note}` : note);

  const boxes: PredictedBox[] = [];
  const points: PredictedPoint[] = [];
  for (const shape of parsed.shapes) {
    const from = frameOf(shape);
    if (shape.kind === 'box') {
      const item: PredictedBox = { box: [Number.NaN, Number.NaN, Number.NaN, Number.NaN], syntax: shape.syntax };
      if (shape.label !== undefined) item.label = shape.label;
      if (shape.score !== undefined) item.score = shape.score;
      if (shape.values.length !== 4) item.problem = `malformed box (${shape.values.length} numbers)`;
      else {
        const format = shape.format ?? stated.get(shape)?.format ?? (shape.syntax === 'json' ? options.format : 'xyxy');
        const raw = toXyxy(shape.values, format);
        item.problem = boxProblem(raw);
        let box = convertBox(raw, from, frame, sizes);
        if (item.problem === undefined && options.clip && extent) {
          box = clipBox(box, extent[0], extent[1]);
          const clipped = boxProblem(box);
          if (clipped !== undefined) item.problem = `outside the image: ${clipped}`;
        }
        item.box = box;
      }
      if (item.problem === undefined) delete item.problem;
      boxes.push(item);
    } else {
      const item: PredictedPoint = { point: [Number.NaN, Number.NaN], syntax: shape.syntax };
      if (shape.label !== undefined) item.label = shape.label;
      if (shape.values.length !== 2) item.problem = `malformed point (${shape.values.length} numbers)`;
      else if (!shape.values.every(Number.isFinite)) item.problem = 'a coordinate is not a finite number';
      else item.point = convertPoint([shape.values[0] as number, shape.values[1] as number], from, frame, sizes);
      points.push(item);
    }
  }
  frameWarnings(parsed.shapes, frameOf, notes);

  const referenceBoxes = reference.boxes.map((entry) => {
    let box = convertBox(entry.box, reference.frame, frame, sizes);
    if (options.clip && extent) {
      const clipped = clipBox(box, extent[0], extent[1]);
      if (boxProblem(clipped) === undefined) box = clipped;
    }
    return entry.label === undefined ? { box } : { box, label: entry.label };
  });
  const referencePoints = reference.points.map((entry) => {
    const point = convertPoint(entry.point, reference.frame, frame, sizes);
    return entry.label === undefined ? { point } : { point, label: entry.label };
  });

  const result: ResolvedGeometry = { frame, boxes, points, referenceBoxes, referencePoints, region: parsed.region, notes };
  if (sizes.imageSize) result.imageSize = sizes.imageSize;
  if (extent) result.extent = extent;
  return result;
}

/** The image size from `rollout.media.images[options.image]` (read with sharp), or undefined when the rollout names no image. */
async function imageSizeFromRollout(rollout: Rollout, options: GeometryOptions, context: ResolveContext): Promise<ImageSize | undefined> {
  const images = rollout.media?.images;
  const path = Array.isArray(images) ? images[options.image] : undefined;
  if (typeof path !== 'string' || path === '') return undefined;
  const mediaDir = options.image_root === undefined ? (context.mediaDir ?? context.baseDir) : resolvePath(context.baseDir, options.image_root);
  return (context.readSize ?? readImageSize)(resolveMediaPath(path, { mediaDir }));
}

const frameWords: Record<Frame, string> = {
  pixel: 'pixel',
  norm1: '0-1 (norm1)',
  grid1000: '0-1000 (grid1000)',
  resized: 'resized-image pixel',
};

/** Why a rollout is skipped for want of the image size, naming what needed it and the fields that give it. */
function missingSizeReason(referenceFrame: Frame, predictionFrames: readonly Frame[], options: GeometryOptions): string {
  const others = [...new Set(predictionFrames)].filter((frame) => frame !== referenceFrame);
  const fields = `reference.image_size (or the image in rollout.media.images[${options.image}])`;
  if (others.length > 0) {
    return (
      `needs ${fields} to compare ${others.map((frame) => frameWords[frame]).join(' and ')} coordinates with a ${frameWords[referenceFrame]} reference; ` +
      `if the model writes the reference's frame, set the reward option "frame" (or "token_frame" for box and point tokens) to "${referenceFrame}"`
    );
  }
  if (referenceFrame === 'resized') return `needs ${fields} to bring the resized frame back to the image`;
  return `needs ${fields} to measure distances in the ${frameWords[referenceFrame]} frame (they are fractions of the image diagonal)`;
}

function resizedSizeFor(reference: VisionReference, options: GeometryOptions, imageSize: ImageSize | undefined): ImageSize {
  if (reference.resizedSize) return reference.resizedSize;
  if (options.resized_size) return { width: options.resized_size[0], height: options.resized_size[1] };
  if (options.smart_resize !== false && imageSize) {
    return qwenSmartResize(imageSize, options.smart_resize === true ? {} : smartResizeSettings(options.smart_resize));
  }
  throw new RewardError(
    'INVALID_REFERENCE',
    'frame "resized" needs the size of the image the model saw: set reference.resized_size, the option resized_size, or the option smart_resize (with the image size known)',
    { path: 'reference.resized_size' },
  );
}

function smartResizeSettings(value: { factor?: number | undefined; min_pixels?: number | undefined; max_pixels?: number | undefined }): {
  factor?: number;
  minPixels?: number;
  maxPixels?: number;
} {
  const out: { factor?: number; minPixels?: number; maxPixels?: number } = {};
  if (value.factor !== undefined) out.factor = value.factor;
  if (value.min_pixels !== undefined) out.minPixels = value.min_pixels;
  if (value.max_pixels !== undefined) out.maxPixels = value.max_pixels;
  return out;
}

/** Whether numbers can be in a frame a completion states: norm1 within [-0.5, 1.5]; grid1000 within [-100, 1100] and not all fractions of 1; pixel not all fractions of 1. */
function fitsFrame(values: readonly number[], frame: Frame): boolean {
  const fractions = values.length > 0 && values.every((value) => value >= 0 && value <= 1) && values.some((value) => !Number.isInteger(value));
  if (frame === 'norm1') return values.every((value) => value >= -0.5 && value <= 1.5);
  if (frame === 'grid1000') return values.every((value) => value >= -100 && value <= 1100) && !fractions;
  return !fractions;
}

function frameWarnings(shapes: ParsedShape[], frameOf: (shape: ParsedShape) => Frame, notes: string[]): void {
  const numbers = shapes.filter((shape) => frameOf(shape) !== 'norm1').flatMap((shape) => shape.values);
  if (numbers.length >= 2 && numbers.every((value) => value >= 0 && value <= 1) && numbers.some((value) => value > 0 && value < 1)) {
    notes.push('every predicted coordinate is within [0, 1]: if the model writes 0-1 coordinates, set the option frame: norm1');
  }
  const normalised = shapes.filter((shape) => frameOf(shape) === 'norm1').flatMap((shape) => shape.values);
  if (normalised.some((value) => value > 1.5)) {
    notes.push('predicted coordinates above 1 in the norm1 frame: check the option frame');
  }
}
