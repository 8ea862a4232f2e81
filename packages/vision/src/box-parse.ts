import { parseLenientJson } from './json-repair.js';

/** The syntax a shape was written in. */
export type ShapeSyntax = 'json' | 'qwen-token' | 'box-tag' | 'point-tag' | 'tuple';

/** A box or point found in a completion, before any frame conversion. */
export interface ParsedShape {
  /** `box` (four numbers) or `point` (two numbers). */
  kind: 'box' | 'point';
  /** The numbers as written: four for a well-formed box, two for a point; any other count is malformed. */
  values: number[];
  /** The label written with it (`"label"`, `<|object_ref_start|>…`, `<ref>…</ref>`), if any. */
  label?: string;
  /** The score or confidence written with it (`"score"`, `"confidence"`), if any. */
  score?: number;
  /** Where it came from: box and point tokens/tags are on the 0-1000 grid by default. */
  syntax: ShapeSyntax;
  /** Character offset in the completion where it starts, >= 0. */
  offset: number;
}

/** Where to look for shapes in a completion. */
export type ExtractMode = 'auto' | 'answer' | 'anywhere';

/** Options of {@link parseShapes}. */
export interface ParseShapesOptions {
  /**
   * `auto` (default): inside the last `<answer>` block when there is one (an unclosed block runs to
   * the end), else anywhere; `answer`: only inside the answer block (none: no shapes); `anywhere`:
   * the whole completion.
   */
  extract?: ExtractMode;
  /** The answer tag's name, without brackets. Default `answer`. */
  answerTag?: string;
  /** Read two adjacent pairs `(x1, y1), (x2, y2)` outside tags as one box (default true) rather than two points. */
  pairsAsBoxes?: boolean;
}

/** What {@link parseShapes} found. */
export interface ParsedShapes {
  /** Every shape, in the order written. */
  shapes: ParsedShape[];
  /** `answer` when an answer block was read, `completion` when the whole text was, `none` when `extract: answer` found no block. */
  region: 'answer' | 'completion' | 'none';
  /** True when some JSON had to be repaired (quotes, literals, truncation) to be read. */
  repaired: boolean;
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const NUMBER_GLOBAL = new RegExp(NUMBER, 'g');
const MAX_JSON_ATTEMPTS = 400;
const MAX_JSON_CHARS = 500_000;

const BOX_KEYS = ['bbox_2d', 'bbox', 'box_2d', 'box', 'position', 'bounding_box', 'boundingbox', 'coordinates', 'coords', 'xyxy'];
const POINT_KEYS = ['point_2d', 'point', 'click', 'coordinate', 'keypoint'];
const LABEL_KEYS = ['label', 'category', 'class', 'name', 'object', 'category_name'];
const SCORE_KEYS = ['score', 'confidence', 'conf', 'probability'];

/**
 * Find every box and point in a completion: JSON (`[{"bbox_2d": [x1, y1, x2, y2], "label": "cat",
 * "score": 0.9}]`, also repaired when quoted the Python way or cut off), bare lists `[x1, y1, x2,
 * y2]` and `[x, y]`, Qwen-VL tokens `<|object_ref_start|>cat<|object_ref_end|><|box_start|>(x1,y1),
 * (x2,y2)<|box_end|>`, `<ref>cat</ref><box>[[x1, y1, x2, y2]]</box>` (InternVL) and `<box>(x1,y1),
 * (x2,y2)</box>` (Qwen-VL), `<point>(x, y)</point>`, and tuples `(x, y)` / `(x1, y1, x2, y2)`.
 * Numbers are returned as written; frames and formats are applied later. Never throws.
 * @param completion the model's output
 */
export function parseShapes(completion: string, options: ParseShapesOptions = {}): ParsedShapes {
  const region = selectRegion(completion, options.extract ?? 'auto', options.answerTag ?? 'answer');
  if (region === undefined) return { shapes: [], region: 'none', repaired: false };
  const { text, offset } = region;
  const consumed: Array<[number, number]> = [];
  const shapes: ParsedShape[] = [];
  const free = (start: number, end: number): boolean => consumed.every(([s, e]) => end <= s || start >= e);
  const take = (start: number, end: number): void => {
    consumed.push([start, end]);
  };

  // 1. Qwen-VL box tokens, with an optional object reference before them.
  tagPass(
    text,
    /(?:<\|object_ref_start\|>([\s\S]*?)<\|object_ref_end\|>\s*)?<\|box_start\|>([\s\S]*?)<\|box_end\|>/g,
    'qwen-token',
    'box',
  );
  // 2. <box> tags (InternVL, Qwen-VL), with an optional <ref> before them.
  tagPass(text, /(?:<ref>([\s\S]*?)<\/ref>\s*)?<box>([\s\S]*?)<\/box>/g, 'box-tag', 'box');
  // 3. <point> tags.
  tagPass(text, /(?:<ref>([\s\S]*?)<\/ref>\s*)?<point>([\s\S]*?)<\/point>/g, 'point-tag', 'point');
  // 4. JSON and bare lists.
  const repaired = jsonPass();
  // 5. Tuples: (x1, y1), (x2, y2) as a box; (x1, y1, x2, y2) as a box; (x, y) as a point.
  tuplePass();

  shapes.sort((a, b) => a.offset - b.offset);
  return { shapes, region: region.kind, repaired };

  function tagPass(source: string, pattern: RegExp, syntax: ShapeSyntax, kind: 'box' | 'point'): void {
    for (const match of source.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!free(start, end)) continue;
      take(start, end);
      const label = match[1]?.trim() || undefined;
      const numbers = numbersIn(match[2] ?? '');
      const size = kind === 'box' ? 4 : 2;
      if (kind === 'box' && numbers.length === 2) {
        shapes.push(shape('point', numbers, syntax, offset + start, label));
      } else if (numbers.length >= size && numbers.length % size === 0) {
        for (let index = 0; index < numbers.length; index += size) {
          shapes.push(shape(kind, numbers.slice(index, index + size), syntax, offset + start, label));
        }
      } else {
        shapes.push(shape(kind, numbers, syntax, offset + start, label));
      }
    }
  }

