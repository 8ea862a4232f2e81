/**
 * Tiny deterministic ONNX models for tests: each builder writes a model folder (`model.onnx` or
 * two towers, `tokenizer.json`, `tokenizer_config.json`, `manifest.json`) and returns the weights
 * with a plain-TypeScript reference of the same maths, so tests can compute expected outputs
 * without the runtime.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphBuilder, seededValues } from './graph-builder.js';
import { encodeModel } from './onnx.js';
import {
  CLS_ID,
  SEP_ID,
  PAD_ID,
  STEP_ID,
  buildVocabulary,
  referenceEncode,
  tokenizerConfigJson,
  tokenizerJson,
} from './tokenizer.js';

/** Options every builder takes. */
export interface BuildOptions {
  /** Folder to write into (created if missing). */
  dir: string;
  /** Seed of the weights (any integer); the same seed gives the same bytes. Default 7. */
  seed?: number;
  /** Hidden size, >= 1. Default 8. */
  hiddenSize?: number;
  /** Manifest `max_length` in tokens, >= 5. Default 32. */
  maxLength?: number;
  /** Words of the vocabulary (after special tokens and punctuation). Default {@link DEFAULT_WORDS}. */
  words?: readonly string[];
  /** Extra manifest fields, merged over the defaults the builder writes. */
  manifest?: Record<string, unknown>;
  /** Graph input names of text models (defaults `input_ids`, `attention_mask`, `token_type_ids`). */
  inputNames?: { inputIds?: string; attentionMask?: string; tokenTypeIds?: string };
}

/** A row-major matrix. */
export type Matrix = number[][];

/** What every builder returns. */
export interface BuiltModel {
  /** The folder written. */
  dir: string;
  /** The manifest written to `manifest.json`. */
  manifest: Record<string, unknown>;
  /** Token -> id of the tokenizer written. */
  vocabulary: Map<string, number>;
  /** Reference encoding (BERT special tokens, right truncation to the manifest's max_length). */
  encode(text: string, textPair?: string): { ids: number[]; typeIds: number[] };
}

const matrix = (values: number[], rows: number, columns: number): Matrix =>
  Array.from({ length: rows }, (_, row) => values.slice(row * columns, (row + 1) * columns));
const flat = (rows: Matrix): number[] => rows.flat();
const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((sum, value, index) => sum + value * (b[index] as number), 0);
const times = (vector: readonly number[], weights: Matrix, bias?: readonly number[]): number[] =>
  (weights[0] as number[]).map((_, column) => dot(vector, weights.map((row) => row[column] as number)) + (bias?.[column] ?? 0));
const add = (a: readonly number[], b: readonly number[]): number[] => a.map((value, index) => value + (b[index] as number));
const mean = (rows: readonly number[][]): number[] => (rows[0] as number[]).map((_, column) => rows.reduce((sum, row) => sum + (row[column] as number), 0) / rows.length);
const row = (weights: Matrix, index: number): number[] => weights[index] as number[];

/** Scale a vector to unit length (a zero vector stays zero). */
export function normalize(vector: readonly number[]): number[] {
  const length = Math.sqrt(dot(vector, vector));
  return length === 0 ? [...vector] : vector.map((value) => value / length);
}

/** Logistic sigmoid. */
export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/** Softmax of a vector. */
export function softmax(values: readonly number[]): number[] {
  const top = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - top));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

