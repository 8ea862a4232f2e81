import type { BoxFormat } from './geometry.js';
import { parseLenientJson } from './json-repair.js';

/**
 * The syntax a shape was written in: `json` (JSON and bare lists, keyed objects included),
 * `qwen-token` (`<|box_start|>`), `box-tag` / `point-tag` (`<box>`, `<point>`), `tuple`
 * (`(x1, y1), (x2, y2)`, `(x1, y1, x2, y2)`, `(x, y)`), `corners` (corners named in words: "from
 * top-left (40, 12) to bottom-right (96, 70)").
 */
export type ShapeSyntax = 'json' | 'qwen-token' | 'box-tag' | 'point-tag' | 'tuple' | 'corners';

/**
 * A coordinate frame or box layout the completion states in words next to a box ("Normalised box:",
 * "In pixel coordinates", "(coordinates scaled to 1000)", "format xywh", "Center format (cx, cy, w,
 * h)"), or in a heading over a list of boxes ("Normalized coordinates:").
 */
export interface StatedConvention {
  /** The frame stated, when one is stated unambiguously. */
  frame?: 'pixel' | 'norm1' | 'grid1000';
  /** The box layout stated, when one is stated unambiguously. */
  format?: BoxFormat;
  /** The words that state it, as written (for the reason). */
  phrase: string;
  /** Where the words are: before the box on its line, after it, in a heading line over a list, or in a note line under it. */
  where: 'before' | 'after' | 'heading' | 'note';
}

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
  /**
   * The layout of `values` when the syntax itself fixes it (keyed objects such as `{"x", "y",
   * "width", "height"}` are `xywh`; `xmin/ymin/xmax/ymax`, `left/top/right/bottom` and named
   * corners are `xyxy`); absent when the layout is the reader's choice (bare lists).
   */
  format?: BoxFormat;
  /** A frame or layout the text next to the shape states (see {@link StatedConvention}); absent when none is stated. */
  stated?: StatedConvention;
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
  /** Read two adjacent pairs `(x1, y1), (x2, y2)` (or "from (x1, y1) to (x2, y2)") outside tags as one box (default true) rather than two points. */
  pairsAsBoxes?: boolean;
  /** Look for a frame or layout stated in words next to each shape (default true); see {@link StatedConvention}. */
  statedConventions?: boolean;
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
const RANGE = String.raw`\[\s*0(?:\.0+)?\s*,\s*(?:1(?:\.0+)?|1000)\s*\]`;
const FRAME_RANGE = new RegExp(
  String.raw`${RANGE}(?=\s*(?:grid|range|scale|space|coordinates|coords|frame|system|interval))|(?<=\b(?:in|on|to|within|range|scale|grid|normali[sz]ed|between|of)\s+(?:the\s+|a\s+)?)${RANGE}`,
  'gi',
);
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
  // The text already read, as sorted disjoint intervals [starts[i], ends[i]): a lookup is a binary
  // search, so 250k shapes stay linearithmic (checking every span before was quadratic).
  const starts: number[] = [];
  const ends: number[] = [];
  const lastStartingBefore = (position: number): number => {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((starts[middle] as number) < position) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  };
  const shapes: ParsedShape[] = [];
  const spans = new Map<ParsedShape, [number, number]>();
  const free = (start: number, end: number): boolean => {
    const index = lastStartingBefore(end);
    return index < 0 || (ends[index] as number) <= start;
  };
  const take = (start: number, end: number): void => {
    const last = lastStartingBefore(end);
    let first = last;
    let mergedStart = start;
    let mergedEnd = end;
    while (first >= 0 && (ends[first] as number) > mergedStart) {
      mergedStart = Math.min(mergedStart, starts[first] as number);
      mergedEnd = Math.max(mergedEnd, ends[first] as number);
      first--;
    }
    starts.splice(first + 1, last - first, mergedStart);
    ends.splice(first + 1, last - first, mergedEnd);
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
  // 4. Corners named in words: "from top-left (40, 12) to bottom-right (96, 70)".
  cornerPass();
  // A range that names a frame ("on the [0, 1000] grid", "in [0, 1]") is words, not a point.
  for (const match of text.matchAll(FRAME_RANGE)) take(match.index, match.index + match[0].length);
  // 5. JSON and bare lists, keyed objects ({"x", "y", "width", "height"}, {"xmin", …}, {"left", …}).
  const repaired = jsonPass();
  // 6. Tuples: (x1, y1), (x2, y2) as a box; (x1, y1, x2, y2) as a box; (x, y) as a point.
  tuplePass();

  shapes.sort((a, b) => a.offset - b.offset);
  if (options.statedConventions ?? true) attachStatedConventions(text, shapes, spans);
  return { shapes, region: region.kind, repaired };

  function push(item: ParsedShape, start: number, end: number): void {
    shapes.push(item);
    spans.set(item, [start, end]);
  }

  function cornerPass(): void {
    const pair = String.raw`[(\[]\s*(${NUMBER})\s*,\s*(${NUMBER})\s*[)\]]`;
    const corner = String.raw`(top|upper|bottom|lower)[\s_-]*(left|right)(?:[\s_-]*(?:corner|point))?(?:\s+(?:is|at|=))?\s*[:=]?\s*`;
    const pattern = new RegExp(String.raw`(?:from\s+)?(?:the\s+)?${corner}${pair}\s*[,;]?\s*(?:(?:and|to|through|until|→|->|-)\s+)?(?:the\s+)?${corner}${pair}`, 'gi');
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!free(start, end)) continue;
      const first = cornerOf(match[1] as string, match[2] as string, Number(match[3]), Number(match[4]));
      const second = cornerOf(match[5] as string, match[6] as string, Number(match[7]), Number(match[8]));
      if (first.vertical === second.vertical || first.horizontal === second.horizontal) continue; // not opposite corners
      take(start, end);
      const left = first.horizontal === 'left' ? first.x : second.x;
      const right = first.horizontal === 'right' ? first.x : second.x;
      const top = first.vertical === 'top' ? first.y : second.y;
      const bottom = first.vertical === 'bottom' ? first.y : second.y;
      const item = shape('box', [left, top, right, bottom], 'corners', offset + start);
      item.format = 'xyxy';
      push(item, start, end);
    }
    if (!(options.pairsAsBoxes ?? true)) return;
    // "from (40, 12) to (96, 70)": two points joined by from … to read as corners, like adjacent pairs.
    const fromTo = new RegExp(String.raw`\bfrom\s+${pair}\s*(?:to|until|through|→|->)\s*${pair}`, 'gi');
    for (const match of text.matchAll(fromTo)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!free(start, end)) continue;
      take(start, end);
      push(shape('box', [1, 2, 3, 4].map((group) => Number(match[group])), 'tuple', offset + start), start, end);
    }
  }

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
        push(shape('point', numbers, syntax, offset + start, label), start, end);
      } else if (numbers.length >= size && numbers.length % size === 0) {
        for (let index = 0; index < numbers.length; index += size) {
          push(shape(kind, numbers.slice(index, index + size), syntax, offset + start, label), start, end);
        }
      } else {
        push(shape(kind, numbers, syntax, offset + start, label), start, end);
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
      for (const item of found) push(item, start, end); // one at a time: push(...found) overflows the stack on 250k shapes
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
        push(shape('box', [1, 2, 3, 4].map((group) => Number(match[group])), 'tuple', offset + start), start, end);
      }
    }
    const single = new RegExp(String.raw`\(\s*(${NUMBER})\s*,\s*(${NUMBER})\s*(?:,\s*(${NUMBER})\s*,\s*(${NUMBER})\s*)?\)`, 'g');
    for (const match of text.matchAll(single)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!free(start, end)) continue;
      take(start, end);
      if (match[3] !== undefined) {
        push(shape('box', [1, 2, 3, 4].map((group) => Number(match[group])), 'tuple', offset + start), start, end);
      } else {
        push(shape('point', [Number(match[1]), Number(match[2])], 'tuple', offset + start), start, end);
      }
    }
  }
}

