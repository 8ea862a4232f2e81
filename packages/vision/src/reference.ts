import { RewardError } from '@mixreward/core';
import { parseShapes } from './box-parse.js';
import { boxFormats, boxProblem, toXyxy, type Box, type BoxFormat, type ImageSize, type Point } from './geometry.js';

/** The frames a reference may be given in. */
export type ReferenceFrame = 'pixel' | 'norm1' | 'grid1000';

/** One ground-truth box: corners in the reference's frame. */
export interface ReferenceBox {
  /** Corners `[x1, y1, x2, y2]` in the reference's frame (converted from its format). */
  box: Box;
  /** Its label, when given. */
  label?: string;
}

/** One ground-truth point in the reference's frame. */
export interface ReferencePoint {
  /** `[x, y]` in the reference's frame. */
  point: Point;
  /** Its label, when given. */
  label?: string;
}

/**
 * A vision reference, validated:
 * `{"boxes": [[x1,y1,x2,y2], …] | [{"bbox": […], "label": "cat"}], "points"?: [[x, y], …],
 * "format"?: "xyxy", "frame"?: "pixel" | "norm1" | "grid1000", "image_size"?: [w, h], "count"?: n}`.
 */
export interface VisionReference {
  /** Ground-truth boxes, corners in `frame`. */
  boxes: ReferenceBox[];
  /** Ground-truth points in `frame`. */
  points: ReferencePoint[];
  /** The layout the boxes were given in. Default `xyxy`. */
  format: BoxFormat;
  /** The frame of the numbers. Default `pixel`. */
  frame: ReferenceFrame;
  /** The original image size in pixels, when given. */
  imageSize?: ImageSize;
  /** The size of the image the model saw (for the `resized` prediction frame), when given. */
  resizedSize?: ImageSize;
  /** An explicit count (for `vision.count`), >= 0, when given. */
  count?: number;
  /** True when the reference named `boxes` or `points` (possibly empty), false for a bare count. */
  hasShapes: boolean;
}

const REFERENCE_FRAMES: readonly ReferenceFrame[] = ['pixel', 'norm1', 'grid1000'];

function invalid(path: string, message: string): RewardError {
  return new RewardError('INVALID_REFERENCE', `reference${path}: ${message}`, { path: `reference${path}` });
}

/**
 * Validate a vision reference. Also accepted: a bare list of boxes (`[[x1,y1,x2,y2], …]`), a single
 * box (`[x1,y1,x2,y2]`), a JSON string of any of these, a string in any syntax {@link parseShapes}
 * reads, and a bare number (a count).
 * @throws RewardError `INVALID_REFERENCE` naming the field at fault
 */
export function parseReference(raw: unknown): VisionReference {
  if (typeof raw === 'string') return parseStringReference(raw);
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 0) throw invalid('', `a count must be a whole number >= 0, got ${raw}`);
    return { boxes: [], points: [], format: 'xyxy', frame: 'pixel', count: raw, hasShapes: false };
  }
  if (Array.isArray(raw)) {
    if (raw.length > 0 && raw.every((item) => typeof item === 'number')) return parseReference({ boxes: [raw] });
    return parseReference({ boxes: raw });
  }
  if (typeof raw !== 'object' || raw === null) throw invalid('', `expected an object with "boxes" or "points", got ${raw === null ? 'null' : typeof raw}`);
  const record = raw as Record<string, unknown>;
  const format = record.format ?? 'xyxy';
  if (typeof format !== 'string' || !(boxFormats as readonly string[]).includes(format)) {
    throw invalid('.format', `expected one of ${boxFormats.join(', ')}, got ${JSON.stringify(format)}`);
  }
  const frame = record.frame ?? 'pixel';
  if (typeof frame !== 'string' || !(REFERENCE_FRAMES as readonly string[]).includes(frame)) {
    throw invalid('.frame', `expected one of ${REFERENCE_FRAMES.join(', ')}, got ${JSON.stringify(frame)}`);
  }
  const reference: VisionReference = {
    boxes: [],
    points: [],
    format: format as BoxFormat,
    frame: frame as ReferenceFrame,
    hasShapes: record.boxes !== undefined || record.points !== undefined,
  };
  const imageSize = record.image_size ?? record.imageSize;
  if (imageSize !== undefined && imageSize !== null) reference.imageSize = parseSize(imageSize, '.image_size');
  const resizedSize = record.resized_size ?? record.resizedSize;
  if (resizedSize !== undefined && resizedSize !== null) reference.resizedSize = parseSize(resizedSize, '.resized_size');
  if (record.count !== undefined) {
    const count = record.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw invalid('.count', `expected a whole number >= 0, got ${JSON.stringify(count)}`);
    reference.count = count;
  }
  if (record.boxes !== undefined) {
    if (!Array.isArray(record.boxes)) throw invalid('.boxes', 'expected a list of boxes');
    record.boxes.forEach((entry, index) => reference.boxes.push(parseBoxEntry(entry, `.boxes[${index}]`, reference.format)));
  }
  if (record.points !== undefined) {
    if (!Array.isArray(record.points)) throw invalid('.points', 'expected a list of points');
    record.points.forEach((entry, index) => reference.points.push(parsePointEntry(entry, `.points[${index}]`)));
  }
  if (!reference.hasShapes && reference.count === undefined) throw invalid('', 'expected "boxes", "points" or "count"');
  return reference;
}

