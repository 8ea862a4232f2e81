import { endianness } from 'node:os';
import { RewardError, errorMessage } from '@mixreward/core';
import { DynamicBatcher, type BatchingOptions } from './batcher.js';
import { checkGraph, floatData, inputType } from './graph-io.js';
import type { ModelManifest } from './manifest.js';
import type { SessionHandle } from './runtime.js';
import type { EncodedText, TextTokenizer } from './tokenizer.js';

/**
 * One output row of a batched run: `[width]` for pooled outputs, `[tokens, width]` for per-token ones.
 * @internal
 */
export interface RowOutput {
  data: Float32Array;
  rows: number;
  width: number;
  perToken: boolean;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** An int64 array over int32 words written at even indices (see TextTower.run). */
function toInt64(words: Int32Array): BigInt64Array {
  const values = new BigInt64Array(words.buffer);
  if (!LITTLE_ENDIAN) for (let index = 0; index < values.length; index++) values[index] = BigInt(words[2 * index] as number);
  return values;
}

/**
 * The text tower of a model: tokenizes with the manifest's truncation, gathers concurrent requests
 * into padded batches (ids, mask, token types, positions) and splits the output back per request.
 * @internal
 */
export class TextTower {
  readonly tokenizer: TextTokenizer;
  private readonly batcher: DynamicBatcher<EncodedText, RowOutput>;
  private readonly outputName: string;
  private readonly padId: number;
  private readonly feeds: { ids: string; mask: string | undefined; types: string | undefined; positions: string | undefined };
  private readonly int32Inputs: Set<string>;

  constructor(
    private readonly handle: SessionHandle,
    private readonly manifest: ModelManifest,
    tokenizer: TextTokenizer,
    output: string | undefined,
    private readonly file: string,
    batching: Required<BatchingOptions>,
  ) {
    this.tokenizer = tokenizer;
    const inputs = manifest.inputs;
    this.outputName = checkGraph(
      handle,
      file,
      { input_ids: inputs.input_ids, attention_mask: inputs.attention_mask, token_type_ids: inputs.token_type_ids, position_ids: inputs.position_ids },
      [inputs.input_ids],
      output,
    );
    const names = handle.session.inputNames;
    this.feeds = {
      ids: inputs.input_ids,
      mask: names.includes(inputs.attention_mask) ? inputs.attention_mask : undefined,
      types: names.includes(inputs.token_type_ids) ? inputs.token_type_ids : undefined,
      positions: names.includes(inputs.position_ids) ? inputs.position_ids : undefined,
    };
    this.int32Inputs = new Set(names.filter((name) => inputType(handle, name) === 'int32'));
    this.padId = manifest.padding.token_id ?? tokenizer.padId ?? 0;
    this.batcher = new DynamicBatcher((items) => this.run(items), (item) => item.ids.length, batching);
  }

  encode(text: string, textPair?: string): EncodedText {
    return this.tokenizer.encode(text, textPair, { maxLength: this.manifest.max_length, side: this.manifest.truncation });
  }

  infer(encoded: EncodedText): Promise<RowOutput> {
    return this.batcher.submit(encoded);
  }

  idle(): Promise<void> {
    return this.batcher.idle();
  }

  private async run(items: EncodedText[]): Promise<RowOutput[]> {
    const { ort, session } = this.handle;
    const batch = items.length;
    const length = Math.max(1, ...items.map((item) => item.ids.length));
    const left = this.manifest.padding.side === 'left';
    // Token ids, mask, token types and positions as int32 words; int64 inputs take them through
    // 32-bit views of a BigInt64Array (low word = value, high word = 0 on little-endian machines).
    const words = (name: string | undefined) => (name !== undefined && !this.int32Inputs.has(name) ? 2 : 1);
    const make = (name: string | undefined) => new Int32Array(batch * length * words(name));
    const ids = make(this.feeds.ids);
    const mask = make(this.feeds.mask);
    const types = make(this.feeds.types);
    const positions = make(this.feeds.positions);
    const [idStep, maskStep, typeStep, positionStep] = [this.feeds.ids, this.feeds.mask, this.feeds.types, this.feeds.positions].map(words) as [number, number, number, number];
    if (this.padId !== 0) for (let index = 0; index < batch * length; index++) ids[idStep * index] = this.padId;
    items.forEach((item, row) => {
      const offset = row * length + (left ? length - item.ids.length : 0);
      for (let index = 0; index < item.ids.length; index++) {
        ids[idStep * (offset + index)] = item.ids[index] as number;
        mask[maskStep * (offset + index)] = 1;
        types[typeStep * (offset + index)] = item.typeIds[index] ?? 0;
        positions[positionStep * (offset + index)] = index;
      }
    });
    const feedTensor = (name: string, values: Int32Array) =>
      this.int32Inputs.has(name) ? new ort.Tensor('int32', values, [batch, length]) : new ort.Tensor('int64', toInt64(values), [batch, length]);
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = { [this.feeds.ids]: feedTensor(this.feeds.ids, ids) };
    if (this.feeds.mask) feeds[this.feeds.mask] = feedTensor(this.feeds.mask, mask);
    if (this.feeds.types) feeds[this.feeds.types] = feedTensor(this.feeds.types, types);
    if (this.feeds.positions) feeds[this.feeds.positions] = feedTensor(this.feeds.positions, positions);
    let result;
    try {
      result = await session.run(feeds, [this.outputName]);
    } catch (error) {
      throw new RewardError('INVALID_CONFIG', `${this.file} failed to run: ${errorMessage(error)}. Check that tokenizer.json belongs to this model and manifest.json inputs match the graph.`, {
        path: this.file,
        cause: error,
      });
    }
    const tensor = result[this.outputName];
    if (!tensor) throw new RewardError('INVALID_CONFIG', `${this.file} returned no "${this.outputName}"`, { path: `${this.file}#output` });
    const data = floatData(tensor, this.file);
    const dims = tensor.dims.map(Number);
    if (dims[0] !== batch || (dims.length !== 2 && dims.length !== 3) || (dims.length === 3 && dims[1] !== length)) {
      throw new RewardError('INVALID_CONFIG', `${this.file} output "${this.outputName}" has shape [${dims.join(', ')}]; expected [batch, labels] or [batch, sequence, hidden]`, {
        path: `${this.file}#output`,
      });
    }
    if (dims.length === 2) {
      const width = dims[1] as number;
      return items.map((_, row) => ({ data: data.slice(row * width, (row + 1) * width), rows: 1, width, perToken: false }));
    }
    const width = dims[2] as number;
    return items.map((item, row) => {
      const start = (row * length + (left ? length - item.ids.length : 0)) * width;
      return { data: data.slice(start, start + item.ids.length * width), rows: item.ids.length, width, perToken: true };
    });
  }
}