function cornerOf(vertical: string, horizontal: string, x: number, y: number): { vertical: 'top' | 'bottom'; horizontal: 'left' | 'right'; x: number; y: number } {
  const v = vertical.toLowerCase();
  return { vertical: v === 'top' || v === 'upper' ? 'top' : 'bottom', horizontal: horizontal.toLowerCase() === 'left' ? 'left' : 'right', x, y };
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
    const keyedInside = typeof boxValue === 'object' && boxValue !== null && !Array.isArray(boxValue) ? keyedBox(boxValue as Record<string, unknown>) : undefined;
    if (keyedInside) {
      out.push(keyedShape(keyedInside, offset, label, score));
      return;
    }
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
  const keyed = keyedBox(record);
  if (keyed) {
    out.push(keyedShape(keyed, offset, label, score));
    return;
  }
  const x = toNumber(record.x);
  const y = toNumber(record.y);
  const sized = ['w', 'h', 'width', 'height'].some((key) => record[key] !== undefined);
  if (x !== undefined && y !== undefined && !sized) {
    out.push(shape('point', [x, y], 'json', offset, label, score));
    return;
  }
  if ((x !== undefined || y !== undefined) && sized) {
    // {"x", "y", "width"} without "height": a box that is not well formed still counts as a prediction.
    const item = shape('box', [x, y, toNumber(record.width ?? record.w), toNumber(record.height ?? record.h)].filter((value) => value !== undefined), 'json', offset, label, score);
    item.format = 'xywh';
    out.push(item);
    return;
  }
  for (const item of Object.values(record)) {
    if (typeof item === 'object' && item !== null) collectJson(item, out, offset, depth + 1);
  }
}