function parseStringReference(raw: string): VisionReference {
  const trimmed = raw.trim();
  if (trimmed === '') throw invalid('', 'is an empty string');
  try {
    return parseReference(JSON.parse(trimmed) as unknown);
  } catch (error) {
    if (RewardError.isInstance(error)) throw error;
  }
  if (/^\d+$/.test(trimmed)) return parseReference(Number(trimmed));
  const parsed = parseShapes(trimmed, { extract: 'auto' });
  if (parsed.shapes.length === 0) throw invalid('', `no box, point or count found in the string ${JSON.stringify(trimmed.slice(0, 80))}`);
  const tokens = parsed.shapes.every((item) => item.syntax !== 'json' && item.syntax !== 'tuple');
  const boxes = parsed.shapes
    .filter((item) => item.kind === 'box')
    .map((item) => {
      const values = item.format !== undefined && item.values.length === 4 ? toXyxy(item.values, item.format) : item.values;
      return item.label === undefined ? values : { bbox: values, label: item.label };
    });
  const points = parsed.shapes.filter((item) => item.kind === 'point').map((item) => (item.label === undefined ? item.values : { point: item.values, label: item.label }));
  return parseReference({ boxes, points, frame: tokens ? 'grid1000' : 'pixel' });
}

function parseSize(value: unknown, path: string): ImageSize {
  let width: unknown;
  let height: unknown;
  if (Array.isArray(value) && value.length === 2) [width, height] = value;
  else if (typeof value === 'object' && value !== null) ({ width, height } = value as { width?: unknown; height?: unknown });
  if (typeof width !== 'number' || typeof height !== 'number' || !(width > 0) || !(height > 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
    throw invalid(path, `expected [width, height] in pixels (> 0), got ${JSON.stringify(value)}`);
  }
  return { width, height };
}

function numbers(value: unknown, count: number, path: string): number[] {
  if (!Array.isArray(value) || value.length !== count || !value.every((item) => typeof item === 'number' && Number.isFinite(item))) {
    throw invalid(path, `expected ${count} finite numbers, got ${JSON.stringify(value)}`);
  }
  return value as number[];
}

function labelOf(record: Record<string, unknown>, path: string): string | undefined {
  const label = record.label ?? record.category ?? record.class ?? record.name;
  if (label === undefined || label === null) return undefined;
  if (typeof label !== 'string' && typeof label !== 'number') throw invalid(`${path}.label`, 'expected a string');
  return String(label);
}

function parseBoxEntry(entry: unknown, path: string, format: BoxFormat): ReferenceBox {
  let values: number[];
  let label: string | undefined;
  if (Array.isArray(entry)) values = numbers(entry, 4, path);
  else if (typeof entry === 'object' && entry !== null) {
    const record = entry as Record<string, unknown>;
    const key = ['bbox', 'bbox_2d', 'box', 'box_2d', 'Position', 'position'].find((name) => record[name] !== undefined);
    if (key === undefined) throw invalid(path, 'expected "bbox": [x1, y1, x2, y2]');
    values = numbers(record[key], 4, `${path}.${key}`);
    label = labelOf(record, path);
  } else throw invalid(path, `expected a box, got ${JSON.stringify(entry)}`);
  const box = toXyxy(values, format);
  const problem = boxProblem(box);
  if (problem !== undefined) throw invalid(path, problem);
  return label === undefined ? { box } : { box, label };
}

function parsePointEntry(entry: unknown, path: string): ReferencePoint {
  if (Array.isArray(entry)) {
    const [x, y] = numbers(entry, 2, path) as [number, number];
    return { point: [x, y] };
  }
  if (typeof entry === 'object' && entry !== null) {
    const record = entry as Record<string, unknown>;
    const key = ['point', 'point_2d'].find((name) => record[name] !== undefined);
    if (key === undefined) throw invalid(path, 'expected "point": [x, y]');
    const [x, y] = numbers(record[key], 2, `${path}.${key}`) as [number, number];
    const label = labelOf(record, path);
    return label === undefined ? { point: [x, y] } : { point: [x, y], label };
  }
  throw invalid(path, `expected a point, got ${JSON.stringify(entry)}`);
}