  function jsonPass(): boolean {
    let anyRepaired = false;
    const closing = matchBrackets(text);
    let attempts = 0;
    let chars = 0;
    for (let start = 0; start < text.length; start++) {
      const char = text[start];
      if (char !== '[' && char !== '{') continue;
      if (attempts >= MAX_JSON_ATTEMPTS || chars >= MAX_JSON_CHARS) break;
      const close = closing[start] ?? -1;
      const end = close >= 0 ? close + 1 : text.length;
      if (!free(start, end)) continue;
      const candidate = text.slice(start, end);
      if (!/\d/.test(candidate)) continue;
      attempts++;
      chars += candidate.length;
      const parsed = parseLenientJson(candidate);
      if (parsed === undefined) continue;
      const found: ParsedShape[] = [];
      collectJson(parsed.value, found, offset + start, 0);
      if (found.length === 0) continue;
      for (const item of found) shapes.push(item); // not push(...found): 250k shapes overflow the stack
      take(start, end);
      anyRepaired ||= parsed.repaired;
      start = end - 1;
    }
    return anyRepaired;
  }

  function tuplePass(): void {
    const pairs = new RegExp(String.raw`\(\s*(${NUMBER})\s*,\s*(${NUMBER})\s*\)\s*,?\s*\(\s*(${NUMBER})\s*,\s*(${NUMBER})\s*\)`, 'g');
    if (options.pairsAsBoxes ?? true) {
      for (const match of text.matchAll(pairs)) {
        const start = match.index;
        const end = start + match[0].length;
        if (!free(start, end)) continue;
        take(start, end);
        shapes.push(shape('box', [1, 2, 3, 4].map((group) => Number(match[group])), 'tuple', offset + start));
      }
    }
    const single = new RegExp(String.raw`\(\s*(${NUMBER})\s*,\s*(${NUMBER})\s*(?:,\s*(${NUMBER})\s*,\s*(${NUMBER})\s*)?\)`, 'g');
    for (const match of text.matchAll(single)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!free(start, end)) continue;
      take(start, end);
      if (match[3] !== undefined) {
        shapes.push(shape('box', [1, 2, 3, 4].map((group) => Number(match[group])), 'tuple', offset + start));
      } else {
        shapes.push(shape('point', [Number(match[1]), Number(match[2])], 'tuple', offset + start));
      }
    }
  }
}

