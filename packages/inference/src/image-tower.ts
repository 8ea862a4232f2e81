import { RewardError, errorMessage } from '@mixreward/core';
import { DynamicBatcher, type BatchingOptions } from './batcher.js';
import { checkGraph, floatData, inputType } from './graph-io.js';
import { imageToTensor } from './image.js';
import type { ModelManifest } from './manifest.js';
import type { SessionHandle } from './runtime.js';
import { float32ToFloat16 } from './vectors.js';

/** Image input of {@link Model.embedImage}: a file path (absolute, or relative to the working directory) or encoded image bytes. */
export type ImageInput = string | Uint8Array;

/**
 * The image tower of a model: turns images into NCHW tensors (manifest image settings), gathers
 * concurrent requests into batches, and returns one embedding per image.
 * @internal
 */
export class ImageTower {
  private readonly batcher: DynamicBatcher<Float32Array, Float32Array>;
  private readonly outputName: string;
  private readonly inputName: string;
  private readonly half: boolean;
  readonly size: number;

  constructor(
    private readonly handle: SessionHandle,
    private readonly manifest: ModelManifest,
    output: string | undefined,
    private readonly file: string,
    batching: Required<BatchingOptions>,
  ) {
    this.inputName = manifest.inputs.pixel_values;
    this.outputName = checkGraph(handle, file, { pixel_values: this.inputName }, [this.inputName], output);
    this.size = manifest.image?.size ?? 224;
    this.half = inputType(handle, this.inputName) === 'float16';
    this.batcher = new DynamicBatcher((items) => this.run(items), () => 0, batching);
  }

  idle(): Promise<void> {
    return this.batcher.idle();
  }

  async embed(image: ImageInput): Promise<Float32Array> {
    const settings = this.manifest.image;
    const tensor = await imageToTensor(image, { size: this.size, ...(settings ? { mean: settings.mean, std: settings.std, resize: settings.resize } : {}) });
    return this.batcher.submit(tensor.data);
  }

  private async run(items: Float32Array[]): Promise<Float32Array[]> {
    const { ort, session } = this.handle;
    const each = 3 * this.size * this.size;
    const pixels = new Float32Array(items.length * each);
    items.forEach((item, index) => pixels.set(item, index * each));
    let result;
    try {
      const dims = [items.length, 3, this.size, this.size];
      const input = this.half ? new ort.Tensor('float16', float32ToFloat16(pixels), dims) : new ort.Tensor('float32', pixels, dims);
      result = await session.run({ [this.inputName]: input }, [this.outputName]);
    } catch (error) {
      throw new RewardError('INVALID_CONFIG', `${this.file} failed to run on [${items.length}, 3, ${this.size}, ${this.size}] pixels: ${errorMessage(error)}. Check manifest.json image.size.`, {
        path: this.file,
        cause: error,
      });
    }
    const tensor = result[this.outputName];
    if (!tensor) throw new RewardError('INVALID_CONFIG', `${this.file} returned no "${this.outputName}"`, { path: `${this.file}#output` });
    const data = floatData(tensor, this.file);
    const dims = tensor.dims.map(Number);
    if (dims.length !== 2 || dims[0] !== items.length) {
      throw new RewardError('INVALID_CONFIG', `${this.file} output "${this.outputName}" has shape [${dims.join(', ')}]; expected [batch, dimensions]`, {
        path: `${this.file}#output`,
      });
    }
    const width = dims[1] as number;
    return items.map((_, row) => data.slice(row * width, (row + 1) * width));
  }
}
