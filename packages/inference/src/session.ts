import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { RewardError, errorMessage, silentLogger, type Logger } from '@mixreward/core';
import { acquireSession, defaultThreads, type Device, type DeviceRequest, type OrtSession, type SessionHandle, type ThreadSettings } from './runtime.js';

/** Element types a raw tensor may have (ONNX names as onnxruntime spells them). */
export type RawTensorType = 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';

/** The typed array that holds each {@link RawTensorType} (float16 is raw IEEE half bits in a Uint16Array; see `float16ToFloat32`). */
export interface RawTensorData {
  /** 32-bit floats. */
  float32: Float32Array;
  /** 64-bit floats. */
  float64: Float64Array;
  /** Half floats as their 16-bit patterns. */
  float16: Uint16Array;
  /** Signed bytes. */
  int8: Int8Array;
  /** Unsigned bytes. */
  uint8: Uint8Array;
  /** Signed 16-bit integers. */
  int16: Int16Array;
  /** Unsigned 16-bit integers. */
  uint16: Uint16Array;
  /** Signed 32-bit integers. */
  int32: Int32Array;
  /** Unsigned 32-bit integers. */
  uint32: Uint32Array;
  /** Signed 64-bit integers. */
  int64: BigInt64Array;
  /** Unsigned 64-bit integers. */
  uint64: BigUint64Array;
  /** Booleans, one byte each (0 or 1). */
  bool: Uint8Array;
}

/** A tensor going into a graph: element type, flat row-major data and its dimensions. */
export interface RawTensorInput {
  /** Element type; must match the graph input's type. */
  type: RawTensorType;
  /**
   * Flat row-major values: the typed array of the type (see {@link RawTensorData}), or plain numbers
   * (converted; for int64/uint64 each must be a safe integer). Its length must be the product of `dims`.
   */
  data: RawTensorData[RawTensorType] | readonly number[];
  /** Dimensions, each an integer >= 0. */
  dims: readonly number[];
}

/** A tensor coming out of a graph. */
export interface RawTensor {
  /** Element type as the graph declares it. */
  type: RawTensorType;
  /** Flat row-major values (see {@link RawTensorData}). */
  data: RawTensorData[RawTensorType];
  /** Dimensions. */
  dims: number[];
}

/** Declared element type and shape of a graph input or output; a dimension is a number, or a name (or null) when it is dynamic. */
export interface RawValueInfo {
  /** Input or output name. */
  name: string;
  /** Element type, or undefined when the value is not a tensor or its type is not one of {@link RawTensorType}. */
  type: RawTensorType | undefined;
  /** Declared shape, or undefined when the graph does not declare one. */
  shape: (number | string | null)[] | undefined;
}

/** Options of {@link loadSession}. */
export interface LoadSessionOptions {
  /** An `.onnx` file, or a folder holding `model.onnx`; relative paths resolve against `baseDir`. */
  path: string;
  /** Folder that a relative `path` resolves against. Default: the working directory. */
  baseDir?: string;
  /** `auto` (CUDA when installed and working, else CPU), `cpu` or `cuda`. Default `auto`. */
  device?: DeviceRequest;
  /** CUDA device index, >= 0. Default 0. */
  deviceId?: number;
  /** ONNX Runtime threads. Default: intra-op min(4, cores / 2), inter-op 1. */
  threads?: ThreadSettings;
  /** Where the device choice is reported (once per process). Default: silent. */
  logger?: Logger;
}

/** Options of one {@link RawSession.run}. */
export interface RawRunOptions {
  /** Outputs to compute and return. Default: every output of the graph. */
  outputs?: readonly string[];
}

/**
 * An ONNX graph run with tensors you build yourself: for models whose inputs and outputs do not fit
 * a manifest kind (OCR detectors, CTC recognisers, variable-size images). Runs on one session are
 * queued, one at a time.
 */
export interface RawSession {
  /** Absolute path of the `.onnx` file. */
  readonly path: string;
  /** The device the session runs on. */
  readonly device: Device;
  /** The graph's input names, in order. */
  readonly inputNames: readonly string[];
  /** The graph's output names, in order. */
  readonly outputNames: readonly string[];
  /** Declared types and shapes of the inputs, in order. */
  readonly inputs: readonly RawValueInfo[];
  /** Declared types and shapes of the outputs, in order. */
  readonly outputs: readonly RawValueInfo[];
  /**
   * Run the graph. Every graph input must be fed, with its declared element type.
   * @param feeds one tensor per graph input name
   * @returns the requested outputs by name
   */
  run(feeds: Readonly<Record<string, RawTensorInput>>, options?: RawRunOptions): Promise<Record<string, RawTensor>>;
  /** Wait for runs already accepted, then release the session (freed when its last holder lets go). Safe to call twice. */
  dispose(): Promise<void>;
}