async function writeFolder(dir: string, files: Record<string, Uint8Array | Record<string, unknown>>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(dir, name), content instanceof Uint8Array ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

function setup(options: BuildOptions) {
  const vocabulary = buildVocabulary(options.words);
  const hidden = options.hiddenSize ?? 8;
  const maxLength = options.maxLength ?? 32;
  const random = seededValues(options.seed ?? 7);
  const tokenizerFiles = { 'tokenizer.json': tokenizerJson(vocabulary), 'tokenizer_config.json': tokenizerConfigJson(maxLength) };
  const encode = (text: string, textPair?: string) => referenceEncode(vocabulary, text, textPair, maxLength);
  const names = { inputIds: 'input_ids', attentionMask: 'attention_mask', tokenTypeIds: 'token_type_ids', ...options.inputNames };
  return { vocabulary, hidden, maxLength, random, tokenizerFiles, encode, vocabSize: vocabulary.size, names };
}

/** Gather rows of an embedding table by int64 ids, then `Tanh(x W + b)`, times the mask. Returns [B, L, H]. */
function tokenLayer(graph: GraphBuilder, embeddings: string, ids: string, mask: string, weights: string, bias: string, extra?: string): { hidden: string; maskFloat3: string; maskFloat: string } {
  let x = graph.op('Gather', [embeddings, ids], { axis: 0 });
  if (extra !== undefined) x = graph.op('Add', [x, extra]);
  const projected = graph.op('Add', [graph.op('MatMul', [x, weights]), bias]);
  const activated = graph.op('Tanh', [projected]);
  const maskFloat = graph.op('Cast', [mask], { to: 1 });
  const maskFloat3 = graph.op('Unsqueeze', [maskFloat, graph.constant('int64', [1], [2])]);
  return { hidden: graph.op('Mul', [activated, maskFloat3]), maskFloat3, maskFloat };
}

/** Masked mean over axis 1 of [B, L, H] -> [B, H]. */
function maskedMean(graph: GraphBuilder, hidden: string, maskFloat3: string): string {
  const axis = graph.constant('int64', [1], [1]);
  const total = graph.op('ReduceSum', [hidden, axis], { keepdims: 0 });
  const count = graph.op('ReduceSum', [maskFloat3, axis], { keepdims: 0 });
  const safe = graph.op('Max', [count, graph.constant('float', [], [1])]);
  return graph.op('Div', [total, safe]);
}

/** The embedding model and its reference maths. */
export interface EmbeddingModel extends BuiltModel {
  /** Embedding table [vocabulary, hidden]. */
  embeddings: Matrix;
  /** Projection [hidden, hidden]. */
  weights: Matrix;
  /** Bias [hidden]. */
  bias: number[];
  /** Reference `last_hidden_state` rows of the given ids (positions 0, 1, …): `tanh((E[id] + P[position]) W + b)`. */
  hiddenStates(ids: readonly number[]): number[][];
  /** Reference pooled embedding of a text (mean over every token incl. [CLS]/[SEP], or CLS), unit length when the manifest normalises. */
  embed(text: string): number[];
  /** Reference token vectors of a text, special tokens left out (not normalised). */
  embedTokens(text: string): number[][];
}

/**
 * Write an `embedding` model: `last_hidden_state = tanh(E[input_ids] W + b) * attention_mask`,
 * output [batch, sequence, hidden]; the manifest asks for mean pooling and normalisation.
 */
export async function buildEmbeddingModel(
  options: BuildOptions & {
    pooling?: 'mean' | 'cls';
    normalize?: boolean;
    /** Element type of the id and mask inputs. Default `int64`. */
    idType?: 'int64' | 'int32';
    /** Add a `position_ids` input whose learnt position vectors are added to the token vectors. Default false. */
    positionIds?: boolean;
    /** Element type of `last_hidden_state`. Default `float` (float32). */
    outputType?: 'float' | 'float16';
  },
): Promise<EmbeddingModel> {
  const { vocabulary, hidden, maxLength, random, tokenizerFiles, encode, vocabSize, names } = setup(options);
  const embeddings = matrix(random(vocabSize * hidden), vocabSize, hidden);
  const weights = matrix(random(hidden * hidden), hidden, hidden);
  const bias = random(hidden);
  const positionVectors = options.positionIds ? matrix(random(maxLength * hidden), maxLength, hidden) : undefined;
  const idType = options.idType ?? 'int64';
  const graph = new GraphBuilder('embedding');
  const ids = graph.input(names.inputIds, idType, ['batch', 'sequence']);
  const mask = graph.input(names.attentionMask, idType, ['batch', 'sequence']);
  let extra: string | undefined;
  if (positionVectors) {
    const positions = graph.input('position_ids', idType, ['batch', 'sequence']);
    extra = graph.op('Gather', [graph.constant('float', [maxLength, hidden], flat(positionVectors), 'position_embeddings'), positions], { axis: 0 });
  }
  const layer = tokenLayer(
    graph,
    graph.constant('float', [vocabSize, hidden], flat(embeddings), 'embeddings'),
    ids,
    mask,
    graph.constant('float', [hidden, hidden], flat(weights), 'weights'),
    graph.constant('float', [hidden], bias, 'bias'),
    extra,
  );
  const outputType = options.outputType ?? 'float';
  const output = outputType === 'float16' ? graph.op('Cast', [layer.hidden], { to: 10 }) : layer.hidden;
  graph.output('last_hidden_state', output, outputType, ['batch', 'sequence', hidden]);
  const pooling = options.pooling ?? 'mean';
  const normalizeOutput = options.normalize ?? true;
  const manifest = { kind: 'embedding', max_length: maxLength, output: 'last_hidden_state', pooling, normalize: normalizeOutput, ...options.manifest };
  await writeFolder(options.dir, { 'model.onnx': encodeModel(graph.build()), ...tokenizerFiles, 'manifest.json': manifest });
  const hiddenStates = (tokenIds: readonly number[]) =>
    tokenIds.map((id, position) => {
      const vector = positionVectors ? add(row(embeddings, id), row(positionVectors, position)) : row(embeddings, id);
      return times(vector, weights, bias).map(Math.tanh);
    });
  return {
    dir: options.dir,
    manifest,
    vocabulary,
    encode,
    embeddings,
    weights,
    bias,
    hiddenStates,
    embed(text) {
      const states = hiddenStates(encode(text).ids);
      const pooled = pooling === 'cls' ? (states[0] as number[]) : mean(states);
      return normalizeOutput ? normalize(pooled) : pooled;
    },
    embedTokens(text) {
      const ids = encode(text).ids;
      return hiddenStates(ids).filter((_, index) => ids[index] !== CLS_ID && ids[index] !== SEP_ID && ids[index] !== PAD_ID);
    },
  };
}

/** The sequence-score model and its reference maths. */
export interface SequenceScoreModel extends BuiltModel {
  /** Reference raw logits of a text or text pair, one per label. */
  logits(text: string, textPair?: string): number[];
  /** Reference scores after the manifest's activation, one per label. */
  score(text: string, textPair?: string): number[];
}

/**
 * Write a `sequence-score` model (a reward model): token + token-type embeddings, `tanh(x W + b)`,
 * masked mean over tokens, a linear head to one logit per label. Inputs `input_ids`,
 * `attention_mask`, `token_type_ids`; output `logits` [batch, labels]. Default: one label
 * `reward` with a sigmoid.
 */
export async function buildSequenceScoreModel(
  options: BuildOptions & { labels?: string[]; activation?: 'none' | 'sigmoid' | 'softmax' },
): Promise<SequenceScoreModel> {
  const { vocabulary, hidden, maxLength, random, tokenizerFiles, encode, vocabSize, names } = setup(options);
  const labels = options.labels ?? ['reward'];
  const activation = options.activation ?? (labels.length === 1 ? 'sigmoid' : 'softmax');
  const embeddings = matrix(random(vocabSize * hidden), vocabSize, hidden);
  const typeEmbeddings = matrix(random(2 * hidden), 2, hidden);
  const weights = matrix(random(hidden * hidden), hidden, hidden);
  const bias = random(hidden);
  const head = matrix(random(hidden * labels.length), hidden, labels.length);
  const headBias = random(labels.length);
  const graph = new GraphBuilder('sequence_score');
  const ids = graph.input(names.inputIds, 'int64', ['batch', 'sequence']);
  const mask = graph.input(names.attentionMask, 'int64', ['batch', 'sequence']);
  const types = graph.input(names.tokenTypeIds, 'int64', ['batch', 'sequence']);
  const typeVectors = graph.op('Gather', [graph.constant('float', [2, hidden], flat(typeEmbeddings), 'type_embeddings'), types], { axis: 0 });
  const layer = tokenLayer(
    graph,
    graph.constant('float', [vocabSize, hidden], flat(embeddings), 'embeddings'),
    ids,
    mask,
    graph.constant('float', [hidden, hidden], flat(weights), 'weights'),
    graph.constant('float', [hidden], bias, 'bias'),
    typeVectors,
  );
  const pooled = maskedMean(graph, layer.hidden, layer.maskFloat3);
  const logits = graph.op('Add', [
    graph.op('MatMul', [pooled, graph.constant('float', [hidden, labels.length], flat(head), 'head')]),
    graph.constant('float', [labels.length], headBias, 'head_bias'),
  ]);
  graph.output('logits', logits, 'float', ['batch', labels.length]);
  const manifest = { kind: 'sequence-score', max_length: maxLength, output: 'logits', labels, activation, ...options.manifest };
  await writeFolder(options.dir, { 'model.onnx': encodeModel(graph.build()), ...tokenizerFiles, 'manifest.json': manifest });
  const logitsOf = (text: string, textPair?: string) => {
    const encoded = encode(text, textPair);
    const states = encoded.ids.map((id, index) =>
      times(add(row(embeddings, id), row(typeEmbeddings, encoded.typeIds[index] as number)), weights, bias).map(Math.tanh),
    );
    return times(mean(states), head, headBias);
  };
  return {
    dir: options.dir,
    manifest,
    vocabulary,
    encode,
    logits: logitsOf,
    score(text, textPair) {
      const raw = logitsOf(text, textPair);
      if (activation === 'sigmoid') return raw.map(sigmoid);
      if (activation === 'softmax') return softmax(raw);
      return raw;
    },
  };
}

/** The step-score model and its reference maths. */
export interface StepScoreModel extends BuiltModel {
  /** Reference per-position logits [position][label] of a full id sequence (no padding). */
  positionLogits(ids: readonly number[]): number[][];
  /** Id of the step separator token `<step>`. */
  separatorId: number;
}

/**
 * Write a `step-score` model (a process reward model scored at separator tokens): per-token
 * `tanh(E[id] W + b)`, a running (causal) mean over positions, then a 2-label head:
 * output `logits` [batch, sequence, 2] with labels `negative`, `positive` and softmax.
 * The manifest says: score at `<step>` tokens, take label `positive`.
 */
export async function buildStepScoreModel(options: BuildOptions): Promise<StepScoreModel> {
  const { vocabulary, hidden, maxLength, random, tokenizerFiles, encode, vocabSize, names } = setup({ maxLength: 64, ...options });
  const embeddings = matrix(random(vocabSize * hidden), vocabSize, hidden);
  const weights = matrix(random(hidden * hidden), hidden, hidden);
  const bias = random(hidden);
  const head = matrix(random(hidden * 2), hidden, 2);
  const headBias = random(2);
  const graph = new GraphBuilder('step_score');
  const ids = graph.input(names.inputIds, 'int64', ['batch', 'sequence']);
  const mask = graph.input(names.attentionMask, 'int64', ['batch', 'sequence']);
  const layer = tokenLayer(
    graph,
    graph.constant('float', [vocabSize, hidden], flat(embeddings), 'embeddings'),
    ids,
    mask,
    graph.constant('float', [hidden, hidden], flat(weights), 'weights'),
    graph.constant('float', [hidden], bias, 'bias'),
  );
  const axis = graph.constant('int64', [], [1]);
  const running = graph.op('CumSum', [layer.hidden, axis]);
  const counts = graph.op('Max', [graph.op('CumSum', [layer.maskFloat3, axis]), graph.constant('float', [], [1])]);
  const logits = graph.op('Add', [
    graph.op('MatMul', [graph.op('Div', [running, counts]), graph.constant('float', [hidden, 2], flat(head), 'head')]),
    graph.constant('float', [2], headBias, 'head_bias'),
  ]);
  graph.output('logits', logits, 'float', ['batch', 'sequence', 2]);
  const manifest = {
    kind: 'step-score',
    max_length: maxLength,
    output: 'logits',
    labels: ['negative', 'positive'],
    activation: 'softmax',
    steps: { mode: 'separator', token: '<step>', label: 'positive' },
    ...options.manifest,
  };
  await writeFolder(options.dir, { 'model.onnx': encodeModel(graph.build()), ...tokenizerFiles, 'manifest.json': manifest });
  return {
    dir: options.dir,
    manifest,
    vocabulary,
    encode,
    separatorId: STEP_ID,
    positionLogits(tokenIds) {
      const states = tokenIds.map((id) => times(row(embeddings, id), weights, bias).map(Math.tanh));
      return states.map((_, index) => times(mean(states.slice(0, index + 1)), head, headBias));
    },
  };
}

/** The two-tower (CLIP-style) model and its reference maths. */
export interface ClipModel extends BuiltModel {
  /** Image side in pixels the manifest asks for. */
  imageSize: number;
  /** Reference text embedding (mean of `E[id]` over tokens, projected, unit length). */
  embedText(text: string): number[];
  /**
   * Reference image embedding of an NCHW float32 pixel tensor of one image [3, size, size]:
   * the mean of each channel's four quadrants (12 values), projected, unit length.
   */
  embedPixels(pixels: Float32Array | readonly number[]): number[];
}

/**
 * Write a CLIP-style `clip` model: `text_model.onnx` (`input_ids`, `attention_mask` -> `text_embeds`
 * [batch, projection]) and `vision_model.onnx` (`pixel_values` [batch, 3, size, size] -> 2x2 average
 * pooling per channel -> `image_embeds` [batch, projection]). Default image size 224, projection 8.
 */
export async function buildClipModel(
  options: BuildOptions & {
    imageSize?: number;
    projectionSize?: number;
    /** Element type of `pixel_values`. Default `float` (float32). */
    pixelType?: 'float' | 'float16';
  },
): Promise<ClipModel> {
  const { vocabulary, hidden, maxLength, random, tokenizerFiles, encode, vocabSize, names } = setup(options);
  const size = options.imageSize ?? 224;
  if (size % 2 !== 0) throw new Error('imageSize must be even');
  const projection = options.projectionSize ?? 8;
  const embeddings = matrix(random(vocabSize * hidden), vocabSize, hidden);
  const textProjection = matrix(random(hidden * projection), hidden, projection);
  const imageProjection = matrix(random(12 * projection), 12, projection);

  const text = new GraphBuilder('text_tower');
  const ids = text.input(names.inputIds, 'int64', ['batch', 'sequence']);
  const mask = text.input(names.attentionMask, 'int64', ['batch', 'sequence']);
  const gathered = text.op('Gather', [text.constant('float', [vocabSize, hidden], flat(embeddings), 'embeddings'), ids], { axis: 0 });
  const mask3 = text.op('Unsqueeze', [text.op('Cast', [mask], { to: 1 }), text.constant('int64', [1], [2])]);
  const pooled = maskedMean(text, text.op('Mul', [gathered, mask3]), mask3);
  const textEmbeds = text.op('MatMul', [pooled, text.constant('float', [hidden, projection], flat(textProjection), 'text_projection')]);
  text.output('text_embeds', textEmbeds, 'float', ['batch', projection]);

  const image = new GraphBuilder('image_tower');
  const pixelType = options.pixelType ?? 'float';
  const pixelInput = image.input('pixel_values', pixelType, ['batch', 3, size, size]);
  const pixels = pixelType === 'float16' ? image.op('Cast', [pixelInput], { to: 1 }) : pixelInput;
  const quadrants = image.op('AveragePool', [pixels], { kernel_shape: [size / 2, size / 2], strides: [size / 2, size / 2] });
  const features = image.op('Flatten', [quadrants], { axis: 1 });
  const imageEmbeds = image.op('MatMul', [features, image.constant('float', [12, projection], flat(imageProjection), 'visual_projection')]);
  image.output('image_embeds', imageEmbeds, 'float', ['batch', projection]);

  const manifest = {
    kind: 'clip',
    max_length: maxLength,
    normalize: true,
    text: { model: 'text_model.onnx', output: 'text_embeds' },
    image: { model: 'vision_model.onnx', output: 'image_embeds', size },
    ...options.manifest,
  };
  await writeFolder(options.dir, {
    'text_model.onnx': encodeModel(text.build()),
    'vision_model.onnx': encodeModel(image.build()),
    ...tokenizerFiles,
    'manifest.json': manifest,
  });
  const half = size / 2;
  return {
    dir: options.dir,
    manifest,
    vocabulary,
    encode,
    imageSize: size,
    embedText(input) {
      return normalize(times(mean(encode(input).ids.map((id) => row(embeddings, id))), textProjection));
    },
    embedPixels(values) {
      const features: number[] = [];
      for (let channel = 0; channel < 3; channel++) {
        for (const [top, left] of [
          [0, 0],
          [0, half],
          [half, 0],
          [half, half],
        ] as const) {
          let sum = 0;
          for (let y = top; y < top + half; y++) {
            for (let x = left; x < left + half; x++) sum += values[channel * size * size + y * size + x] as number;
          }
          features.push(sum / (half * half));
        }
      }
      return normalize(times(features, imageProjection));
    },
  };
}

/** The kinds the builder writes. */
export type BuildKind = 'embedding' | 'sequence-score' | 'step-score' | 'clip';

/** Write a model of the given kind with default options; see the per-kind builders. */
export async function buildModel(kind: BuildKind, options: BuildOptions): Promise<BuiltModel> {
  if (kind === 'embedding') return buildEmbeddingModel(options);
  if (kind === 'sequence-score') return buildSequenceScoreModel(options);
  if (kind === 'step-score') return buildStepScoreModel(options);
  return buildClipModel(options);
}