/** Keyed box layouts: the keys (lower case, `-` and spaces as `_`) and the layout they fix, first match wins. */
const KEYED_LAYOUTS: ReadonlyArray<{ keys: ReadonlyArray<readonly string[]>; format: BoxFormat }> = [
  { keys: [['x1'], ['y1'], ['x2'], ['y2']], format: 'xyxy' },
  { keys: [['xmin', 'x_min', 'min_x', 'minx'], ['ymin', 'y_min', 'min_y', 'miny'], ['xmax', 'x_max', 'max_x', 'maxx'], ['ymax', 'y_max', 'max_y', 'maxy']], format: 'xyxy' },
  { keys: [['left', 'l'], ['top', 't'], ['right', 'r'], ['bottom', 'b']], format: 'xyxy' },
  { keys: [['x0'], ['y0'], ['x1'], ['y1']], format: 'xyxy' },
  { keys: [['cx', 'x_center', 'center_x', 'centre_x', 'x_centre', 'xc'], ['cy', 'y_center', 'center_y', 'centre_y', 'y_centre', 'yc'], ['w', 'width'], ['h', 'height']], format: 'cxcywh' },
  { keys: [['x', 'left'], ['y', 'top'], ['w', 'width'], ['h', 'height']], format: 'xywh' },
];

/** Corner pairs written as keys: `{"top_left": [x, y], "bottom_right": [x, y]}`. */
const CORNER_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['top_left', 'bottom_right'],
  ['topleft', 'bottomright'],
  ['upper_left', 'lower_right'],
  ['tl', 'br'],
];

/** A box written as an object of named coordinates, with the layout its keys fix; undefined when the keys name no box. */
function keyedBox(record: Record<string, unknown>): { values: number[]; format: BoxFormat } | undefined {
  const lower = new Map<string, unknown>();
  for (const [key, value] of Object.entries(record)) lower.set(key.toLowerCase().replace(/[\s-]+/g, '_'), value);
  for (const [first, second] of CORNER_KEYS) {
    const a = numericArray(lower.get(first));
    const b = numericArray(lower.get(second));
    if (a?.length === 2 && b?.length === 2) return { values: [a[0] as number, a[1] as number, b[0] as number, b[1] as number], format: 'xyxy' };
  }
  for (const layout of KEYED_LAYOUTS) {
    const values: number[] = [];
    for (const names of layout.keys) {
      const name = names.find((candidate) => lower.has(candidate));
      const value = name === undefined ? undefined : toNumber(lower.get(name));
      if (value === undefined) break;
      values.push(value);
    }
    if (values.length === 4) return { values, format: layout.format };
  }
  return undefined;
}

