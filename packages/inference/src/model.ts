import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { RewardError, silentLogger, type Logger } from '@mixreward/core';
import { CUDA_CALL_COST_TOKENS, DEFAULT_BATCHING, type BatchingOptions } from './batcher.js';
import { ImageTower, type ImageInput } from './image-tower.js';
import { readManifest, type ModelManifest } from './manifest.js';
import { acquireSession, defaultThreads, type Device, type DeviceRequest, type SessionHandle, type ThreadSettings } from './runtime.js';
import { TextTower } from './text-tower.js';
import { TextTokenizer } from './tokenizer.js';
import { applyActivation, normalizeVector } from './vectors.js';

export type { ImageInput } from './image-tower.js';

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** The model folder (manifest.json, model.onnx, tokenizer.json); relative paths resolve against `baseDir`. */
  path: string;
  /** Folder that a relative `path` resolves against. Default: the working directory. */
  baseDir?: string;
  /** `auto` (CUDA when installed and working, else CPU), `cpu` or `cuda`. Default `auto`. */
  device?: DeviceRequest;
  /** CUDA device index, >= 0. Default 0. */
  deviceId?: number;
  /** Dynamic batching of concurrent requests, or `false` to run each request alone. Default `{ maxBatchSize: 32, maxWaitMs: 2 }` and `callCostTokens` 64 on CPU, 4096 on CUDA. */
  batching?: BatchingOptions | false;
  /** ONNX Runtime threads. Default: intra-op min(4, cores / 2), inter-op 1. */
  threads?: ThreadSettings;
  /** Where the device choice is reported (once per process). Default: silent. */
  logger?: Logger;
}

/** A loaded model. Methods that do not fit the manifest's kind reject with a RewardError. */
export interface Model {
  /** The parsed manifest, defaults filled in. */
  readonly manifest: ModelManifest;
  /** The absolute folder path. */
  readonly path: string;
  /** The device the sessions run on. */
  readonly device: Device;
  /**
   * Score a text or text pair (kind `sequence-score`; text first, e.g. the prompt, pair second).
   * @returns one score per label, after the manifest's activation (sigmoid: (0, 1); softmax: sums to 1; none: raw logits)
   */
  score(text: string, textPair?: string): Promise<number[]>;
  /** Pooled embedding of a text (kinds `embedding`, `text-embedding`, `clip`); unit length when the manifest normalises. */
  embed(text: string): Promise<Float32Array>;
  /** Per-token vectors of a text, special tokens left out, not normalised (kinds `embedding`, `text-embedding`). */
  embedTokens(text: string): Promise<Float32Array[]>;
  /** Embedding of an image (kinds `clip`, `image-embedding`); unit length when the manifest normalises. */
  embedImage(image: ImageInput): Promise<Float32Array>;
  /**
   * Score each reasoning step (kind `step-score`).
   * @returns one score per step, in [0, 1] with sigmoid/softmax activations
   */
  scoreSteps(text: string, steps: readonly string[]): Promise<number[]>;
  /**
   * Stop taking requests, answer the ones already accepted, then release the sessions (shared
   * sessions are freed when their last holder disposes). Safe to call twice.
   */
  dispose(): Promise<void>;
}

const TEXT_KINDS = new Set(['sequence-score', 'embedding', 'text-embedding', 'step-score', 'clip']);
const IMAGE_KINDS = new Set(['image-embedding', 'clip']);

/**
 * Load a model folder: validate manifest.json, load the tokenizer, create (or share) the ONNX
 * Runtime sessions on the chosen device, and check the graph's inputs and outputs against the
 * manifest. Every fault is a RewardError naming the folder, file or field.
 */
