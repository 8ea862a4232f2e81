import { RewardError, errorMessage } from '@mixreward/core';
import type { ImageSize } from './geometry.js';
import { loadSharp } from './sharp.js';

const cache = new Map<string, Promise<ImageSize>>();
const CACHE_LIMIT = 4096;

/**
 * The size of an image file, read from its header with sharp (loaded on first use; pixels are not
 * decoded). Results are cached per path for the life of the process (at most 4096 paths).
 * @param path the image file, absolute (resolve rollout paths with core's `resolveMediaPath`)
 * @returns width and height in pixels, as stored (EXIF orientation is not applied)
 * @throws RewardError `DEPENDENCY_UNAVAILABLE` without sharp, `INVALID_ROLLOUT` for an unreadable file
 * @internal
 */
export function readImageSize(path: string): Promise<ImageSize> {
  const cached = cache.get(path);
  if (cached) return cached;
  const reading = (async (): Promise<ImageSize> => {
    const sharp = await loadSharp('vision rewards that read an image size (or give reference.image_size)');
    let metadata: { width?: number; height?: number };
    try {
      metadata = await sharp(path).metadata();
    } catch (error) {
      throw new RewardError('INVALID_ROLLOUT', `could not read the size of image ${path}: ${errorMessage(error)}; fix rollout.media.images or give reference.image_size`, {
        cause: error,
        path: 'media.images',
      });
    }
    if (!metadata.width || !metadata.height) {
      throw new RewardError('INVALID_ROLLOUT', `image ${path} has no width/height in its header; give reference.image_size`, { path: 'media.images' });
    }
    return { width: metadata.width, height: metadata.height };
  })();
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(path, reading);
  reading.catch(() => cache.delete(path));
  return reading;
}

/**
 * Forget every cached image size (for tests and long-lived servers whose files change).
 * @internal
 */
export function clearImageSizeCache(): void {
  cache.clear();
}