function keyedShape(keyed: { values: number[]; format: BoxFormat }, offset: number, label: string | undefined, score: number | undefined): ParsedShape {
  const item = shape('box', keyed.values, 'json', offset, label, score);
  item.format = keyed.format;
  return item;
}

interface ConventionRule {
  pattern: RegExp;
  frame?: StatedConvention['frame'];
  format?: BoxFormat;
}

// Order matters: a rule's match is blanked out before later rules run ("normalised to 0-1000" is
// grid1000, never also norm1; "un-normalised" is pixel, never norm1). Rules with neither frame nor
// format only blank out a phrase that states nothing ("not in pixels").
const FRAME_RULES: readonly ConventionRule[] = [
  { pattern: /\bnot\s+(?:in\s+)?(?:pixels?|absolute)\b|\bnon[- ]?pixel\b/gi },
  { pattern: /\b(?:un|non)[- ]?normali[sz]ed\b|\bnot\s+(?:normali[sz]ed|relative)\b|\babsolute\s+(?:pixel\s+)?(?:coordinates|coords|positions?|values)\b/gi, frame: 'pixel' },
  {
    pattern:
      /\b(?:scaled|normali[sz]ed|relative|quantized|mapped|resized)\s+(?:to|on(?:to)?|in)\s+(?:(?:a|the)\s+)?(?:\[\s*0\s*,\s*1000\s*\]|\(\s*0\s*,\s*1000\s*\)|0\s*(?:-|–|~|to)\s*1000|1000(?:\s*[x×]\s*1000)?)(?![\d.])|\[\s*0\s*,\s*1000\s*\]|\b0\s*(?:-|–|~|to)\s*1000\b|\bout\s+of\s+1000\b|\b1000\s*[x×]\s*1000\s+(?:grid|scale|space)\b|\bthousandths\b|\bper[- ]?mille\b/gi,
    frame: 'grid1000',
  },
  {
    pattern:
      /\bnormali[sz]ed\b|\brelative\s+(?:coordinates|coords|positions?|values)\b|\bfractions?\s+of\s+(?:the\s+)?(?:image|width|height|size)\b|\[\s*0(?:\.0+)?\s*,\s*1(?:\.0+)?\s*\]|\b0\s*(?:-|–|to)\s*1(?![\d.])|\bscaled\s+to\s+1(?![\d.])/gi,
    frame: 'norm1',
  },
  { pattern: /\bpixels?\b|\bpx\b|\babsolute\b/gi, frame: 'pixel' },
];

const FORMAT_RULES: readonly ConventionRule[] = [
  {
    pattern:
      /\bcxcywh\b|\bcx\s*,\s*cy\s*,\s*w(?:idth)?\s*,\s*h(?:eight)?\b|\b(?:x_?cent(?:er|re)|cent(?:er|re)_?x)\s*,\s*(?:y_?cent(?:er|re)|cent(?:er|re)_?y)\b|\bcent(?:er|re)[\s_-]*(?:format|based|coordinates)\b|\bcent(?:er|re)\s+(?:point\s+)?(?:plus|and|with|\+)\s+(?:the\s+)?(?:width|size)\b/gi,
    format: 'cxcywh',
  },
  {
    pattern:
      /\bxywh\b|\bx\s*,\s*y\s*,\s*w(?:idth)?\s*,\s*h(?:eight)?\b|\bleft\s*,\s*top\s*,\s*width\s*,\s*height\b|\btop[\s-]*left(?:\s+corner)?\s+(?:point\s+)?(?:plus|and|with|\+)\s+(?:the\s+)?(?:width|size)\b/gi,
    format: 'xywh',
  },
  {
    pattern:
      /\bxyxy\b|\bx_?1\s*,\s*y_?1\s*,\s*x_?2\s*,\s*y_?2\b|\bx_?min\s*,\s*y_?min\s*,\s*x_?max\s*,\s*y_?max\b|\bleft\s*,\s*top\s*,\s*right\s*,\s*bottom\b|\btop[\s-]*left\s+(?:and|to)\s+(?:the\s+)?bottom[\s-]*right\b/gi,
    format: 'xyxy',
  },
];