const ARRAY_OF: { [K in RawTensorType]: { new (length: number): RawTensorData[K]; name: string } } = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};
const TYPES = new Set<string>(Object.keys(ARRAY_OF));

function isTensorType(value: unknown): value is RawTensorType {
  return typeof value === 'string' && TYPES.has(value);
}

/**
 * Open an ONNX graph for raw tensor runs, sharing the device choice (CUDA with CPU fallback for
 * `auto`), its one-time log line, thread defaults and the session cache with {@link loadModel}.
 * onnxruntime-node is imported on first use. A missing file is a RewardError `MODEL_UNAVAILABLE`
 * whose `path` is the file; bad options are `INVALID_OPTIONS` naming the option.
 */
export async function loadSession(options: LoadSessionOptions): Promise<RawSession> {
  const fail = (field: string, expected: string, value: unknown): never => {
    throw new RewardError('INVALID_OPTIONS', `loadSession: ${field} must be ${expected} (got ${JSON.stringify(value)})`, { path: field });
  };
  if (typeof options?.path !== 'string' || options.path.length === 0) fail('path', 'an .onnx file or a folder holding model.onnx', options?.path);
  if (options.device !== undefined && !['auto', 'cpu', 'cuda'].includes(options.device)) fail('device', '"auto", "cpu" or "cuda"', options.device);
  if (options.deviceId !== undefined && !(Number.isInteger(options.deviceId) && options.deviceId >= 0)) fail('deviceId', 'an integer >= 0', options.deviceId);
  for (const key of ['intraOp', 'interOp'] as const) {
    const value = options.threads?.[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) fail(`threads.${key}`, 'an integer >= 1', value);
  }
  let file = isAbsolute(options.path) ? options.path : resolve(options.baseDir ?? process.cwd(), options.path);
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    file = join(file, 'model.onnx');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) {
    throw new RewardError('MODEL_UNAVAILABLE', `ONNX model not found: ${file}. Point path at an .onnx file or a folder holding model.onnx.`, { path: file });
  }
  const threads = { ...defaultThreads() };
  if (options.threads?.intraOp !== undefined) threads.intraOp = options.threads.intraOp;
  if (options.threads?.interOp !== undefined) threads.interOp = options.threads.interOp;
  const handle = await acquireSession({ file, device: options.device ?? 'auto', deviceId: options.deviceId ?? 0, threads, logger: options.logger ?? silentLogger });
  return new OpenSession(file, handle);
}

function valueInfo(name: string, entry: OrtSession['inputMetadata'][number] | undefined): RawValueInfo {
  if (!entry?.isTensor) return { name, type: undefined, shape: undefined };
  return {
    name,
    type: isTensorType(entry.type) ? entry.type : undefined,
    shape: entry.shape.map((dim) => (typeof dim === 'number' || typeof dim === 'string' ? dim : null)),
  };
}