export async function loadModel(options: LoadModelOptions): Promise<Model> {
  if (typeof options?.path !== 'string' || options.path.length === 0) {
    throw new RewardError('INVALID_OPTIONS', 'loadModel: path must name a model folder', { path: 'path' });
  }
  checkLoadOptions(options);
  const folder = isAbsolute(options.path) ? options.path : resolve(options.baseDir ?? process.cwd(), options.path);
  const manifest = await readManifest(folder);
  const logger = options.logger ?? silentLogger;
  const threads = { ...defaultThreads(), ...definedOnly(options.threads ?? {}) };
  const requested: BatchingOptions = options.batching === false ? { maxBatchSize: 1, maxWaitMs: 0 } : definedOnly(options.batching ?? {});
  const batchingFor = (device: Device): Required<BatchingOptions> => ({
    ...DEFAULT_BATCHING,
    callCostTokens: device === 'cuda' ? CUDA_CALL_COST_TOKENS : DEFAULT_BATCHING.callCostTokens,
    ...requested,
  });
  const request = { device: options.device ?? 'auto', deviceId: options.deviceId ?? 0, threads, logger };

  const handles: SessionHandle[] = [];
  try {
    let text: TextTower | undefined;
    let image: ImageTower | undefined;
    if (TEXT_KINDS.has(manifest.kind)) {
      const modelFile = manifest.kind === 'clip' ? (manifest.text?.model ?? 'text_model.onnx') : manifest.model;
      const field = manifest.kind === 'clip' ? 'text.model' : 'model';
      const tokenizer = await TextTokenizer.load(join(folder, manifest.tokenizer), join(folder, manifest.tokenizer_config));
      const handle = await openSession(folder, modelFile, field, request);
      handles.push(handle);
      text = new TextTower(handle, manifest, tokenizer, manifest.kind === 'clip' ? manifest.text?.output : manifest.output, join(folder, modelFile), batchingFor(handle.device));
    }
    if (IMAGE_KINDS.has(manifest.kind)) {
      const modelFile = manifest.image?.model ?? (manifest.kind === 'clip' ? 'vision_model.onnx' : manifest.model);
      const handle = await openSession(folder, modelFile, manifest.image?.model ? 'image.model' : 'model', request);
      handles.push(handle);
      image = new ImageTower(handle, manifest, manifest.image?.output ?? (manifest.kind === 'clip' ? undefined : manifest.output), join(folder, modelFile), batchingFor(handle.device));
    }
    const device = handles[0]?.device ?? 'cpu';
    return new LoadedModel(folder, manifest, device, handles, text, image);
  } catch (error) {
    await Promise.all(handles.map((handle) => handle.release()));
    throw error;
  }
}

