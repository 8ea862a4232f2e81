import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RewardError } from '@mixreward/core';
import { z } from 'zod';

/** CLIP's per-channel pixel mean (RGB, after scaling to [0, 1]). */
export const CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
/** CLIP's per-channel pixel standard deviation (RGB, after scaling to [0, 1]). */
export const CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

const rgb = z.tuple([z.number(), z.number(), z.number()]);

/** How images are turned into tensors (sharp decodes; NCHW float32, RGB). */
export const imageSettingsSchema = z
  .object({
    model: z.string().min(1).optional().describe('ONNX file of the image tower (clip: default vision_model.onnx; image-embedding: the top-level model)'),
    output: z.string().min(1).optional().describe('output name of the image tower (default: its first output)'),
    size: z.number().int().min(1).default(224).describe('side of the square input in pixels'),
    mean: rgb.default(CLIP_MEAN).describe('per-channel mean subtracted after scaling to [0, 1]'),
    std: rgb.default(CLIP_STD).describe('per-channel standard deviation divided by after subtracting the mean'),
    resize: z.enum(['cover', 'fill']).default('cover').describe('cover: resize the shortest edge to size, then centre crop (CLIP); fill: stretch to size x size'),
  })
  .strict();

/** How step scores are read (kind step-score). */
export const stepSettingsSchema = z
  .object({
    mode: z.enum(['separator', 'prefix']).default('separator').describe('separator: one pass, scores read at each separator token; prefix: one pass per step prefix, sequence score'),
    token: z.string().min(1).optional().describe('separator mode: the token placed after each step and read (must be one token of the tokenizer)'),
    join: z.string().default('\n').describe('text placed between the prompt and the steps, and between steps'),
    label: z.union([z.string().min(1), z.number().int().min(0)]).optional().describe('which label is the step score (name or index); default the last label'),
  })
  .strict();

/** The text tower of a two-tower (clip) model. */
export const textTowerSchema = z
  .object({
    model: z.string().min(1).default('text_model.onnx').describe('ONNX file of the text tower'),
    output: z.string().min(1).optional().describe('output name of the text tower (default: its first output)'),
  })
  .strict();

/**
 * The `manifest.json` of a model folder: what the model is and how to feed it. Every field but
 * `kind` has a default, so a manifest for a model exported with optimum is a few lines.
 */
export const manifestSchema = z
  .object({
    kind: z
      .enum(['sequence-score', 'embedding', 'text-embedding', 'image-embedding', 'clip', 'step-score'])
      .describe('what the model is'),
    name: z.string().optional().describe('a display name'),
    description: z.string().optional().describe('free text'),
    source: z.string().optional().describe('where the weights came from (a model id, a URL), informational'),
    model: z.string().min(1).default('model.onnx').describe('ONNX file, relative to the folder'),
    tokenizer: z.string().min(1).default('tokenizer.json').describe('Hugging Face tokenizer.json, relative to the folder'),
    tokenizer_config: z.string().min(1).default('tokenizer_config.json').describe('optional tokenizer_config.json, relative to the folder'),
    inputs: z
      .object({
        input_ids: z.string().min(1).default('input_ids'),
        attention_mask: z.string().min(1).default('attention_mask'),
        token_type_ids: z.string().min(1).default('token_type_ids'),
        position_ids: z.string().min(1).default('position_ids'),
        pixel_values: z.string().min(1).default('pixel_values'),
      })
      .strict()
      .default({ input_ids: 'input_ids', attention_mask: 'attention_mask', token_type_ids: 'token_type_ids', position_ids: 'position_ids', pixel_values: 'pixel_values' })
      .describe('graph input names; inputs the graph does not have are not fed'),
    output: z.string().min(1).optional().describe('output name to read (default: the first output of the graph)'),
    max_length: z.number().int().min(2).default(512).describe('maximum tokens per sequence, special tokens included'),
    truncation: z.enum(['right', 'left', 'none']).default('right').describe('which end is cut past max_length; none: a longer text is an error'),
    padding: z
      .object({
        side: z.enum(['right', 'left']).default('right'),
        token_id: z.number().int().min(0).optional().describe('pad id (default: tokenizer_config pad_token, else 0)'),
      })
      .strict()
      .default({ side: 'right' }),
    activation: z.enum(['none', 'sigmoid', 'softmax']).default('none').describe('applied to each output row (softmax over labels)'),
    labels: z.array(z.string().min(1)).min(1).optional().describe('one name per output column (default label_0, label_1, …)'),
    pooling: z.enum(['mean', 'cls']).default('mean').describe('for [batch, sequence, hidden] outputs: attention-masked mean, or the first token'),
    normalize: z.boolean().default(true).describe('scale pooled embeddings to unit length'),
    steps: stepSettingsSchema.optional(),
    text: textTowerSchema.optional(),
    image: imageSettingsSchema.optional(),
  })
  .strict();

/** A parsed manifest, every default filled in. */
export type ModelManifest = z.output<typeof manifestSchema>;
/** The manifest as written in `manifest.json` (defaults optional). */
export type ModelManifestInput = z.input<typeof manifestSchema>;
/** The kinds of model a folder can hold. */
export type ModelKind = ModelManifest['kind'];
/** Image preprocessing settings, defaults filled in. */
export type ImageSettings = z.output<typeof imageSettingsSchema>;

/** Read and validate `<folder>/manifest.json`; every fault is a RewardError naming the folder, file or field. */
export async function readManifest(folder: string): Promise<ModelManifest> {
  const folderStat = await stat(folder).catch(() => undefined);
  if (!folderStat) {
    throw new RewardError('MODEL_UNAVAILABLE', `model folder not found: ${folder}. Point the model option at a folder with manifest.json and model.onnx.`, {
      path: folder,
    });
  }
  if (!folderStat.isDirectory()) {
    throw new RewardError('MODEL_UNAVAILABLE', `model path is not a folder: ${folder}. Point it at the folder that holds manifest.json and model.onnx.`, {
      path: folder,
    });
  }
  const file = join(folder, 'manifest.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    throw new RewardError('MODEL_UNAVAILABLE', `manifest.json not found in ${folder}: write one that names the model kind, e.g. {"kind": "sequence-score"}.`, {
      path: file,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RewardError('INVALID_CONFIG', `${file} is not valid JSON: ${(error as Error).message}`, { path: file, cause: error });
  }
  return parseManifest(raw, file);
}

/** Validate a manifest object; `file` names it in errors (`manifest.json max_length: …`). */
export function parseManifest(raw: unknown, file = 'manifest.json'): ModelManifest {
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    // manifest keys are snake_case like the rest of the config; name the spelling of a camelCase key
    const snake = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    const hint = (issue: (typeof parsed.error.issues)[number]) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys
            .filter((key) => snake(key) !== key)
            .map((key) => ` ("${key}" is spelled "${snake(key)}")`)
            .join('')
        : '';
    const issues = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}${hint(issue)}`).join('; ');
    const first = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new RewardError('INVALID_CONFIG', `invalid ${file}: ${issues}`, { path: first.length > 0 ? `${file}#${first}` : file, cause: parsed.error });
  }
  return parsed.data;
}