/** What a piece of text states: every frame and layout it names, with the words. */
function conventionsIn(text: string): { frames: Map<NonNullable<StatedConvention['frame']>, string>; formats: Map<BoxFormat, string> } {
  const frames = new Map<NonNullable<StatedConvention['frame']>, string>();
  const formats = new Map<BoxFormat, string>();
  let rest = text;
  for (const rule of [...FRAME_RULES, ...FORMAT_RULES]) {
    rest = rest.replace(rule.pattern, (phrase) => {
      if (rule.frame && !frames.has(rule.frame)) frames.set(rule.frame, phrase.trim());
      if (rule.format && !formats.has(rule.format)) formats.set(rule.format, phrase.trim());
      return ' '.repeat(phrase.length);
    });
  }
  return { frames, formats };
}

const LIST_MARKER = /^\s*(?:[-*•+]|\d+[.)])\s+/;
const MAX_CONTEXT_CHARS = 200;
const CODE_FENCE = /^\s*(?:```|~~~)/;
const FOOTNOTE_SUBJECT = /\b(?:coordinates|coords|boxes|box|bbox(?:es)?|points?|values|numbers)\b/i;

/**
 * Attach to each shape the frame and layout stated next to it. Each dimension (frame, layout) is
 * taken from the first place that states it, in this order: the text before the shape on its line
 * (back to the previous shape, from that shape's clause end), the clause after it on its line, a
 * heading line over the list the shape is in (a line without shapes ending in ":" or starting with
 * "#"), a note line right under the list that speaks of coordinates or boxes. A place that names two
 * different frames (or layouts) states nothing for that dimension.
 */
function attachStatedConventions(text: string, shapes: ParsedShape[], spans: Map<ParsedShape, [number, number]>): void {
  const ordered = [...new Set([...spans.values()].map(([start, end]) => `${start}:${end}`))]
    .map((key) => key.split(':').map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const lineOf = (position: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] as number) <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const lineText = (line: number): string => text.slice(lineStarts[line], (lineStarts[line + 1] ?? text.length + 1) - 1);
  const linesWithShapes = new Set(ordered.flatMap(([start, end]) => {
    const lines: number[] = [];
    for (let line = lineOf(start); line <= lineOf(Math.max(start, end - 1)); line++) lines.push(line);
    return lines;
  }));
  const indexOf = new Map(ordered.map(([start, end], index) => [`${start}:${end}`, index]));
  // The heading over each line: a line with no box ending in ":" (or a Markdown heading, or a bold
  // line), reached over empty, list, code-fence and box lines only; computed once per line, top to bottom.
  const headings: string[] = [];
  const headingOf = (line: number): string => {
    for (let current = headings.length; current <= line; current++) {
      if (current === 0) {
        headings.push('');
        continue;
      }
      const above = lineText(current - 1);
      const head = above.slice(0, MAX_CONTEXT_CHARS);
      const tail = above.slice(-MAX_CONTEXT_CHARS);
      const passable = head.trim() === '' || linesWithShapes.has(current - 1) || CODE_FENCE.test(head) || (LIST_MARKER.test(head) && !/:\s*$/.test(tail));
      if (passable) headings.push(headings[current - 1] as string);
      else if (/:\s*$/.test(tail) || /^\s*#{1,6}\s/.test(head) || /^\s*\*\*[^*]+\*\*\s*:?\s*$/.test(head)) headings.push(head);
      else headings.push('');
    }
    return headings[line] as string;
  };
  // The note under each line's list: the first line below, past empty, list, code-fence and box
  // lines, that has no box and speaks of coordinates or boxes ("The coordinates are normalized.").
  const footers: string[] = new Array<string>(lineStarts.length);
  const footerOf = (line: number): string => {
    if (footers[line] !== undefined) return footers[line] as string;
    let current = line + 1;
    const passed: number[] = [line];
    let found = '';
    for (; current < lineStarts.length; current++) {
      if (footers[current] !== undefined && linesWithShapes.has(current)) {
        found = footers[current] as string;
        break;
      }
      const below = lineText(current).slice(0, MAX_CONTEXT_CHARS);
      if (below.trim() === '' || linesWithShapes.has(current) || CODE_FENCE.test(below) || (LIST_MARKER.test(below) && linesWithShapes.has(current))) {
        if (linesWithShapes.has(current)) passed.push(current);
        continue;
      }
      if (FOOTNOTE_SUBJECT.test(below)) found = below;
      break;
    }
    for (const item of passed) footers[item] = found;
    return found;
  };
  const said = new Map<string, ReturnType<typeof conventionsIn>>();
  const conventionsOf = (words: string): ReturnType<typeof conventionsIn> => {
    let found = said.get(words);
    if (!found) {
      found = conventionsIn(words);
      said.set(words, found);
    }
    return found;
  };
  const cache = new Map<string, StatedConvention | undefined>();
  for (const item of shapes) {
    const span = spans.get(item);
    if (!span) continue;
    const key = `${span[0]}:${span[1]}`;
    if (!cache.has(key)) cache.set(key, statedFor(span));
    const stated = cache.get(key);
    if (stated) item.stated = stated;
  }

  function statedFor([start, end]: [number, number]): StatedConvention | undefined {
    const index = indexOf.get(`${start}:${end}`) ?? -1;
    const previous = ordered[index - 1];
    const next = ordered[index + 1];
    const line = lineOf(start);
    const lineStart = lineStarts[line] as number;
    let before: string;
    if (previous && previous[1] > lineStart) {
      const between = text.slice(previous[1], start);
      const cut = between.search(/[,;.:]\s/);
      before = cut >= 0 ? between.slice(cut + 1) : '';
    } else before = text.slice(lineStart, start);
    // Only the sentence the shape is in: "The image is 640 pixels wide. Normalised box: [...]".
    const sentences = before.split(/[.;!?](?:\s|$)/);
    before = sentences[sentences.length - 1] ?? '';
    const lastLine = lineOf(Math.max(start, end - 1));
    const lineEnd = (lineStarts[lastLine + 1] ?? text.length + 1) - 1;
    const nextOnLine = next !== undefined && next[0] < lineEnd;
    let after = text.slice(end, nextOnLine ? (next as [number, number])[0] : lineEnd);
    // Up to the end of the sentence; up to the end of the clause when another box follows on the line.
    const clauseEnd = after.search(nextOnLine ? /[,;]|\.(?:\s|$)/ : /;|\.(?:\s|$)/);
    if (clauseEnd >= 0) after = after.slice(0, clauseEnd);
    const heading = headingOf(line);
    // Bounded: only the words nearest the box are read.
    const places: Array<[StatedConvention['where'], string]> = [
      ['before', before.slice(-MAX_CONTEXT_CHARS)],
      ['after', after.slice(0, MAX_CONTEXT_CHARS)],
      ['heading', heading],
      ['note', footerOf(lastLine)],
    ];
    const stated: Partial<StatedConvention> = {};
    const phrases: string[] = [];
    const wheres = new Set<StatedConvention['where']>();
    for (const [where, words] of places) {
      if (words.trim() === '') continue;
      const found = conventionsOf(words);
      if (stated.frame === undefined && found.frames.size === 1) {
        const [[frame, phrase]] = [...found.frames] as [[NonNullable<StatedConvention['frame']>, string]];
        stated.frame = frame;
        phrases.push(phrase);
        wheres.add(where);
      }
      if (stated.format === undefined && found.formats.size === 1) {
        const [[format, phrase]] = [...found.formats] as [[BoxFormat, string]];
        stated.format = format;
        phrases.push(phrase);
        wheres.add(where);
      }
      if (found.frames.size > 1 || found.formats.size > 1) break; // contradictory words: look no further
    }
    if (stated.frame === undefined && stated.format === undefined) return undefined;
    const result: StatedConvention = { phrase: [...new Set(phrases)].join('; '), where: [...wheres][0] as StatedConvention['where'] };
    if (stated.frame !== undefined) result.frame = stated.frame;
    if (stated.format !== undefined) result.format = stated.format;
    return result;
  }
}
