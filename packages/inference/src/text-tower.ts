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

/** An int64 array over int32 words written at even indices (see TextTower.run); shares their memory. */
function toInt64(words: Int32Array): BigInt64Array {
  const values = new BigInt64Array(words.buffer, words.byteOffset, words.length / 2);
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

  /**
   * Feed words, one buffer per feed (ids, mask, types, positions), kept between runs and grown to
   * the largest batch seen: a fresh typed array per feed and run lives outside the JS heap, and
   * allocating it (and the collections that its external memory brings on) cost more than filling
   * it. One batch runs at a time per tower and the session reads its inputs only during the run.
   */
  private readonly scratch: (Int32Array | undefined)[] = [undefined, undefined, undefined, undefined];

  /** `size` zeroed words of feed buffer `slot`. */
  private feedWords(slot: number, size: number): Int32Array {
    let buffer = this.scratch[slot];
    if (buffer === undefined || buffer.length < size) {
      buffer = new Int32Array(Math.max(size, 2 * (buffer?.length ?? 0)));
      this.scratch[slot] = buffer;
    }
    const words = buffer.subarray(0, size);
    words.fill(0);
    return words;
  }

  private async run(items: EncodedText[]): Promise<RowOutput[]> {
    const { ort, session } = this.handle;
    const batch = items.length;
    let length = 1;
    for (const item of items) if (item.ids.length > length) length = item.ids.length;
    const left = this.manifest.padding.side === 'left';
    const cells = batch * length;
    // Token ids, mask, token types and positions as int32 words; int64 inputs take them through
    // 32-bit views of a BigInt64Array (low word = value, high word = 0 on little-endian machines).
    const names = [this.feeds.ids, this.feeds.mask, this.feeds.types, this.feeds.positions];
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    for (let slot = 0; slot < names.length; slot++) {
      const name = names[slot];
      if (name === undefined) continue;
      const int32 = this.int32Inputs.has(name);
      const step = int32 ? 1 : 2;
      const words = this.feedWords(slot, cells * step);
      if (slot === 0 && this.padId !== 0) for (let index = 0; index < cells; index++) words[step * index] = this.padId;
      for (let row = 0; row < batch; row++) {
        const item = items[row] as EncodedText;
        const count = item.ids.length;
        const offset = step * (row * length + (left ? length - count : 0));
        if (slot === 0) for (let index = 0; index < count; index++) words[offset + step * index] = item.ids[index] as number;
        else if (slot === 1) for (let index = 0; index < count; index++) words[offset + step * index] = 1;
        else if (slot === 2) for (let index = 0; index < count; index++) words[offset + step * index] = item.typeIds[index] ?? 0;
        else for (let index = 0; index < count; index++) words[offset + step * index] = index;
      }
      feeds[name] = int32 ? new ort.Tensor('int32', words, [batch, length]) : new ort.Tensor('int64', toInt64(words), [batch, length]);
    }
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
