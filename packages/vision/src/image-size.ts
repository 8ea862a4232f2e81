import { resolve as resolvePath } from 'node:path';
import { RewardError, errorMessage } from '@mixreward/core';
import type { ImageSize } from './geometry.js';

type SharpFactory = (input: string | Buffer) => { metadata(): Promise<{ width?: number; height?: number }> };

let sharpLoading: Promise<SharpFactory> | undefined;
const cache = new Map<string, Promise<ImageSize>>();
const CACHE_LIMIT = 4096;

async function loadSharp(): Promise<SharpFactory> {
  sharpLoading ??= import('sharp').then(
    (module) => ((module as { default?: unknown }).default ?? module) as SharpFactory,
    (error: unknown) => {
      sharpLoading = undefined;
      throw new RewardError(
        'DEPENDENCY_UNAVAILABLE',
        `reading an image size needs the sharp package (pnpm add sharp), or give reference.image_size: ${errorMessage(error)}`,
        { cause: error },
      );
    },
  );
  return sharpLoading;
}

/**
 * The size of an image file, read from its header with sharp (loaded on first use; pixels are not
 * decoded). Results are cached per absolute path for the life of the process (at most 4096 paths).
 * @param path the image file; relative paths resolve against `baseDir`
 * @param baseDir the folder relative paths resolve against (default: the working directory)
 * @returns width and height in pixels, as stored (EXIF orientation is not applied)
 * @throws RewardError `DEPENDENCY_UNAVAILABLE` without sharp, `INVALID_ROLLOUT` for an unreadable file
 */
export function readImageSize(path: string, baseDir: string = process.cwd()): Promise<ImageSize> {
  const absolute = resolvePath(baseDir, path);
  const cached = cache.get(absolute);
  if (cached) return cached;
  const reading = (async (): Promise<ImageSize> => {
    const sharp = await loadSharp();
    let metadata: { width?: number; height?: number };
    try {
      metadata = await sharp(absolute).metadata();
    } catch (error) {
      throw new RewardError('INVALID_ROLLOUT', `could not read the size of image ${absolute}: ${errorMessage(error)}; fix rollout.media.images or give reference.image_size`, {
        cause: error,
        path: 'media.images',
      });
    }
    if (!metadata.width || !metadata.height) {
      throw new RewardError('INVALID_ROLLOUT', `image ${absolute} has no width/height in its header; give reference.image_size`, { path: 'media.images' });
    }
    return { width: metadata.width, height: metadata.height };
  })();
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(absolute, reading);
  reading.catch(() => cache.delete(absolute));
  return reading;
}

/** Forget every cached image size (for tests and long-lived servers whose files change). */
export function clearImageSizeCache(): void {
  cache.clear();
}
