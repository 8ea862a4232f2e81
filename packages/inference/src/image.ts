import { stat } from 'node:fs/promises';
import { RewardError, errorMessage, loadOptionalModule } from '@mixreward/core';
import type SharpModule from 'sharp';
import { CLIP_MEAN, CLIP_STD } from './manifest.js';

/** Image preprocessing options of {@link imageToTensor}. */
export interface ImageTensorOptions {
  /** Side of the square output in pixels, >= 1. Default 224. */
  size?: number;
  /** Per-channel (RGB) mean subtracted after scaling to [0, 1]. Default CLIP's. */
  mean?: readonly [number, number, number];
  /** Per-channel (RGB) standard deviation divided by. Default CLIP's. */
  std?: readonly [number, number, number];
  /** `cover`: shortest edge to `size`, then centre crop (CLIP); `fill`: stretch. Default `cover`. */
  resize?: 'cover' | 'fill';
}

/** An image as a model input: NCHW float32 of one image. */
export interface ImageTensor {
  /** `3 * size * size` values, channel-major (all R, then G, then B), normalised. */
  data: Float32Array;
  /** `[1, 3, size, size]`. */
  dims: [1, 3, number, number];
}

type SharpFunction = typeof SharpModule;

/** The install command for sharp, quoted in the DEPENDENCY_UNAVAILABLE error and the README. */
export const SHARP_INSTALL_HINT = 'install it next to @mixreward/inference: `npm i sharp` (prebuilt for linux, macOS and Windows; pnpm must allow its install script)';

/**
 * Import sharp once, on first use (an optional peer dependency). A missing module is
 * `RewardError('DEPENDENCY_UNAVAILABLE')` naming {@link SHARP_INSTALL_HINT}.
 * @param importer how to import it (default: from this package); tests pass a failing one
 * @internal
 */
export function loadSharp(importer: () => Promise<unknown> = () => import('sharp')): Promise<SharpFunction> {
  return loadOptionalModule<SharpFunction>('sharp', { feature: 'image inputs (imageToTensor, clip and image-embedding models)', install: SHARP_INSTALL_HINT, importer });
}

/**
 * Decode an image file or encoded bytes (PNG, JPEG, WebP, GIF, TIFF, AVIF) with sharp and turn it
 * into an NCHW float32 tensor: RGB (alpha dropped, grey expanded), resized and centre-cropped to
 * `size` x `size` (bicubic), scaled to [0, 1], then `(x - mean) / std` per channel.
 * A missing file or undecodable bytes is a RewardError('INVALID_INPUT') naming the file.
 */
export async function imageToTensor(input: string | Uint8Array, options: ImageTensorOptions = {}): Promise<ImageTensor> {
  const size = options.size ?? 224;
  const mean = options.mean ?? CLIP_MEAN;
  const std = options.std ?? CLIP_STD;
  const label = typeof input === 'string' ? input : `image bytes (${input.byteLength} B)`;
  if (typeof input === 'string') {
    const info = await stat(input).catch(() => undefined);
    if (!info?.isFile()) throw new RewardError('INVALID_INPUT', `image not found: ${input}`, { path: input });
  } else if (!(input instanceof Uint8Array) || input.byteLength === 0) {
    throw new RewardError('INVALID_INPUT', 'image: expected a file path or non-empty encoded image bytes', { path: 'image' });
  }
  const sharp = await loadSharp();
  let pixels: Buffer;
  let channels: number;
  try {
    const source = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    // Drop alpha before resizing (as PIL's convert('RGB') does): resizing with alpha premultiplies and shifts colours.
    const rgb = await sharp(source, { failOn: 'error' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const result = await sharp(rgb.data, { raw: { width: rgb.info.width, height: rgb.info.height, channels: rgb.info.channels } })
      .resize(size, size, { fit: options.resize === 'fill' ? 'fill' : 'cover', position: 'centre', kernel: 'cubic' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    pixels = result.data;
    channels = result.info.channels;
  } catch (error) {
    throw new RewardError('INVALID_INPUT', `could not decode ${label}: ${errorMessage(error)}`, { path: typeof input === 'string' ? input : 'image', cause: error });
  }
  const area = size * size;
  const data = new Float32Array(3 * area);
  for (let pixel = 0; pixel < area; pixel++) {
    for (let channel = 0; channel < 3; channel++) {
      const value = (pixels[pixel * channels + Math.min(channel, channels - 1)] as number) / 255;
      data[channel * area + pixel] = (value - (mean[channel] as number)) / (std[channel] as number);
    }
  }
  return { data, dims: [1, 3, size, size] };
}