function checkLoadOptions(options: LoadModelOptions): void {
  const fail = (field: string, expected: string, value: unknown) => {
    throw new RewardError('INVALID_OPTIONS', `loadModel: ${field} must be ${expected} (got ${JSON.stringify(value)})`, { path: field });
  };
  if (options.device !== undefined && !['auto', 'cpu', 'cuda'].includes(options.device)) fail('device', '"auto", "cpu" or "cuda"', options.device);
  if (options.deviceId !== undefined && !(Number.isInteger(options.deviceId) && options.deviceId >= 0)) fail('deviceId', 'an integer >= 0', options.deviceId);
  const batching = options.batching;
  if (batching !== undefined && batching !== false) {
    if (typeof batching !== 'object' || batching === null) fail('batching', 'an object or false', batching);
    if (batching.maxBatchSize !== undefined && !(Number.isInteger(batching.maxBatchSize) && batching.maxBatchSize >= 1)) fail('batching.maxBatchSize', 'an integer >= 1', batching.maxBatchSize);
    if (batching.maxWaitMs !== undefined && !(typeof batching.maxWaitMs === 'number' && batching.maxWaitMs >= 0)) fail('batching.maxWaitMs', 'a number >= 0', batching.maxWaitMs);
    if (batching.callCostTokens !== undefined && !(typeof batching.callCostTokens === 'number' && batching.callCostTokens >= 0)) {
      fail('batching.callCostTokens', 'a number >= 0', batching.callCostTokens);
    }
  }
  for (const key of ['intraOp', 'interOp'] as const) {
    const value = options.threads?.[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) fail(`threads.${key}`, 'an integer >= 1', value);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

async function openSession(
  folder: string,
  file: string,
  field: string,
  request: { device: DeviceRequest; deviceId: number; threads: Required<ThreadSettings>; logger: Logger },
): Promise<SessionHandle> {
  const path = join(folder, file);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new RewardError('MODEL_UNAVAILABLE', `model file not found: ${path} (manifest.json ${field} is "${file}"). Export the model to ONNX into the folder or fix the manifest.`, {
      path,
    });
  }
  return acquireSession({ file: path, ...request });
}

function checkText(value: unknown, field: string, allowEmpty = false): string {
  if (typeof value !== 'string') throw new RewardError('INVALID_INPUT', `${field}: expected a string, got ${value === null ? 'null' : typeof value}`, { path: field });
  if (!allowEmpty && value.trim().length === 0) throw new RewardError('INVALID_INPUT', `${field}: empty string; there is nothing to score`, { path: field });
  return value;
}

class LoadedModel implements Model {
  private disposed = false;

  constructor(
    readonly path: string,
    readonly manifest: ModelManifest,
    readonly device: Device,
    private readonly handles: SessionHandle[],
    private readonly text: TextTower | undefined,
    private readonly image: ImageTower | undefined,
  ) {}

  private need(kinds: readonly string[], method: string): void {
    if (this.disposed) throw new RewardError('MODEL_UNAVAILABLE', `${method}: the model at ${this.path} was disposed`, { path: this.path });
    if (!kinds.includes(this.manifest.kind)) {
      throw new RewardError('INVALID_CONFIG', `${method} needs a model of kind ${kinds.join(' or ')}; ${this.path} is "${this.manifest.kind}" (manifest.json kind)`, {
        path: `${join(this.path, 'manifest.json')}#kind`,
      });
    }
  }

  /** The text tower; present for every kind that `need` admits for a text method. */
  private textTower(method: string): TextTower {
    if (this.text === undefined) throw new RewardError('INVALID_CONFIG', `${method}: ${this.path} has no text tower (manifest.json kind "${this.manifest.kind}")`, { path: this.path });
    return this.text;
  }

  private labelIndex(label: string | number | undefined, width: number, field: string): number {
    if (label === undefined) return width - 1;
    const index = typeof label === 'number' ? label : (this.manifest.labels ?? []).indexOf(label);
    if (index < 0 || index >= width) {
      throw new RewardError('INVALID_CONFIG', `${field}: label ${JSON.stringify(label)} is not one of the model's ${width} labels (${(this.manifest.labels ?? []).join(', ')})`, {
        path: field,
      });
    }
    return index;
  }

  async score(text: string, textPair?: string): Promise<number[]> {
    this.need(['sequence-score', 'step-score'], 'score');
    checkText(text, 'text');
    if (textPair !== undefined) checkText(textPair, 'textPair', true);
    const tower = this.textTower('score');
    const output = await tower.infer(tower.encode(text, textPair));
    if (output.perToken) {
      throw new RewardError('INVALID_CONFIG', `score: ${this.path} returns one row per token; a sequence-score model must output [batch, labels] (manifest.json output)`, {
        path: `${join(this.path, 'manifest.json')}#output`,
      });
    }
    this.checkLabels(output.width);
    return applyActivation(Array.from(output.data), this.manifest.activation);
  }

  private checkLabels(width: number): void {
    if (this.manifest.labels && this.manifest.labels.length !== width) {
      throw new RewardError('INVALID_CONFIG', `manifest.json labels names ${this.manifest.labels.length} labels but ${this.path} outputs ${width} values per row`, {
        path: `${join(this.path, 'manifest.json')}#labels`,
      });
    }
  }

  async embed(text: string): Promise<Float32Array> {
    this.need(['embedding', 'text-embedding', 'clip'], 'embed');
    checkText(text, 'text');
    const tower = this.textTower('embed');
    const output = await tower.infer(tower.encode(text));
    let pooled: Float32Array;
    if (!output.perToken) pooled = output.data;
    else if (this.manifest.pooling === 'cls') pooled = output.data.slice(0, output.width);
    else {
      pooled = new Float32Array(output.width);
      for (let row = 0; row < output.rows; row++) {
        for (let column = 0; column < output.width; column++) (pooled[column] as number) += output.data[row * output.width + column] as number;
      }
      for (let column = 0; column < output.width; column++) pooled[column] = (pooled[column] as number) / output.rows;
    }
    return this.manifest.normalize ? normalizeVector(pooled) : pooled;
  }

  async embedTokens(text: string): Promise<Float32Array[]> {
    this.need(['embedding', 'text-embedding'], 'embedTokens');
    checkText(text, 'text');
    const tower = this.textTower('embedTokens');
    const encoded = tower.encode(text);
    const output = await tower.infer(encoded);
    if (!output.perToken) {
      throw new RewardError('INVALID_CONFIG', `embedTokens needs per-token output [batch, sequence, hidden]; ${this.path} returns pooled vectors (manifest.json output)`, {
        path: `${join(this.path, 'manifest.json')}#output`,
      });
    }
    const vectors: Float32Array[] = [];
    encoded.special.forEach((special, row) => {
      if (!special) vectors.push(output.data.slice(row * output.width, (row + 1) * output.width));
    });
    return vectors;
  }

  async embedImage(image: ImageInput): Promise<Float32Array> {
    this.need(['clip', 'image-embedding'], 'embedImage');
    if (this.image === undefined) throw new RewardError('INVALID_CONFIG', `embedImage: ${this.path} has no image tower (manifest.json kind "${this.manifest.kind}")`, { path: this.path });
    const vector = await this.image.embed(image);
    return this.manifest.normalize ? normalizeVector(vector) : vector;
  }

  async scoreSteps(text: string, steps: readonly string[]): Promise<number[]> {
    this.need(['step-score'], 'scoreSteps');
    checkText(text, 'text', true);
    if (!Array.isArray(steps) || steps.some((step) => typeof step !== 'string')) {
      throw new RewardError('INVALID_INPUT', 'steps: expected an array of strings', { path: 'steps' });
    }
    if (steps.length === 0) return [];
    const settings = this.manifest.steps ?? { mode: 'separator' as const, join: '\n', token: undefined, label: undefined };
    const manifestFile = join(this.path, 'manifest.json');
    if (settings.mode === 'prefix') {
      const rows = await Promise.all(
        steps.map((_, index) => {
          const prefix = steps.slice(0, index + 1).join(settings.join);
          return text.trim().length > 0 ? this.score(text, prefix) : this.score(prefix);
        }),
      );
      return rows.map((row) => row[this.labelIndex(settings.label, row.length, `${manifestFile}#steps.label`)] as number);
    }
    const token = settings.token;
    const separatorId = token === undefined ? undefined : this.text?.tokenizer.tokenId(token);
    if (token === undefined || separatorId === undefined) {
      throw new RewardError('INVALID_CONFIG', `${manifestFile} steps.token must name one token of the tokenizer (got ${JSON.stringify(token)})`, {
        path: `${manifestFile}#steps.token`,
      });
    }
    const clean = steps.map((step) => step.split(token).join(' '));
    const joined = [text, ...clean.map((step) => `${step} ${token}`)].join(settings.join);
    const tower = this.textTower('scoreSteps');
    const encoded = tower.encode(joined);
    const output = await tower.infer(encoded);
    if (!output.perToken) {
      throw new RewardError('INVALID_CONFIG', `scoreSteps in separator mode needs per-token output [batch, sequence, labels]; ${this.path} returns one row per text (use steps.mode "prefix")`, {
        path: `${manifestFile}#steps.mode`,
      });
    }
    this.checkLabels(output.width);
    const positions = encoded.ids.flatMap((id, index) => (id === separatorId ? [index] : []));
    if (positions.length !== steps.length) {
      throw new RewardError(
        'INVALID_INPUT',
        `steps: only ${positions.length} of ${steps.length} steps fit in the model's max_length of ${this.manifest.max_length} tokens; shorten the text or set manifest.json truncation to "left"`,
        { path: 'steps' },
      );
    }
    const label = this.labelIndex(settings.label, output.width, `${manifestFile}#steps.label`);
    return positions.map((position) => {
      const row = Array.from(output.data.subarray(position * output.width, (position + 1) * output.width));
      return applyActivation(row, this.manifest.activation)[label] as number;
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // Requests already accepted are answered before the sessions go.
    await Promise.all([this.text?.idle(), this.image?.idle()]);
    await Promise.all(this.handles.map((handle) => handle.release()));
  }
}
