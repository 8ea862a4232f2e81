import { basename } from 'node:path';
import { RewardError, silentLogger, type Logger } from '@mixreward/core';
import { loadSession, type RawSession } from '@mixreward/inference';
import { ctcGreedyDecode } from './ctc.js';
import { DB_DEFAULTS, dbPostProcess, sortBoxes, type DbSettings, type Quad } from './db-postprocess.js';
import { decodeImage, type RgbImage } from './decode.js';
import { findOcrFiles, readDictionary, type OcrFileOptions } from './files.js';
import { cropQuad, detectionSize, recognitionTensor, resizeBilinear, REC_HEIGHT } from './resize.js';

/**
 * Where the PP-OCR files are and how to run them.
 * @internal
 */
export interface OcrEngineOptions extends OcrFileOptions {
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
      [det, 'det_model'],
      [rec, 'rec_model'],
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
        throw new RewardError('INVALID_CONFIG', `vision.ocr: ${this.rec.path} must output [batch, steps, classes] probabilities`, { path: 'with.rec_model' });
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
    if (!output || output.dims.length !== 4) throw new RewardError('INVALID_CONFIG', `vision.ocr: ${this.det.path} must output a [1, 1, H, W] probability map`, { path: 'with.det_model' });
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