function shape(kind: 'box' | 'point', values: number[], syntax: ShapeSyntax, offset: number, label?: string, score?: number): ParsedShape {
  const out: ParsedShape = { kind, values, syntax, offset };
  if (label !== undefined) out.label = label;
  if (score !== undefined) out.score = score;
  return out;
}

function numbersIn(text: string): number[] {
  return (text.match(NUMBER_GLOBAL) ?? []).map(Number);
}

function selectRegion(
  completion: string,
  extract: ExtractMode,
  tag: string,
): { text: string; offset: number; kind: 'answer' | 'completion' } | undefined {
  if (extract !== 'anywhere') {
    const lower = completion.toLowerCase();
    const open = `<${tag.toLowerCase()}>`;
    const start = lower.lastIndexOf(open);
    if (start >= 0) {
      const from = start + open.length;
      const close = lower.indexOf(`</${tag.toLowerCase()}>`, from);
      return { text: completion.slice(from, close >= 0 ? close : completion.length), offset: from, kind: 'answer' };
    }
    if (extract === 'answer') return undefined;
  }
  return { text: completion, offset: 0, kind: 'completion' };
}

/** For each opening bracket, the index of its closing bracket, or -1 when it is never closed. */
function matchBrackets(text: string): Int32Array {
  const closing = new Int32Array(text.length).fill(-1);
  const stack: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '[' || char === '{') stack.push(index);
    else if (char === ']' || char === '}') {
      const top = stack[stack.length - 1];
      if (top !== undefined && text[top] === (char === ']' ? '[' : '{')) {
        stack.pop();
        closing[top] = index;
      }
    }
  }
  return closing;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && new RegExp(`^\\s*${NUMBER}\\s*$`).test(value)) return Number(value);
  return undefined;
}

function numericArray(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out: number[] = [];
  for (const item of value) {
    const number = toNumber(item);
    if (number === undefined) return undefined;
    out.push(number);
  }
  return out;
}

function field(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const [key, value] of Object.entries(record)) {
    if (keys.includes(key.toLowerCase())) return value;
  }
  return undefined;
}

function collectJson(value: unknown, out: ParsedShape[], offset: number, depth: number): void {
  if (depth > 16) return;
  const numbers = numericArray(value);
  if (numbers) {
    if (numbers.length === 4) out.push(shape('box', numbers, 'json', offset));
    else if (numbers.length === 2) out.push(shape('point', numbers, 'json', offset));
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectJson(item, out, offset, depth + 1);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  const labelValue = field(record, LABEL_KEYS);
  const label = typeof labelValue === 'string' ? labelValue : typeof labelValue === 'number' ? String(labelValue) : undefined;
  const score = toNumber(field(record, SCORE_KEYS));
  const boxValue = field(record, BOX_KEYS);
  if (boxValue !== undefined) {
    const boxNumbers = numericArray(boxValue);
    const nested = Array.isArray(boxValue) && boxValue.length > 0 && boxValue.every((item) => numericArray(item)?.length === 4);
    if (nested) {
      for (const item of boxValue) out.push(shape('box', numericArray(item) as number[], 'json', offset, label, score));
    } else {
      // A malformed box (wrong count, not numbers) still counts as a prediction.
      out.push(shape('box', boxNumbers ?? [], 'json', offset, label, score));
    }
    return;
  }
  const pointValue = field(record, POINT_KEYS);
  if (pointValue !== undefined) {
    out.push(shape('point', numericArray(pointValue) ?? [], 'json', offset, label, score));
    return;
  }
  const corners = ['x1', 'y1', 'x2', 'y2'].map((key) => toNumber(record[key]));
  if (corners.every((item) => item !== undefined)) {
    out.push(shape('box', corners as number[], 'json', offset, label, score));
    return;
  }
  const x = toNumber(record.x);
  const y = toNumber(record.y);
  if (x !== undefined && y !== undefined && record.w === undefined && record.width === undefined) {
    out.push(shape('point', [x, y], 'json', offset, label, score));
    return;
  }
  for (const item of Object.values(record)) {
    if (typeof item === 'object' && item !== null) collectJson(item, out, offset, depth + 1);
  }
}