class OpenSession implements RawSession {
  readonly device: Device;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputs: readonly RawValueInfo[];
  readonly outputs: readonly RawValueInfo[];
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly path: string,
    private readonly handle: SessionHandle,
  ) {
    const session = handle.session;
    this.device = handle.device;
    this.inputNames = [...session.inputNames];
    this.outputNames = [...session.outputNames];
    this.inputs = this.inputNames.map((name, index) => valueInfo(name, session.inputMetadata[index]));
    this.outputs = this.outputNames.map((name, index) => valueInfo(name, session.outputMetadata[index]));
  }

  run(feeds: Readonly<Record<string, RawTensorInput>>, options: RawRunOptions = {}): Promise<Record<string, RawTensor>> {
    if (this.disposed) return Promise.reject(new RewardError('MODEL_UNAVAILABLE', `run: the session for ${this.path} was disposed`, { path: this.path }));
    let prepared: { tensors: Record<string, unknown>; outputs: string[] };
    try {
      prepared = this.prepare(feeds, options);
    } catch (error) {
      return Promise.reject(error);
    }
    const result = this.queue.then(async () => {
      let raw: Record<string, { type: string; data: unknown; dims: readonly number[] }>;
      try {
        raw = (await this.handle.session.run(prepared.tensors as never, prepared.outputs)) as never;
      } catch (error) {
        throw new RewardError('INVALID_INPUT', `run: ${this.path} failed on the tensors fed: ${errorMessage(error)}`, { path: this.path, cause: error });
      }
      const out: Record<string, RawTensor> = {};
      for (const name of prepared.outputs) {
        const tensor = raw[name];
        if (!tensor) continue;
        out[name] = { type: tensor.type as RawTensorType, data: tensor.data as RawTensorData[RawTensorType], dims: [...tensor.dims] };
      }
      return out;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private prepare(feeds: Readonly<Record<string, RawTensorInput>>, options: RawRunOptions): { tensors: Record<string, unknown>; outputs: string[] } {
    if (typeof feeds !== 'object' || feeds === null) throw new RewardError('INVALID_INPUT', 'run: feeds must be an object of tensors by input name', { path: 'feeds' });
    for (const name of Object.keys(feeds)) {
      if (!this.inputNames.includes(name)) {
        throw new RewardError('INVALID_INPUT', `run: ${this.path} has no input "${name}" (inputs: ${this.inputNames.join(', ')})`, { path: `feeds.${name}` });
      }
    }
    const tensors: Record<string, unknown> = {};
    for (const info of this.inputs) {
      const feed = feeds[info.name];
      if (feed === undefined) throw new RewardError('INVALID_INPUT', `run: input "${info.name}" of ${this.path} is not fed`, { path: `feeds.${info.name}` });
      tensors[info.name] = this.toTensor(info, feed);
    }
    const outputs = options.outputs ? [...options.outputs] : [...this.outputNames];
    for (const name of outputs) {
      if (!this.outputNames.includes(name)) {
        throw new RewardError('INVALID_INPUT', `run: ${this.path} has no output "${name}" (outputs: ${this.outputNames.join(', ')})`, { path: 'outputs' });
      }
    }
    return { tensors, outputs };
  }

  private toTensor(info: RawValueInfo, feed: RawTensorInput): unknown {
    const field = `feeds.${info.name}`;
    const bad = (message: string): never => {
      throw new RewardError('INVALID_INPUT', `run: ${field}: ${message}`, { path: field });
    };
    if (typeof feed !== 'object' || feed === null) bad('expected { type, data, dims }');
    if (!isTensorType(feed.type)) bad(`type must be one of ${[...TYPES].join(', ')} (got ${JSON.stringify(feed.type)})`);
    if (info.type !== undefined && feed.type !== info.type) bad(`the graph expects ${info.type}, got ${feed.type}`);
    if (!Array.isArray(feed.dims) || !feed.dims.every((dim) => Number.isInteger(dim) && dim >= 0)) bad('dims must be a list of integers >= 0');
    const dims = [...feed.dims];
    if (info.shape !== undefined) {
      if (info.shape.length !== dims.length) bad(`the graph expects ${info.shape.length} dimensions [${info.shape.join(', ')}], got ${dims.length} [${dims.join(', ')}]`);
      info.shape.forEach((declared, index) => {
        if (typeof declared === 'number' && declared >= 0 && declared !== dims[index]) bad(`dimension ${index} must be ${declared} (got ${dims[index]})`);
      });
    }
    const size = dims.reduce((product, dim) => product * dim, 1);
    const Array_ = ARRAY_OF[feed.type];
    let data: RawTensorData[RawTensorType];
    if (Array.isArray(feed.data)) {
      const values = feed.data as readonly unknown[];
      if (feed.type === 'int64' || feed.type === 'uint64') {
        if (!values.every((value) => Number.isSafeInteger(value))) bad(`${feed.type} values given as numbers must be safe integers`);
        const big = (values as number[]).map((value) => BigInt(value));
        data = feed.type === 'int64' ? BigInt64Array.from(big) : BigUint64Array.from(big);
      } else {
        if (!values.every((value) => typeof value === 'number')) bad('data must hold numbers');
        data = new Array_(values.length) as RawTensorData[RawTensorType];
        (data as unknown as { set(values: ArrayLike<number>): void }).set(values as number[]);
      }
    } else {
      if (!(feed.data instanceof Array_)) bad(`data for ${feed.type} must be a ${Array_.name} or an array of numbers`);
      data = feed.data as RawTensorData[RawTensorType];
    }
    if (data.length !== size) bad(`data has ${data.length} values but dims [${dims.join(', ')}] hold ${size}`);
    return new this.handle.ort.Tensor(feed.type, data as never, dims);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.handle.release();
  }
}
